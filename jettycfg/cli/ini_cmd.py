"""``jettycfg ini show|get|set|unset``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from jettycfg.cli.common import (
    base_option,
    read_secret,
    resolve_version,
    secret_keys_of,
    version_options,
    write_options,
    write_or_diff,
)
from jettycfg.errors import JettycfgError, UsageError, printable, printable_lines
from jettycfg.fsio import FileChange, edit_lock
from jettycfg.jetty.base import EffectiveConfig, evaluate, resolve_base
from jettycfg.jetty.edit import Workspace, parse_assignment
from jettycfg.jetty.version import JettyVersion
from jettycfg.report.ini_view import ini_json, render_ini_text


@click.group()
def ini() -> None:
    """Read and edit Jetty start ini files (start.ini, start.d/*.ini) losslessly."""


def _pairs(
    assignments: tuple[str, ...], env: str | None, file: Path | None, prompt: bool
) -> list[tuple[str, str]]:
    """KEY=VALUE pairs; with --value-env / --value-file / --value-prompt every bare KEY gets
    that one secret (JOC's stores usually share a password), so paths and passwords go in one
    edit - the start guard judges the whole edit, not each step."""
    if not (env or file or prompt):
        return [parse_assignment(a) for a in assignments]
    bare = [a for a in assignments if "=" not in a]
    if not bare:
        raise UsageError("--value-env / --value-file / --value-prompt give the value of bare KEYs")
    names = ", ".join(bare)
    value = read_secret(env=env, file=file, prompt=f"Value of {names}", what=f"value of {names}")
    return [parse_assignment(f"{a}={value}" if a in bare else a) for a in assignments]


def _write(
    ws: Workspace,
    dry_run: bool,
    backup: bool,
    show_secrets: bool,
    also: frozenset[str] = frozenset(),
) -> list[FileChange]:
    """Write the workspace's changes (or show their diffs, a password's references and the
    keys ``also`` given a secret masked)."""
    return write_or_diff(
        ws.changes(),
        dry_run=dry_run,
        backup=backup,
        show_secrets=show_secrets,
        secret_keys=secret_keys_of(ws) | also,
    )


def _folder(base: Path | None, file: Path | None) -> Path:
    """What an edit locks: the base - the one a start.d file belongs to, so that ``--file
    B/start.d/ssl.ini`` and ``--base B`` exclude each other - or the ini file's folder."""
    if file is None:
        return resolve_base(base)
    folder = file.absolute().parent  # "ssl.ini" run inside start.d is in start.d too
    return folder.parent if folder.name == "start.d" else folder


def _target(base: Path | None, file: Path | None, *, create: bool = False) -> Workspace:
    if base is not None and file is not None:
        raise UsageError("give --base or --file, not both")
    if file is not None:
        return Workspace.for_file(file, create=create)
    return Workspace.for_base(base)


def _config(ws: Workspace, version: JettyVersion | None) -> EffectiveConfig:
    return evaluate(ws.docs, ws.root, version)


@ini.command()
@base_option
@version_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--show-secrets", is_flag=True, help="Print passwords instead of masking them.")
def show(
    base: Path | None,
    jetty_version: str | None,
    jetty_home: Path | None,
    fmt: str,
    show_secrets: bool,
) -> int:
    """Every effective property with its value and origin, as start.jar computes it.

    Jetty's per-version defaults are included when the version is known
    (--jetty-version, --jetty-home or $JETTY_HOME).
    """
    version = resolve_version(jetty_version, jetty_home)
    config = _config(_target(base, None), version)
    if fmt == "json":
        click.echo(json.dumps(ini_json(config, show_secrets), indent=2))
        return 0
    for error in config.errors:
        click.echo(f"jettycfg: warning: {printable(str(error))}", err=True)
    click.echo(printable_lines(render_ini_text(config, show_secrets)), nl=False)
    return 0


@ini.command()
@base_option
@click.option("--file", type=click.Path(path_type=Path), help="One ini file instead of a base.")
@version_options
@click.option("--show-secrets", is_flag=True, help="Allow printing a password value.")
@click.argument("key")
def get(
    base: Path | None,
    file: Path | None,
    jetty_version: str | None,
    jetty_home: Path | None,
    show_secrets: bool,
    key: str,
) -> int:
    """Print the effective value of KEY; exit 1 when it is not set."""
    version = resolve_version(jetty_version, jetty_home)
    config = _config(_target(base, file), version)
    prop = config.get(key)
    if prop is None:
        click.echo(f"{key} is not set", err=True)
        return 1
    if prop.secret and not show_secrets:
        raise UsageError(f"{key} holds a password: add --show-secrets to print it")
    click.echo(prop.value)
    return 0


@ini.command(name="set")
@base_option
@click.option("--file", type=click.Path(path_type=Path), help="One ini file instead of a base.")
@write_options
@click.option("--show-secrets", is_flag=True, help="Do not mask passwords in the diff.")
@click.option("--value-env", metavar="VAR", help="The value of the bare KEY(s) from $VAR.")
@click.option("--value-file", type=click.Path(path_type=Path), help="…from a file's first line.")
@click.option("--value-prompt", is_flag=True, help="…from a hidden prompt.")
@version_options
@click.argument("assignments", nargs=-1, required=True, metavar="KEY=VALUE... [KEY...]")
def set_(
    base: Path | None,
    file: Path | None,
    dry_run: bool,
    backup: bool,
    show_secrets: bool,
    value_env: str | None,
    value_file: Path | None,
    value_prompt: bool,
    jetty_version: str | None,
    jetty_home: Path | None,
    assignments: tuple[str, ...],
) -> int:
    """Set properties, changing only the lines that must change. A password is best given as
    bare KEY(s) with --value-env, --value-file or --value-prompt (not on the command line);
    KEY=VALUE pairs in the same call go in the same edit (new store paths with their password)."""
    pairs = _pairs(assignments, value_env, value_file, value_prompt)
    given = value_env or value_file or value_prompt  # the bare KEYs hold a secret
    bare = frozenset(a for a in assignments if "=" not in a) if given else frozenset()
    secret = next((v for k, v in pairs if k in bare), "")
    version = resolve_version(jetty_version, jetty_home)  # what the start guard judges with
    try:
        with edit_lock(_folder(base, file)):
            ws = _target(base, file, create=True)
            ws.version = version
            changed = [key for key, value in pairs if ws.set(key, value)]
            real = _write(ws, dry_run, backup, show_secrets, bare)
    except JettycfgError as exc:  # e.g. the start guard naming a path built from the secret
        if secret and secret in str(exc):
            raise UsageError(str(exc).replace(secret, "****")) from None
        raise
    verb = "would change" if dry_run else "changed"
    for change in real:
        click.echo(f"{verb}: {change.path}", err=dry_run)
    if not changed:
        click.echo("nothing to do: every value is already set", err=dry_run)
    return 0


@ini.command()
@base_option
@click.option("--file", type=click.Path(path_type=Path), help="One ini file instead of a base.")
@write_options
@click.option("--show-secrets", is_flag=True, help="Do not mask passwords in the diff.")
@version_options
@click.argument("keys", nargs=-1, required=True, metavar="KEY...")
def unset(
    base: Path | None,
    file: Path | None,
    dry_run: bool,
    backup: bool,
    show_secrets: bool,
    jetty_version: str | None,
    jetty_home: Path | None,
    keys: tuple[str, ...],
) -> int:
    """Remove the active definition(s) of each KEY."""
    version = resolve_version(jetty_version, jetty_home)  # what the start guard judges with
    with edit_lock(_folder(base, file)):
        ws = _target(base, file)
        ws.version = version
        removed = {key: ws.unset(key) for key in keys}
        real = _write(ws, dry_run, backup, show_secrets)
    verb = "would change" if dry_run else "changed"
    for change in real:
        click.echo(f"{verb}: {change.path}", err=dry_run)
    for key, count in removed.items():
        if not count:
            click.echo(f"{key} was not set", err=True)
    return 0
