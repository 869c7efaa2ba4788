"""Store edits judged with the base that uses the store (``--base``).

Removing the server's key from the keystore Jetty opens, or importing into a store the base
opens with another type, leaves a Jetty that does not start or cannot serve TLS - and nothing
in the store says so. Given the base, an edit of one of its stores goes through the start guard
(jettycfg/jetty/startguard.py) with the new store bytes, and is refused (nothing written) when
it brings in a start failure or leaves the keystore without a key, as any edit of a base is.
``store passwd --base`` has its own planner (it changes the base's passwords too:
jettycfg/jetty/storepass.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from jettycfg.cli.common import F, resolve_version, version_options
from jettycfg.stores.model import Store
from jettycfg.stores.save import checked_bytes, save_checked

if TYPE_CHECKING:
    from jettycfg.jetty.version import JettyVersion


def base_guard(func: F) -> F:
    """--base (and the version options the guard needs) for a store edit."""
    func = version_options(func)
    return click.option(
        "--base",
        "base",
        type=click.Path(path_type=Path),
        help="The JETTY_BASE that uses this store: the edit is refused (nothing written) if "
        "Jetty would then not start or its keystore would hold no key.",
    )(func)


def version_of(options: dict[str, object]) -> JettyVersion | None:
    """The Jetty version --jetty-version / --jetty-home (or $JETTY_HOME) give, else unknown."""
    named, home = options.get("jetty_version"), options.get("jetty_home")
    return resolve_version(
        named if isinstance(named, str) else None, home if isinstance(home, Path) else None
    )


def save_store(
    st: Store,
    path: Path,
    password: str,
    *,
    legacy: bool,
    backup: bool,
    dry_run: bool,
    options: dict[str, object],
) -> None:
    """Write the edited store (nothing on a dry run); with --base judged with the base first."""
    base = options.get("base")
    if not isinstance(base, Path):
        if not dry_run:
            save_checked(st, path, st.format, password, legacy=legacy, backup=backup)
        return
    from jettycfg.cli.common import write_or_diff
    from jettycfg.fsio import FileChange
    from jettycfg.jetty.base import resolve_base
    from jettycfg.jetty.edit import Workspace
    from jettycfg.stores import files

    version = version_of(options)
    data = checked_bytes(st, path, st.format, password, legacy=legacy)
    root = resolve_base(base)
    ws = Workspace.for_base(base)
    ws.version = version
    ws.stores = {path: data}  # UsageError below when the base would not start with it
    old = files.read_bytes(path) if path.exists() else None
    changes = [FileChange(path, old, data, 0o600), *ws.changes()]
    write_or_diff(changes, dry_run=dry_run, backup=backup, journal_dir=root)
