"""``jettycfg client-auth need|want|off``."""

from __future__ import annotations

from pathlib import Path

import click

from jettycfg.cli.common import (
    base_option,
    resolve_version,
    secret_keys_of,
    version_options,
    write_options,
    write_or_diff,
)
from jettycfg.fsio import edit_lock
from jettycfg.jetty.base import resolve_base
from jettycfg.jetty.clientauth import apply_client_auth
from jettycfg.jetty.edit import Workspace


@click.command(name="client-auth")
@click.argument("mode", type=click.Choice(["need", "want", "off"]))
@base_option
@version_options
@write_options
def client_auth(
    mode: str,
    base: Path | None,
    jetty_version: str | None,
    jetty_home: Path | None,
    dry_run: bool,
    backup: bool,
) -> int:
    """Switch client-certificate authentication.

    \b
    need  a client certificate is required (JOC: certificate login only)
    want  requested; clients without one still connect (password login works)
    off   no certificate is requested

    For Jetty 9.4.15-9.4.18, or when the version is unknown, the empty
    jetty.sslContext.endpointIdentificationAlgorithm= is written too.
    """
    version = resolve_version(jetty_version, jetty_home)
    with edit_lock(resolve_base(base)):
        ws = Workspace.for_base(base)
        result = apply_client_auth(ws, mode, version)
        if not result.changed:
            click.echo(f"client auth is already '{mode}': nothing changed")
            return 0
        real = write_or_diff(
            ws.changes(), dry_run=dry_run, backup=backup, secret_keys=secret_keys_of(ws)
        )
    head = "would set" if dry_run else "set"
    out = click.echo if not dry_run else (lambda m: click.echo(m, err=True))
    for action in result.actions:
        out(f"{head} {action}")
    for change in real:
        out(f"{'would change' if dry_run else 'changed'}: {change.path}")
    return 0
