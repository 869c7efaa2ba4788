"""The library API: everything the command line does, as typed functions returning records.

The command line (:mod:`jettycfg.cli`) is a thin layer over these functions: it parses options,
calls one of them, renders the result and chooses the exit code. A library user gets the same
power without click (this module never imports it), and the same errors: every bad input raises
a :class:`jettycfg.errors.JettycfgError` subclass whose message never holds a secret.

Example (runs as written in the tests, see README "Use as a library")::

    from jettycfg import api

    base = api.load_base("samples/joc-2.7/jetty_base", jetty_version="11")
    print(base.client_auth, base.starts)
    report = api.lint(base.path, clients=["samples/clients/root.crt"], accounts={"root"},
                      options=api.LintOptions(jetty_version="11"))
    print(api.render(report, "text"))
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jettycfg.errors import JettycfgError, UsageError
from jettycfg.fsio import FileChange, unified_diff
from jettycfg.jetty.base import EffectiveConfig, load_documents, load_effective, resolve_base
from jettycfg.jetty.version import JettyVersion
from jettycfg.lint.runner import LintResult
from jettycfg.probe.run import ProbeResult
from jettycfg.transaction import apply_changes
from jettycfg.trust.algorithms import DEFAULT_JAVA

if TYPE_CHECKING:
    from jettycfg.stores.model import Store, StoreFormat

__all__ = [
    "EditResult",
    "JettyBase",
    "JettycfgError",
    "LintOptions",
    "LintReport",
    "ProbeReport",
    "edit_ini",
    "effective_config",
    "lint",
    "load_base",
    "open_store",
    "probe",
    "render",
    "save_store",
    "set_client_auth",
]

PathLike = str | os.PathLike[str]
LintReport = LintResult  #: what :func:`lint` returns (findings, a verdict per client)
ProbeReport = ProbeResult  #: what :func:`probe` returns


def _version(value: str | JettyVersion | None) -> JettyVersion | None:
    if value is None or isinstance(value, JettyVersion):
        return value
    if not isinstance(value, (str, int, float)):
        raise UsageError(f"jetty_version: a version such as '9.4.57' or '12', not {type(value)}")
    return JettyVersion.parse(str(value))  # 11 and 12.1 as numbers too


@contextlib.contextmanager
def _home(home: PathLike | None) -> Iterator[None]:
    """``${jetty.home}`` expands to ``home`` within the call (as --jetty-home on the CLI)."""
    if home is None:
        yield
        return
    from jettycfg.fsio import is_folder
    from jettycfg.jetty.base import JETTY_HOME_PATH

    if not is_folder(Path(home)):
        raise UsageError(f"jetty_home: not a folder: {home}")
    token = JETTY_HOME_PATH.set(Path(home))
    try:
        yield
    finally:
        JETTY_HOME_PATH.reset(token)


def _version_of(value: str | JettyVersion | None, home: PathLike | None) -> JettyVersion | None:
    """``jetty_version``, else the version of ``jetty_home`` (as the CLI detects it)."""
    if value is not None or home is None:
        return _version(value)
    from jettycfg.jetty.version import detect_version

    return detect_version(Path(home))


def _text(value: object, what: str) -> None:
    """A password or key given as something else than text is the caller's error."""
    if value is not None and not isinstance(value, str):
        raise UsageError(f"{what}: give text (str), not {type(value).__name__}")


@dataclass(frozen=True)
class JettyBase:
    """What Jetty does with a JETTY_BASE at start: the server model, read as Jetty's XML reads
    the effective settings.

    ``client_auth`` is ``need``, ``want`` or ``off``; ``starts`` is the prediction whether a
    real Jetty starts on this base (stores open, passwords right, a TLS connector configured);
    ``problems`` are the model's own findings (why Jetty would not start, and similar).
    """

    path: Path
    jetty_version: str
    jetty_version_known: bool
    client_auth: str
    starts: bool
    config: EffectiveConfig
    problems: tuple[str, ...] = ()


def effective_config(
    base: PathLike | None, jetty_version: str | None = None, jetty_home: PathLike | None = None
) -> EffectiveConfig:
    """The effective configuration of ``base`` exactly as start.jar computes it (``jetty_home``:
    the version, unless given, and what ``${jetty.home}`` expands to)."""
    root = resolve_base(base)
    with _home(jetty_home):
        return load_effective(root, _version_of(jetty_version, jetty_home))


def load_base(
    base: PathLike | None,
    jetty_version: str | JettyVersion | None = None,
    java: int = DEFAULT_JAVA,
    jetty_home: PathLike | None = None,
) -> JettyBase:
    """Read ``base`` (default: $JETTY_BASE, then the current folder) and model its server."""
    with _home(jetty_home):
        return _load_base(resolve_base(base), _version_of(jetty_version, jetty_home), java)


def _load_base(root: Path, version: JettyVersion | None, java: int) -> JettyBase:
    from jettycfg.jetty.server import model_server

    docs = load_documents(root)
    model = model_server(root, version, java, docs)
    return JettyBase(
        path=root,
        jetty_version=str(model.version),
        jetty_version_known=model.version_known,
        client_auth=model.client_auth,
        starts=model.starts,
        config=load_effective(root, version),
        problems=tuple(f"{f.rule}: {f.message}" for f in model.findings),
    )


@dataclass(frozen=True)
class EditResult:
    """The outcome of an edit: what was set, which files change, and their diffs."""

    changed: bool
    actions: tuple[str, ...]
    files: tuple[Path, ...]
    diffs: tuple[str, ...]
    backups: tuple[Path, ...] = ()
    written: bool = False


def _finish(
    changes: list[FileChange], actions: Sequence[str], *, dry_run: bool, backup: bool
) -> EditResult:
    real = [c for c in changes if c.changed]
    backups: list[Path] = []
    if not dry_run and real:
        backups = apply_changes(real, backup=backup)
    return EditResult(
        changed=bool(real),
        actions=tuple(actions),
        files=tuple(c.path for c in real),
        diffs=tuple(unified_diff(c) for c in real),
        backups=tuple(backups),
        written=bool(real) and not dry_run,
    )


def set_client_auth(
    base: PathLike | None,
    mode: str,
    jetty_version: str | JettyVersion | None = None,
    *,
    dry_run: bool = False,
    backup: bool = False,
) -> EditResult:
    """Switch client-certificate authentication to ``need``, ``want`` or ``off``.

    Writes atomically (or only computes the diffs with ``dry_run``); the diffs are not masked,
    so treat them as secret when the base holds passwords.
    """
    from jettycfg.jetty.clientauth import MODES, apply_client_auth
    from jettycfg.jetty.edit import Workspace

    if mode not in MODES:
        raise UsageError(f"client-auth mode must be one of {', '.join(MODES)}")
    ws = Workspace.for_base(resolve_base(base))
    result = apply_client_auth(ws, mode, _version(jetty_version))
    if not result.changed:
        return EditResult(False, (), (), ())
    return _finish(ws.changes(), result.actions, dry_run=dry_run, backup=backup)


def edit_ini(
    base: PathLike | None = None,
    *,
    file: PathLike | None = None,
    set: Mapping[str, str] | None = None,
    unset: Iterable[str] = (),
    dry_run: bool = False,
    backup: bool = False,
    jetty_version: str | JettyVersion | None = None,
) -> EditResult:
    """Set and unset properties in a base (or in one ini ``file``), losslessly; the edit is
    refused (UsageError) when Jetty ``jetty_version`` (unknown: as 9.4) would then not start."""
    from jettycfg.jetty.edit import Workspace, parse_assignment

    if file is not None:
        ws = Workspace.for_file(Path(file), create=True)
    else:
        ws = Workspace.for_base(resolve_base(base))
    ws.version = _version(jetty_version)
    actions: list[str] = []
    for key, value in (set or {}).items():
        _text(key, "a key")
        _text(value, f"the value of {key}")
        if parse_assignment(f"{key}={value}") != (key, value):  # as the command line checks
            raise UsageError("a key holds '=': give the key and its value apart")
        if ws.set(key, value):
            actions.append(f"set {key}")
    for key in unset:
        _text(key, "a key")
        if parse_assignment(f"{key}=")[0] != key:
            raise UsageError("a key holds '=': give the key alone")
        if ws.unset(key):
            actions.append(f"unset {key}")
    return _finish(ws.changes(), actions, dry_run=dry_run, backup=backup)


def open_store(path: PathLike, password: str | None, *, decrypt_keys: bool = False) -> Store:
    """Read a JKS, JCEKS, PKCS#12, PEM or DER store as Java's keytool would list it."""
    from jettycfg.stores import files

    _text(password, "password")
    return files.load(Path(path), password, decrypt_keys=decrypt_keys)


def save_store(
    store: Store,
    path: PathLike,
    password: str,
    *,
    fmt: StoreFormat | None = None,
    legacy: bool = False,
    backup: bool = False,
    key_password: str | None = None,
) -> Path | None:
    """Serialize ``store``, read the bytes back to prove them, then write atomically (a new
    file gets mode 0600). Returns the backup made, if any."""
    from jettycfg.stores.save import save_checked

    return save_checked(
        store,
        Path(path),
        fmt or store.format,
        password,
        legacy=legacy,
        backup=backup,
        key_password=key_password,
    )


@dataclass(frozen=True)
class LintOptions:
    """How to judge: the Jetty and Java versions, the time, and limits."""

    jetty_version: str | None = None
    java: int = DEFAULT_JAVA
    at: dt.datetime | None = None
    client_pass: str | None = None
    expiry_days: int = 30
    client_ip: str | None = None
    jobs: int = 1
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    p12: tuple[PathLike, ...] = field(default_factory=tuple)
    jetty_home: PathLike | None = None  # the version (unless given) and ${jetty.home}


def lint(
    base: PathLike | None,
    clients: Iterable[PathLike] = (),
    accounts: Iterable[str] | None = None,
    options: LintOptions | None = None,
) -> LintReport:
    """Lint ``base`` and judge every client certificate file as a real Jetty (and JOC) would.

    ``clients`` are PEM/DER files (leaf first, then the chain the client sends); PKCS#12
    bundles go in ``options.p12`` with ``options.client_pass``.
    """
    from jettycfg.lint.context import LintOptions as RunOptions
    from jettycfg.lint.inputs import client_ip
    from jettycfg.lint.runner import run_lint
    from jettycfg.rules import selection
    from jettycfg.trust.algorithms import JAVA_VERSIONS

    opts = options or LintOptions()
    if opts.java not in JAVA_VERSIONS:
        raise UsageError(f"java: one of {', '.join(map(str, JAVA_VERSIONS))}")
    _text(opts.client_pass, "client_pass")
    at = opts.at or dt.datetime.now(dt.timezone.utc)
    run = RunOptions(
        base=resolve_base(base),
        client_certs=[Path(c) for c in clients],
        client_p12=[Path(p) for p in opts.p12],
        client_pass=opts.client_pass,
        accounts=set(accounts) if accounts is not None else None,
        jetty_version=_version_of(opts.jetty_version, opts.jetty_home),
        java=opts.java,
        at=at if at.tzinfo is not None else at.replace(tzinfo=dt.timezone.utc),  # as the CLI
        expiry_days=opts.expiry_days,
        client_ip=client_ip(opts.client_ip, "client_ip"),
        jobs=opts.jobs,
    )
    with _home(opts.jetty_home):
        return run_lint(run, selection(opts.select, "select"), selection(opts.ignore, "ignore"))


def probe(
    host: str,
    port: int,
    *,
    client_cert: PathLike | None = None,
    client_key: PathLike | None = None,
    timeout: float = 10.0,
    base: PathLike | None = None,
    jetty_version: str | None = None,
) -> ProbeResult:
    """One TLS conversation with ``host:port``: what the server asks of clients (CA names,
    client-auth mode) and, with ``base``, how that compares with lint's model."""
    from jettycfg.probe.run import ProbeOptions
    from jettycfg.probe.run import probe as run_probe

    return run_probe(
        ProbeOptions(
            host=host,
            port=port,
            client_cert=Path(client_cert) if client_cert is not None else None,
            client_key=Path(client_key) if client_key is not None else None,
            timeout=timeout,
            base=Path(base) if base is not None else None,
            jetty_version=_version(jetty_version),
        )
    )


def render(report: LintResult | ProbeResult, format: str = "text") -> str:
    """Render a lint report as text, json, sarif or junit; a probe report as text or json."""
    if isinstance(report, ProbeResult):
        if format not in ("text", "json"):
            raise UsageError(f"a probe report renders as text or json, not {format!r}")
        from jettycfg.report.probe import render_probe

        return render_probe(report, format)
    if format not in ("text", "json", "sarif", "junit"):
        raise UsageError(f"unknown format {format!r} (text, json, sarif or junit)")
    from jettycfg.report import render as render_lint

    return render_lint(report, format)
