"""Store edits judged with the base that uses the store (``--base``).

Removing the server's key from the keystore Jetty opens, or importing into a store the base
opens with another type, leaves a Jetty that does not start or cannot serve TLS - and nothing
in the store says so. Given the base, an edit of one of its stores goes through the start guard
(jettycfg/jetty/startguard.py) with the new store bytes, and is refused (nothing written) when
it brings in a start failure or leaves the keystore without a key, as any edit of a base is.
``store passwd --base`` and ``store convert --base`` have their own planners (they change the
base's password, path and type properties too: jettycfg/jetty/storepass.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from jettycfg.cli.common import F, resolve_version, version_options
from jettycfg.fsio import edit_lock
from jettycfg.stores.model import Store, StoreFormat
from jettycfg.stores.save import checked_bytes, save_checked

if TYPE_CHECKING:
    from jettycfg.jetty.version import JettyVersion


def base_option(help_text: str) -> Callable[[F], F]:
    """A store command's --base option."""
    return click.option("--base", "base", type=click.Path(path_type=Path), help=help_text)


def base_guard(func: F) -> F:
    """--base (and the version options the guard needs) for a store edit."""
    func = version_options(func)
    return base_option(
        "The JETTY_BASE that uses this store: the edit is refused (nothing written) if "
        "Jetty would then not start or its keystore would hold no key."
    )(func)


def version_of(options: dict[str, object]) -> JettyVersion | None:
    """The Jetty version --jetty-version / --jetty-home (or $JETTY_HOME) give, else unknown."""
    named, home = options.get("jetty_version"), options.get("jetty_home")
    return resolve_version(
        named if isinstance(named, str) else None, home if isinstance(home, Path) else None
    )


def keys_follow_store(base: Path, store: Path, version: JettyVersion | None) -> bool:
    """Whether ``base`` opens the keys of ``store`` with its store password (no
    keyManagerPassword on Jetty 10+): then a JKS keystore's keys follow a new store password."""
    from jettycfg.jetty.storepass import keys_follow

    return keys_follow(base, store, version)


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


def passwd_with_base(
    path: Path,
    data: bytes,
    base: Path,
    passwords: tuple[str, str | None],
    fmt: StoreFormat,
    version: JettyVersion | None,
    dry_run: bool,
    backup: bool,
) -> None:
    """The store and the base's password properties as one transaction (or one dry-run)."""
    from jettycfg.cli.common import secret_keys_of, write_or_diff
    from jettycfg.jetty.base import resolve_base
    from jettycfg.jetty.edit import Workspace
    from jettycfg.jetty.storepass import plan_passwd

    root = resolve_base(base)
    with edit_lock(root):
        ws = Workspace.for_base(base)
        changes, keys = plan_passwd(ws, path, data, passwords, fmt, version)
        secret = secret_keys_of(ws)  # the journal in the base: its next read finishes it
        write_or_diff(changes, dry_run=dry_run, backup=backup, secret_keys=secret, journal_dir=root)
    for key in keys:
        click.echo(f"{'would set' if dry_run else 'set'} {key} (value not shown)", err=dry_run)


def convert_with_base(
    paths: tuple[Path, Path],
    data: bytes,
    base: Path,
    password: str,
    fmt: StoreFormat,
    version: JettyVersion | None,
    dry_run: bool,
    backup: bool,
) -> None:
    """The converted store and the base's switch to it as one transaction (or one dry-run)."""
    from jettycfg.cli.common import secret_keys_of, write_or_diff
    from jettycfg.jetty.base import resolve_base
    from jettycfg.jetty.edit import Workspace
    from jettycfg.jetty.storepass import plan_convert, shown

    src, dst = paths
    root = resolve_base(base)
    with edit_lock(root):
        ws = Workspace.for_base(base)
        changes, done = plan_convert(ws, src, dst, data, password, fmt, version)
        secret = secret_keys_of(ws)  # the journal in the base: its next read finishes it
        write_or_diff(changes, dry_run=dry_run, backup=backup, secret_keys=secret, journal_dir=root)
    for key, value in done:
        click.echo(f"{'would set' if dry_run else 'set'} {shown(key, value)}", err=dry_run)
