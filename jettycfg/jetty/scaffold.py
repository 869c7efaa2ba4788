"""Create a new JETTY_BASE TLS configuration from the jinja2 templates in ``templates/``.

jinja2 is imported here only, so commands that do not render templates start fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jettycfg
from jettycfg.errors import UsageError
from jettycfg.fsio import FileChange
from jettycfg.jetty import obf
from jettycfg.jetty.clientauth import MODES, WORKAROUND_COMMENT, workaround_needed
from jettycfg.jetty.version import JettyVersion


def templates_dir() -> Path:
    """Templates ship inside the wheel as ``jettycfg/_templates``; in a checkout, ``templates/``."""
    here = Path(jettycfg.__file__).resolve().parent
    for candidate in (here / "_templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise UsageError("jettycfg's templates are missing from this installation")


@dataclass
class InitOptions:
    base: Path
    version: JettyVersion
    layout: str | None = None  # "start.ini" | "start.d"; default by version
    host: str = "0.0.0.0"
    port: int = 8443
    keystore: str = "resources/joc/https-keystore.p12"
    truststore: str = "resources/joc/https-truststore.p12"
    keystore_password: str | None = None
    truststore_password: str | None = None
    client_auth: str = "want"
    files: dict[str, str] = field(default_factory=dict)


def store_type(path: str) -> str:
    """Type to declare for a store path; the real format is checked by lint, not guessed here."""
    return "PKCS12" if path.lower().endswith((".p12", ".pfx", ".pkcs12")) else "JKS"


def _store_setting(
    kind: str, path: str, base: Path, version: JettyVersion
) -> tuple[str, str, bool]:
    """(property, value, is_absolute_key) for a store path; 9.4 glues jetty.base in front."""
    key = f"jetty.sslContext.{kind}StorePath"
    p = Path(path)
    if not p.is_absolute():
        return key, path.replace("\\", "/"), False
    try:
        return key, p.resolve().relative_to(base.resolve()).as_posix(), False
    except ValueError:
        if version.family == "9.4":
            return f"jetty.sslContext.{kind}StoreAbsolutePath", str(p), True
        return key, str(p), False


def render(options: InitOptions) -> list[FileChange]:
    """The files ``init`` would write, rendered; nothing is written here."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    _validate(options)
    layout = options.layout or ("start.ini" if options.version.family == "9.4" else "start.d")
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    targets = {"start.ini": "start.ini.j2"}
    if layout != "start.ini":
        # as `start.jar --add-modules=https` lays it out: Jetty 12.1 has an ssl-context module
        targets = {"start.d/ssl.ini": "ssl.ini.j2", "start.d/https.ini": "https.ini.j2"}
        if options.version.has_ssl_context_module:
            targets["start.d/ssl-context.ini"] = "ssl-context.ini.j2"
    context = _context(options)
    changes = []
    for rel, template in targets.items():
        path = options.base / rel
        text = env.get_template(template).render(context)
        old = path.read_bytes() if path.is_file() else None
        secret = options.keystore_password or options.truststore_password
        changes.append(FileChange(path, old, text.encode("utf-8"), 0o600 if secret else 0o644))
    return changes


def _validate(options: InitOptions) -> None:
    """Refuse values that would break the ini file (line injection) or are unknown."""
    if options.client_auth not in MODES:
        raise UsageError(f"unknown client-auth mode {options.client_auth!r}")
    for what, value in (
        ("--host", options.host),
        ("--keystore", options.keystore),
        ("--truststore", options.truststore),
    ):
        if not value.strip() or any(c in value for c in "\r\n"):
            raise UsageError(f"{what}: not a usable value")
    for what, secret in (
        ("keystore", options.keystore_password),
        ("truststore", options.truststore_password),
    ):
        if secret is not None and any(c in secret for c in "\r\n"):
            raise UsageError(f"the {what} password cannot contain a line break")


def _context(options: InitOptions) -> dict[str, object]:
    """What the templates see."""
    version = options.version
    ks_key, ks_path, ks_abs = _store_setting("key", options.keystore, options.base, version)
    ts_key, ts_path, _ = _store_setting("trust", options.truststore, options.base, version)
    need, want = MODES[options.client_auth]
    return {
        "version": str(version),
        "jettycfg_version": jettycfg.__version__,
        "base_hint": str(options.base),
        "module_option": "--modules" if version.major >= 12 else "--module",
        "split_context": version.has_ssl_context_module,
        "host": options.host,
        "port": options.port,
        "keystore_key": ks_key,
        "keystore_path": ks_path,
        "keystore_absolute_key": ks_abs,
        "keystore_type": store_type(options.keystore),
        "keystore_password": _obf(options.keystore_password),
        "truststore_key": ts_key,
        "truststore_path": ts_path,
        "truststore_type": store_type(options.truststore),
        "truststore_password": _obf(options.truststore_password),
        "client_auth": options.client_auth,
        "need": need,
        "want": want,
        "workaround": options.client_auth != "off" and workaround_needed(version),
        "workaround_comment": WORKAROUND_COMMENT,
    }


def _obf(password: str | None) -> str | None:
    return obf.obfuscate(password) if password else None
