"""Minimal edits of a JETTY_BASE's ini files (or of one ini file): set and unset properties.

``set`` rewrites the line holding the effective definition; if the key only exists as a
commented template line (``# key=...``, as Jetty's module templates write them) it activates
that line in place; otherwise it appends to the file that enables the ``ssl`` module (Jetty 12:
``ssl-context`` for ``jetty.sslContext.*``), or creates ``start.d/ssl.ini``. Every edit is
checked by re-evaluating the effective configuration before anything is written.
"""

from __future__ import annotations

from pathlib import Path

from jettycfg.errors import IniError, InternalError, UsageError
from jettycfg.fsio import FileChange
from jettycfg.ini.model import IniDocument, LineKind, java_trim, parse_bytes, read_ini
from jettycfg.jetty.base import (
    EffectiveConfig,
    collation_key,
    evaluate,
    load_documents,
    resolve_base,
)
from jettycfg.jetty.version import JettyVersion


def parse_assignment(text: str) -> tuple[str, str]:
    """``KEY=VALUE`` from the command line (no spaces allowed around the key)."""
    key, sep, value = text.partition("=")
    if not sep or not key or key != java_trim(key) or key.startswith(("-", "#")):
        shown = (
            f" for {key!r}" if sep and key and len(key) < 80 and "pass" not in key.lower() else ""
        )
        raise UsageError(
            f"expected KEY=VALUE{shown} (the argument is not repeated here: it may hold a "
            "secret; for a password use KEY --value-env VAR, --value-file F or --value-prompt)"
        )
    if key.endswith(("+", "?")):
        raise UsageError(f"use plain KEY=VALUE, not {key[-1]}= : {key[:-1]}")
    if any(c in text for c in "\r\n"):
        raise UsageError(
            f"{key}: a value cannot span lines (start ini files have no continuations)"
        )
    return key, value


class Workspace:
    """The ini files of a base (or a single file) being edited in memory."""

    def __init__(self, base: Path | None, docs: list[IniDocument], single: Path | None = None):
        self.base = base
        self.single = single
        self.docs = docs
        self.version: JettyVersion | None = None  # for the start check; None: assumed 9.4
        self.stores: dict[Path, bytes] = {}  # store files written with this edit (start check)
        self._original: dict[Path, bytes | None] = {
            doc.path: doc.to_bytes() for doc in docs if doc.path is not None
        }

    @classmethod
    def for_base(cls, base: str | Path | None) -> Workspace:
        path = resolve_base(base)
        return cls(path, load_documents(path))

    @classmethod
    def for_file(cls, file: Path, *, create: bool = False) -> Workspace:
        if file.is_dir():
            raise UsageError(f"--file is a folder, not an ini file: {file}")
        if not file.exists():
            if not create:
                raise UsageError(f"no such ini file: {file}")
            if not file.parent.is_dir():
                raise UsageError(f"folder does not exist: {file.parent}")
            ws = cls(None, [parse_bytes(b"", file)], single=file)
            ws._original[file] = None
            return ws
        return cls(None, [read_ini(file)], single=file)

    @property
    def root(self) -> Path:
        return self.base if self.base is not None else (self.single or Path(".")).parent

    def effective(self) -> EffectiveConfig:
        return evaluate(self.docs, self.root)

    def original(self) -> EffectiveConfig:
        """The configuration as it was on disk before this workspace's edits."""
        docs = [
            parse_bytes(self._original.get(doc.path) or b"", doc.path)
            for doc in self.docs
            if doc.path is not None
        ]
        return evaluate(docs, self.root)

    def changes(self) -> list[FileChange]:
        """The files the edit changes; refused (UsageError) when the edited base would not
        start where the original would (jetty/startguard.py)."""
        out = []
        for doc in self.docs:
            assert doc.path is not None
            new = doc.to_bytes()
            old = self._original.get(doc.path)
            if new != old:
                out.append(FileChange(doc.path, old, new, _mode_for(doc)))
        if (out or self.stores) and self.base is not None:
            from jettycfg.jetty.startguard import ensure_still_starts

            ensure_still_starts(self.base, self.docs, self._original, self.version, self.stores)
        return out

    # -- set ---------------------------------------------------------------------------------

    def set(self, key: str, value: str, comment: list[str] | None = None) -> bool:
        """Make ``key`` effectively ``value``; returns False when it already was."""
        if any(c in key + value for c in "\r\n"):  # a store path or password from a file/env
            raise IniError(
                f"{key}: a value cannot span lines (start ini files have no "
                "continuations): nothing written"
            )
        if value != java_trim(value):  # the value is not quoted: it may be a password
            raise IniError(f"{key}: start.jar trims blanks around a value; give it without them")
        eff = self.effective()
        current = eff.get(key)
        if current is not None and current.key == key and current.raw == value:
            return False
        text = f"{key}={value}"
        active = eff.active(key)
        if active:
            last = active[-1]
            doc = self.docs[last.doc]
            old = doc.lines[last.index]
            indent = old.text[: len(old.text) - len(old.text.lstrip())]
            new_text = f"-D{text}" if old.kind is LineKind.SYSPROP else text
            doc.replace_text(last.index, indent + new_text)
            self._settle(key, value, last.doc, last.index)
        elif not self._activate_template(key, text, comment):
            doc = self._append_target(key)
            doc.append([*(comment or []), text])
        if self._value_of(key) != value:
            raise InternalError(f"could not place {key} so that start.jar reads it")
        return True

    def _value_of(self, key: str) -> str | None:
        prop = self.effective().get(key)
        return prop.raw if prop is not None and prop.key == key else None

    def _settle(self, key: str, value: str, d: int, index: int) -> None:
        """Undo what start.jar's reading order does to a rewritten line.

        A later line of the same file that repeated the old text was dropped as a duplicate and
        now counts again: delete it. A rewritten line that repeats an earlier line is dropped
        itself: keep the earlier one and delete what overrides it.
        """
        for _ in range(len(self.docs[d].lines) + 1):
            if self._value_of(key) == value:
                return
            active = self.effective().active(key)
            latest = active[-1] if active else None
            if latest is not None and (latest.doc, latest.index) != (d, index):
                self.docs[latest.doc].delete(latest.index)
            else:
                self._drop_shadowing_duplicate(d, index, key)
                return

    def _drop_shadowing_duplicate(self, d: int, index: int, key: str) -> None:
        """The rewritten line repeats an earlier line of the same file, which start.jar drops.

        Keep the earlier identical line and delete the key's definitions after it instead.
        """
        doc = self.docs[d]
        target = doc.lines[index].trimmed
        first = next(i for i, line in enumerate(doc.lines) if line.trimmed == target)
        for i in range(index, first, -1):
            line = doc.lines[i]
            if line.kind in (LineKind.PROPERTY, LineKind.SYSPROP) and (
                (line.key or "").lower() == key.lower()
            ):
                doc.delete(i)

    def _activate_template(self, key: str, text: str, comment: list[str] | None) -> bool:
        candidates = []
        for d, doc in enumerate(self.docs):
            for i, line in enumerate(doc.lines):
                found = line.commented_assignment()
                if found and found[0].lower() == key.lower():
                    candidates.append((d, i))
        if not candidates:
            return False
        preferred = [c for c in candidates if self._is_module_file(self.docs[c[0]], key)]
        d, i = (preferred or candidates)[-1]
        doc = self.docs[d]
        doc.replace_text(i, text)
        if comment:
            doc.insert(i, comment)
        return True

    @staticmethod
    def _module_for(key: str) -> list[str]:
        if key.startswith("jetty.sslContext."):
            return ["ssl-context", "ssl"]
        return ["ssl"]

    def _is_module_file(self, doc: IniDocument, key: str) -> bool:
        return any(doc.enables_module(m) for m in self._module_for(key))

    def _append_target(self, key: str) -> IniDocument:
        if self.single is not None:
            return self.docs[0]
        for module in self._module_for(key):
            owners = [doc for doc in self.docs if doc.enables_module(module)]
            if owners:
                return owners[-1]
        assert self.base is not None
        if not key.lower().startswith("jetty.ssl"):
            return self._start_ini()  # not a TLS setting: never a new --module=ssl file
        path = self.base / "start.d" / "ssl.ini"
        for doc in self.docs:
            if doc.path == path:
                return doc
        tls_key = key.lower().startswith("jetty.ssl")
        if tls_key and not any(doc.enables_module("https") for doc in self.docs):
            # --module=ssl alone gives Jetty an SslContextFactory but no TLS connector: it dies
            # at start ("No default protocol for ServerConnector") - refuse instead
            raise UsageError(
                f"{self.base} has no TLS connector (no https module): setting {key} would leave "
                "a Jetty that does not start; create the TLS configuration first "
                f"(jettycfg init --base {self.base}), or add --module=https"
            )
        doc = parse_bytes(b"", path)
        doc.append(["# Written by jettycfg", "--module=ssl", ""])
        self._original.setdefault(path, None)
        self.docs.append(doc)
        self.docs.sort(key=self._load_order)
        return doc

    def _start_ini(self) -> IniDocument:
        """The base's start.ini (created empty when the base has none)."""
        assert self.base is not None
        path = self.base / "start.ini"
        found = next((doc for doc in self.docs if doc.path == path), None)
        if found is None:
            found = parse_bytes(b"", path)
            self._original.setdefault(path, None)
            self.docs.append(found)
            self.docs.sort(key=self._load_order)
        return found

    def _load_order(self, doc: IniDocument) -> tuple[int, tuple[object, ...]]:
        """Included folders' files first (in their order: the sort is stable), then the base's
        start.ini, then its start.d files in start.jar's (Java Collator) order."""
        assert doc.path is not None
        if doc.path.parent == self.base and doc.path.name == "start.ini":
            return (1, ())
        if self.base is not None and doc.path.parent == self.base / "start.d":
            return (2, collation_key(doc.path.name))
        return (0, ())

    # -- unset -------------------------------------------------------------------------------

    def unset(self, key: str) -> int:
        """Delete every definition of ``key`` (any case); returns how many lines went."""
        removed = 0
        for doc in self.docs:
            for i in range(len(doc.lines) - 1, -1, -1):
                line = doc.lines[i]
                if line.kind in (LineKind.PROPERTY, LineKind.SYSPROP) and (
                    (line.key or "").lower() == key.lower()
                ):
                    doc.delete(i)
                    removed += 1
        if self.effective().get(key) is not None:
            raise InternalError(f"{key} is still set after removing its lines")
        return removed


def _mode_for(doc: IniDocument) -> int:
    """A new ini file holding a password value (clear or OBF) is created 0600, others 0644."""
    from jettycfg.jetty.schema import is_secret

    for line in doc.lines:
        key, value = getattr(line, "key", None), getattr(line, "value", None)
        if key and value and is_secret(key.strip()):
            return 0o600
    return 0o644
