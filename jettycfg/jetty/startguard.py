"""After an edit, before anything is written: would Jetty still start? (issue 8)

The server model (lint's start prediction: stores that open with their passwords and types,
keys the key manager can decrypt, settings start.jar accepts) is run on the base as it is and
as the edit would leave it. A start failure the edit brings in refuses the edit, and so does a
keystore left without a key (JC305: Jetty starts, then fails every TLS handshake); failures the
base already had are the user's to fix and do not block an unrelated edit."""

from __future__ import annotations

from pathlib import Path

from jettycfg.errors import UsageError
from jettycfg.ini.model import IniDocument, parse_bytes
from jettycfg.jetty.version import JettyVersion


def _failures(
    base: Path,
    docs: list[IniDocument],
    version: JettyVersion | None,
    stores: dict[Path, bytes] | None = None,
) -> list[str]:
    from jettycfg.jetty.server import NO_TLS, START_FAILURES, model_server
    from jettycfg.stores import files

    with files.pending(stores or {}):  # stores the same edit writes (store ... --base)
        model = model_server(base, version, docs=docs)
    # and a server key: Jetty starts without one and fails every handshake (real Jetty 9.4);
    # and a module that brings in TLS
    rules = START_FAILURES | set(NO_TLS)
    return [f"{f.rule} {f.message}" for f in model.findings if f.rule in rules]


def serves(base: Path, docs: list[IniDocument], version: JettyVersion | None) -> bool:
    """Whether ``docs`` make a Jetty that starts and serves TLS (the guard's view)."""
    return not _failures(base, docs, version)


def ensure_still_starts(
    base: Path,
    docs: list[IniDocument],
    original: dict[Path, bytes | None],
    version: JettyVersion | None,
    stores: dict[Path, bytes] | None = None,
) -> None:
    """Raise UsageError when ``docs`` (the edited files of ``base``) and ``stores`` (store
    files the same edit writes) would make Jetty fail to start, or start without a server key
    (serving no TLS), where ``original`` (the files' bytes before the edit; None: new file) with
    the stores as they are did not."""
    after = _failures(base, docs, version, stores)
    if not after:  # the common case: one model run, not two
        return
    before_docs = [parse_bytes(data, path) for path, data in original.items() if data is not None]
    known = set(_failures(base, before_docs, version))
    new = [f for f in after if f not in known]
    if new:
        from jettycfg.jetty.server import NO_TLS

        what = "starts but serves no TLS" if new[0].startswith(NO_TLS) else "does not start"
        raise UsageError(f"this edit would leave a Jetty that {what} ({new[0]}); nothing written")
