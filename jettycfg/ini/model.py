"""A start ini file as a list of lines that writes back to the identical bytes.

Each line keeps its exact text and its own line ending (LF, CRLF, CR or none at the end of the
file), so comments, order, blank lines, a BOM and mixed endings survive any edit that does not
touch them. Classification follows start.jar (``TextFile`` + ``StartArgs.parse``): the line is
trimmed as a whole the way Java's ``String.trim`` does, then read as a comment, a module line,
another ``--`` option, a ``-D`` system property, a JVM argument, a property assignment
(``=``, ``+=``, ``?=``), or an ``.xml`` / ``.properties`` file.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from jettycfg.errors import IniError

_JAVA_WS = "".join(chr(i) for i in range(33))
_EOL_SPLIT = re.compile(r"(\r\n|\r|\n)")


def java_trim(text: str) -> str:
    """``String.trim()``: strip every char <= U+0020 at both ends (not Unicode spaces)."""
    return text.strip(_JAVA_WS)


class LineKind(enum.Enum):
    BLANK = "blank"
    COMMENT = "comment"
    MODULE = "module"
    OPTION = "option"
    SYSPROP = "sysprop"
    JVM = "jvm"
    PROPERTY = "property"
    XML = "xml"
    PROPFILE = "properties"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class IniLine:
    """One physical line: exact text (no line ending) and its line ending."""

    text: str
    eol: str = "\n"
    kind: LineKind = field(init=False, compare=False)
    key: str | None = field(init=False, compare=False, default=None)
    op: str | None = field(init=False, compare=False, default=None)
    value: str | None = field(init=False, compare=False, default=None)

    def __post_init__(self) -> None:
        kind, key, op, value = classify(self.text)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "op", op)
        object.__setattr__(self, "value", value)

    @property
    def trimmed(self) -> str:
        return java_trim(self.text)

    @property
    def modules(self) -> list[str]:
        """Module names of a ``--module=`` / ``--modules=`` line (comma separated)."""
        if self.kind is not LineKind.MODULE or self.value is None:
            return []
        return [m.strip() for m in self.value.split(",") if m.strip()]

    def commented_assignment(self) -> tuple[str, str] | None:
        """``(key, value)`` when this is a commented template line like ``# key=value``."""
        if self.kind is not LineKind.COMMENT:
            return None
        body = java_trim(self.trimmed.lstrip("#"))
        kind, key, op, value = classify(body)
        if kind is LineKind.PROPERTY and op == "=" and key and " " not in key:
            return key, value or ""
        return None


def classify(text: str) -> tuple[LineKind, str | None, str | None, str | None]:
    """Classify a line as start.jar does; returns (kind, key, op, value)."""
    arg = java_trim(text)
    if not arg:
        return LineKind.BLANK, None, None, None
    if arg.startswith("#"):
        return LineKind.COMMENT, None, None, None
    for prefix in ("--module=", "--modules="):
        if arg.startswith(prefix):
            return LineKind.MODULE, prefix[2:-1], "=", arg[len(prefix) :]
    if arg.startswith("--"):
        return LineKind.OPTION, None, None, arg
    if arg.startswith("-D"):
        body = arg[2:]
        key, sep, value = body.partition("=")
        return LineKind.SYSPROP, key, "=", value if sep else ""
    if arg.startswith("-"):
        return LineKind.JVM, None, None, arg
    eq = arg.find("=")
    if eq >= 0:
        key, value = arg[:eq], arg[eq + 1 :]
        op = "="
        if key.endswith("+"):
            key, op = key[:-1], "+="
        elif key.endswith("?"):
            key, op = key[:-1], "?="
        return LineKind.PROPERTY, key, op, value
    lower = arg.lower()
    if lower.endswith(".xml"):
        return LineKind.XML, None, None, arg
    if lower.endswith(".properties"):
        return LineKind.PROPFILE, None, None, arg
    return LineKind.UNKNOWN, None, None, arg


@dataclass
class IniDocument:
    """The lines of one ini file; ``to_bytes()`` reproduces the parsed input exactly."""

    lines: list[IniLine]
    path: Path | None = None

    def to_bytes(self) -> bytes:
        return "".join(line.text + line.eol for line in self.lines).encode("utf-8")

    def copy(self) -> IniDocument:
        return IniDocument(list(self.lines), self.path)

    @property
    def eol(self) -> str:
        """The dominant line ending (LF when the file has none)."""
        counts = Counter(line.eol for line in self.lines if line.eol)
        if not counts:
            return "\n"
        return counts.most_common(1)[0][0]

    def replace_text(self, index: int, text: str) -> None:
        self.lines[index] = replace(self.lines[index], text=text)

    def delete(self, index: int) -> None:
        line = self.lines.pop(index)
        # A deleted last line that had no line ending leaves the new last line without one too,
        # so "no final newline" survives.
        if not line.eol and index == len(self.lines) and self.lines:
            self.lines[-1] = replace(self.lines[-1], eol="")

    def insert(self, index: int, texts: list[str]) -> None:
        eol = self.eol
        unterminated = index == len(self.lines) and self.lines and not self.lines[-1].eol
        if unterminated:
            self.lines[-1] = replace(self.lines[-1], eol=eol)
        new = [IniLine(t, eol) for t in texts]
        if unterminated and new:  # a file without a final newline keeps that style
            new[-1] = IniLine(texts[-1], "")
        self.lines[index:index] = new

    def append(self, texts: list[str]) -> None:
        self.insert(len(self.lines), texts)

    def enables_module(self, name: str) -> bool:
        return any(name in line.modules for line in self.lines)


MAX_LINES = 50_000  # Jetty's full 9.4 start.ini with every module's template: ~3,000 lines


def parse_bytes(data: bytes, path: Path | None = None) -> IniDocument:
    """Parse the bytes of an ini file. Invalid UTF-8 is an error, as it is for start.jar; so is
    a file of more than MAX_LINES lines (refused before parsing: each line costs ~30 us in
    lint, and no real start ini comes near it)."""
    lines_in = max(data.count(b"\n"), data.count(b"\r"))
    if lines_in > MAX_LINES:
        raise IniError(f"too many lines ({lines_in:,}; the limit is {MAX_LINES:,}): refused", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise IniError("not valid UTF-8 (start.jar refuses such a file)", path, line) from exc
    parts = _EOL_SPLIT.split(text)
    lines: list[IniLine] = []
    for i in range(0, len(parts) - 1, 2):
        lines.append(IniLine(parts[i], parts[i + 1]))
    if parts[-1]:
        lines.append(IniLine(parts[-1], ""))
    return IniDocument(lines, path)


def read_ini(path: Path) -> IniDocument:
    """Read and parse an ini file, turning OS errors into a one-line :class:`IniError`."""
    from jettycfg import fsio

    try:
        data = fsio.read_limited(path, fsio.MAX_INI_BYTES)
    except fsio.InputFileError as exc:
        raise IniError(str(exc)) from None
    except IsADirectoryError as exc:
        raise IniError("is a folder, not an ini file", path) from exc
    except FileNotFoundError as exc:
        raise IniError("no such file", path) from exc
    except OSError as exc:
        raise IniError(f"cannot read: {exc.strerror or exc}", path) from exc
    return parse_bytes(data, path)
