"""A JETTY_BASE on disk and its effective configuration, computed the way start.jar does.

start.jar reads ``start.ini`` then ``start.d/*.ini`` sorted (Java Collator order: case
insensitive), drops a line repeated verbatim in the same file, applies ``=`` / ``+=`` / ``?=``
in that order to a case-insensitive property map (the last assignment wins and also fixes the
spelling of the key), and expands ``${...}`` late, against the final values. Jetty's XML then
falls back to deprecated alias names and to its per-version defaults.
"""

from __future__ import annotations

import contextvars
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from jettycfg.errors import UsageError
from jettycfg.ini.model import IniDocument, LineKind, read_ini
from jettycfg.jetty import schema
from jettycfg.jetty.expansion import (
    MAX_DEPTH,
    MAX_EXPANSION,
    MAX_STEPS,
    ExpansionLoop,
    ExpansionTooLarge,
    Memo,
)
from jettycfg.jetty.includes import include_errors, walk
from jettycfg.jetty.version import JettyVersion

# The Jetty home the run knows (--jetty-home or $JETTY_HOME): start.jar expands ${jetty.home}
JETTY_HOME_PATH: contextvars.ContextVar[Path | None] = contextvars.ContextVar(
    "jettycfg_jetty_home", default=None
)


@dataclass(frozen=True)
class Origin:
    file: Path
    line: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Assignment:
    """One ``key=value`` / ``+=`` / ``?=`` / ``-Dkey=value`` line and what it did."""

    key: str
    op: str
    value: str
    origin: Origin
    doc: int  # index of the document in load order
    index: int  # 0-based line index in that document
    took_effect: bool
    why_not: str = ""  # "duplicate line" or "already set" when it did nothing
    sysprop: bool = False  # a -Dkey=value line (also a system property)


@dataclass(frozen=True)
class Property:
    """An effective property: its value, where it came from, and whether it is a default."""

    key: str
    raw: str
    value: str
    origin: Origin | None
    is_default: bool = False
    via_alias: str | None = None
    note: str = ""
    referenced_secret: bool = False  # a password property uses it through ${...}

    @property
    def secret(self) -> bool:
        return (
            schema.is_secret(self.key)
            or (self.via_alias is not None and schema.is_secret(self.via_alias))
            or self.referenced_secret
        )


@dataclass
class EffectiveConfig:
    base: Path
    version: JettyVersion | None
    properties: dict[str, Property]  # lower-cased key -> property
    assignments: list[Assignment]
    modules: list[tuple[str, Origin]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # what makes start.jar refuse to start
    # ``--modules=`` lines before Jetty 12: start.jar passes them to the JVM, enables nothing
    jvm_modules: list[tuple[str, Origin]] = field(default_factory=list)

    def get(self, key: str) -> Property | None:
        """start.jar's view: keys are case-insensitive."""
        return self.properties.get(key.lower())

    def xml(self, key: str) -> Property | None:
        """What Jetty's XML reads for ``key`` (spelled as the XML spells it).

        start.jar's map ignores case, but the XML looks the exact name up: a differently spelled
        key (``JETTY.sslContext.needClientAuth``) hides the setting, and the deprecated name,
        then the default apply - as real Jetty 9.4 shows.
        """
        prop = self.properties.get(key.lower())
        if prop is None or prop.key == key or self.version is None:
            return prop if prop is None or prop.key == key else None
        old = schema.deprecated_name(self.version, key)
        alias = self.properties.get(old.lower()) if old else None
        if old and alias is not None and alias.key == old:
            return Property(key, alias.raw, alias.value, alias.origin, via_alias=old)
        default = schema.defaults(self.version).get(key.lower())
        if default is None:
            return None
        return Property(
            key,
            default.value,
            default.value,
            None,
            True,
            note=f"hidden: {prop.key} is spelled differently",
        )

    def active(self, key: str) -> list[Assignment]:
        """The assignments of ``key`` (any case) that changed its value, in load order."""
        lower = key.lower()
        return [a for a in self.assignments if a.key.lower() == lower and a.took_effect]


def ini_paths(base: Path) -> list[Path]:
    """The ini files start.jar reads from ``base``, in its order."""
    paths = []
    if (base / "start.ini").is_file():
        paths.append(base / "start.ini")
    startd = base / "start.d"
    if startd.is_dir():
        found = [p for p in startd.iterdir() if p.name.endswith(".ini") and p.is_file()]
        paths.extend(sorted(found, key=lambda p: collation_key(p.name)))
    return paths


def collation_key(name: str) -> tuple[object, ...]:
    """The order start.jar reads start.d files in: Java's ``Collator`` (en, tertiary), as
    observed on real start.jar 9.4 and 12.1 (tests/jetty/test_startjar_oracle.py). ``-`` is
    ignored at the primary level (``ssl-context.ini`` after ``ssl.ini``) but breaks ties after
    case does not; ``_`` and ``.`` sort before digits, digits before letters; letters compare
    case-insensitively first, lower case before upper on a tie."""
    chars = [c for c in name if c != "-"]

    def weight(c: str) -> tuple[int, int]:
        if c == "_":
            return (0, 0)
        if c.isdigit():
            return (2, ord(c))
        if c.isalpha():
            return (3, ord(c.lower()))
        return (1, 0 if c == "." else ord(c))

    primary = tuple(weight(c) for c in chars)
    secondary = tuple(1 if c == "-" else 0 for c in name)
    tertiary = tuple(1 if c.isupper() else 0 for c in chars)
    return (primary, secondary, tertiary, name)


def resolve_base(base: str | os.PathLike[str] | None) -> Path:
    """``--base``, else ``$JETTY_BASE``, else the current folder; it must be a Jetty base."""
    chosen = Path(base if base is not None else os.environ.get("JETTY_BASE") or ".")
    if not chosen.exists():
        raise UsageError(f"Jetty base does not exist: {chosen}")
    if not chosen.is_dir():
        raise UsageError(f"Jetty base is not a folder: {chosen}")
    if not (chosen / "start.ini").is_file() and not (chosen / "start.d").is_dir():
        raise UsageError(
            f"not a Jetty base (no start.ini and no start.d/): {chosen} - see 'jettycfg init'"
        )
    return chosen


def load_documents(base: Path) -> list[IniDocument]:
    """The base's ini files, preceded by those of its ``--include-jetty-dir`` folders.

    start.jar searches the base before the included folders, so it reads them first and the
    base's assignments win (the last declared folder is read first). An edit a killed run
    left half-done in the base is finished first (:mod:`jettycfg.transaction`).
    """
    from jettycfg.transaction import recover

    recover(base)
    own = [read_ini(path) for path in ini_paths(base)]
    found, _ = walk(base, own, lambda folder: [read_ini(p) for p in ini_paths(folder)])
    return [doc for _, docs in reversed(found) for doc in docs] + own


# start.jar's Props: a reference is ``${name}`` not preceded by ``$`` (so ``$${x}`` escapes it).
_REF = re.compile(r"(?<!\$)\$\{([^}]*)\}")


def expand(
    value: str, lookup: dict[str, str], seen: tuple[str, ...] = (), memo: Memo | None = None
) -> str:
    """start.jar's late ``${name}`` expansion (``Props.expand`` of Jetty 9.4).

    Unknown names stay literal; ``$$`` becomes ``$`` - but only in a value that holds a
    ``${``; a name met again while it is being expanded raises :class:`ExpansionLoop`. Each
    name is expanded once per ``memo`` (a finished expansion holds no loop through that name, so
    reusing it is exact); no result may grow past :data:`MAX_EXPANSION`, nor the work past
    :data:`MAX_DEPTH` / :data:`MAX_STEPS`."""
    if "${" not in value:
        return value
    memo = Memo() if memo is None else memo
    memo.steps += 1
    if len(seen) > MAX_DEPTH or memo.steps > MAX_STEPS:
        raise ExpansionTooLarge(seen[0] if seen else "a value", deep=True)
    out, size, pos = [], 0, 0
    lowered = [s.lower() for s in seen]
    for match in _REF.finditer(value):
        name = match.group(1)
        if name.lower() in lowered:
            raise ExpansionLoop([*seen[lowered.index(name.lower()) :], name])
        out.append(value[pos : match.start()])
        found = lookup.get(name.lower())
        if found is None:
            part = match.group(0)
        elif name.lower() in memo:
            part = memo[name.lower()]
        else:
            part = memo[name.lower()] = expand(found, lookup, (*seen, name), memo)
        out.append(part)
        size += len(part) + match.start() - pos
        if size > MAX_EXPANSION:
            raise ExpansionTooLarge(seen[0] if seen else name)
        pos = match.end()
    out.append(value[pos:])
    text = "".join(out)
    return text.replace("$$", "$") if "$$" in text else text


def _display(raw: str, lookup: dict[str, str], memo: Memo) -> tuple[str, str]:
    """(expanded value, note); a looping value is shown as written."""
    try:
        return expand(raw, lookup, memo=memo), ""
    except ExpansionTooLarge as big:
        return raw, f"not expanded: {big}"
    except ExpansionLoop as loop:
        return raw, f"expansion loop: {loop}"


def evaluate(
    docs: list[IniDocument], base: Path, version: JettyVersion | None = None
) -> EffectiveConfig:
    """Compute the effective configuration of ``docs`` (in load order) for ``version``."""
    state: dict[str, tuple[str, str, Origin]] = {}
    assignments: list[Assignment] = []
    modules: list[tuple[str, Origin]] = []
    jvm: list[tuple[str, Origin]] = []
    for d, doc in enumerate(docs):
        seen: set[str] = set()
        path = doc.path or base / "start.ini"
        for i, line in enumerate(doc.lines):
            origin = Origin(path, i + 1)
            if line.kind is LineKind.MODULE:
                plural_ignored = (
                    line.key == "modules" and version is not None and version.major < 12
                )
                (jvm if plural_ignored else modules).extend((m, origin) for m in line.modules)
            if line.kind not in (LineKind.PROPERTY, LineKind.SYSPROP):
                continue
            assert line.key is not None and line.op is not None and line.value is not None
            sysprop = line.kind is LineKind.SYSPROP
            record = Assignment(line.key, line.op, line.value, origin, d, i, True, "", sysprop)
            if line.trimmed in seen:
                assignments.append(_not(record, "duplicate line in the same file"))
                continue
            seen.add(line.trimmed)
            lower = line.key.lower()
            old = state.get(lower)
            if line.op == "?=" and old is not None:
                assignments.append(_not(record, "already set"))
                continue
            value = line.value
            if line.op == "+=":
                if old is None:  # only unset drops the comma: after "k=" start.jar keeps ",x"
                    value = value[1:] if value.startswith(",") else value
                else:
                    value = old[1] + value
            state[lower] = (line.key, value, origin)
            assignments.append(record)
    config = EffectiveConfig(base, version, _finish(state, base, version), assignments, modules)
    config.jvm_modules = jvm
    config.errors.extend(include_errors(docs, base))
    config.errors.extend(_sysprop_loops(state, assignments))
    return config


def _sysprop_loops(
    state: dict[str, tuple[str, str, Origin]], assignments: list[Assignment]
) -> list[str]:
    """start.jar expands the final value of every ``-D`` property at start; a loop is fatal."""
    lookup, memo = {k: v[1] for k, v in state.items()}, Memo()
    errors = []
    for key in dict.fromkeys(a.key for a in assignments if a.op == "=" and a.sysprop):
        final = state.get(key.lower())
        if final is None:
            continue
        try:
            expand(final[1], lookup, memo=memo)
        except ExpansionLoop as loop:
            errors.append(f"property expansion loop detected: {loop} (start.jar refuses to start)")
    return errors


def _not(r: Assignment, why: str) -> Assignment:  # not dataclasses.replace: 10x slower
    return Assignment(r.key, r.op, r.value, r.origin, r.doc, r.index, False, why, r.sysprop)


def _finish(
    state: dict[str, tuple[str, str, Origin]], base: Path, version: JettyVersion | None
) -> dict[str, Property]:
    lookup = {k: v[1] for k, v in state.items()}
    base_abs = str(base.resolve())
    lookup.setdefault("jetty.base", base_abs)
    home = JETTY_HOME_PATH.get()
    if home is not None:  # start.jar knows its home: ${jetty.home} in a store path
        lookup.setdefault("jetty.home", str(home.resolve()))
    props = {}
    raws = {k: v[1] for k, v in state.items()}
    hidden = secret_references(raws)
    hidden |= secret_derivatives(raws, hidden)
    memo = Memo()
    for lower, (key, raw, origin) in state.items():
        value, note = _display(raw, lookup, memo)
        props[lower] = Property(
            key, raw, value, origin, note=note, referenced_secret=lower in hidden
        )
    if version is None:
        return props
    for old, new in schema.aliases(version).items():
        if old in props and new.lower() not in props:
            src = props[old]
            props[new.lower()] = Property(
                new,
                src.raw,
                src.value,
                src.origin,
                via_alias=src.key,
                note=f"from deprecated name {src.key}",
            )
    for lower, default in schema.defaults(version).items():
        if lower not in props:
            props[lower] = Property(
                default.key,
                default.value,
                _display(default.value, lookup, memo)[0],
                None,
                True,
                note=default.note,
            )
    return props


def secret_references(raws: dict[str, str]) -> set[str]:
    """The (lower-case) properties a password property takes its value from through ``${…}``,
    directly or in a chain: they are as secret as the password itself."""
    todo = [raw for key, raw in raws.items() if schema.is_secret(key)]
    found: set[str] = set()
    while todo:
        for name in _REF.findall(todo.pop()):
            lower = name.lower()
            if lower in raws and lower not in found:
                found.add(lower)
                todo.append(raws[lower])
    return found


def secret_derivatives(raws: dict[str, str], referenced: set[str]) -> set[str]:
    """The (lower-case) properties whose value takes a password in through ``${…}``, directly
    or in a chain (``copy=${jetty.sslContext.keyStorePassword}``): their value is the password."""
    secret = {k for k in raws if schema.is_secret(k)} | referenced
    refs = {k: {n.lower() for n in _REF.findall(raw)} for k, raw in raws.items() if "${" in raw}
    found: set[str] = set()
    grew = True
    while grew:
        grew = False
        for key, names in refs.items():
            if key not in found and key not in secret and names & (secret | found):
                found.add(key)
                grew = True
    return found


def load_effective(base: Path, version: JettyVersion | None = None) -> EffectiveConfig:
    return evaluate(load_documents(base), base, version)
