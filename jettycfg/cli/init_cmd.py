"""``jettycfg init``: a new TLS configuration for a JETTY_BASE from the templates."""

from __future__ import annotations

from pathlib import Path

import click

from jettycfg.cli.common import read_secret, write_or_diff
from jettycfg.errors import UsageError
from jettycfg.fsio import FileChange
from jettycfg.ini.model import IniDocument
from jettycfg.jetty.scaffold import InitOptions, render
from jettycfg.jetty.version import JettyVersion


def _keystore(options: InitOptions, hostnames: list[str], days: int) -> list[FileChange]:
    """The generated keystore as one more change (only when the file does not exist yet)."""
    from jettycfg.jetty.serverkey import keystore_change

    change = keystore_change(options, hostnames, days)
    if change is None:
        path = Path(options.keystore)
        shown = path if path.is_absolute() else options.base / path
        click.echo(f"keystore exists, not generated: {shown}", err=True)
        return []
    return [change]


def _judge(options: InitOptions, changes: list[FileChange], *, rewrites: bool) -> None:
    """The base's ini files read once, now and after ``changes``: a rewrite of existing files
    by the start guard, every write for settings another file would override."""
    docs = _docs_after(options, changes)
    if rewrites:
        _still_starts(options, changes, docs)
    _not_overridden(options, changes, docs[1])


def _still_starts(
    options: InitOptions, changes: list[FileChange], docs: tuple[list[IniDocument], ...]
) -> None:
    """Re-initialising a base that starts and serves TLS must not leave one that does not (a
    password or a module dropped): the start guard judges the base with the new files. A base
    still being set up (its stores not there yet) is rewritten as before."""
    from jettycfg.jetty.startguard import ensure_still_starts, serves

    before, after = docs
    if not serves(options.base, before, options.version):
        return
    original: dict[Path, bytes | None] = {d.path: d.to_bytes() for d in before if d.path}
    stores = {c.path: c.new for c in changes if c.path.suffix != ".ini"}
    ensure_still_starts(options.base, after, original, options.version, stores)


def _not_overridden(
    options: InitOptions, changes: list[FileChange], after: list[IniDocument]
) -> None:
    """Each setting init writes must be the one Jetty reads: a file start.jar reads later (a
    start.d/ssl.ini beside a new start.ini) would silently keep its own value."""
    from jettycfg.ini.model import LineKind, parse_bytes
    from jettycfg.jetty.base import evaluate

    written = [c for c in changes if c.path.suffix == ".ini"]
    if not written or not options.base.is_dir():
        return
    effective = evaluate(after, options.base, options.version)
    for change in written:
        for line in parse_bytes(change.new, change.path).lines:
            if line.kind is not LineKind.PROPERTY or not line.key:
                continue
            prop = effective.get(line.key)
            theirs = prop.origin.file if prop is not None and prop.origin is not None else None
            if prop is not None and theirs not in (None, change.path) and prop.raw != line.value:
                raise UsageError(
                    f"{theirs} sets {prop.key} again after {change.path.name}, so Jetty "
                    f"would keep that value: use --layout start.d, or remove it there first"
                )


def _docs_after(
    options: InitOptions, changes: list[FileChange]
) -> tuple[list[IniDocument], list[IniDocument]]:
    """(the base's ini files now, as they would be after ``changes``)."""
    from jettycfg.ini.model import parse_bytes
    from jettycfg.jetty.base import collation_key, load_documents

    before = load_documents(options.base) if options.base.is_dir() else []
    original = {d.path: d.to_bytes() for d in before if d.path is not None}
    new = {c.path: c.new for c in changes if c.path.suffix == ".ini"}
    folders = (options.base, options.base / "start.d")
    own = {**{p: b for p, b in original.items() if p.parent in folders}, **new}
    ordered = sorted(own, key=lambda p: (p.parent.name == "start.d", collation_key(p.name)))
    docs = [d for d in before if d.path not in own]  # included folders' files, as they were
    return before, docs + [parse_bytes(own[p], p) for p in ordered]


def _password(env: str | None, file: Path | None, what: str) -> str | None:
    if env is None and file is None:
        return None
    return read_secret(env=env, file=file, prompt=what, what=what)


@click.command()
@click.option(
    "--base", type=click.Path(path_type=Path), required=True, help="JETTY_BASE to create."
)
@click.option("--jetty-version", default="9.4", show_default=True, help="9.4, 10, 11 or 12.")
@click.option(
    "--layout",
    type=click.Choice(["start.ini", "start.d"]),
    help="Default: start.ini on 9.4, else start.d.",
)
@click.option(
    "--host", default="0.0.0.0", show_default=True, help="Address the TLS connector binds."
)
@click.option("--port", type=click.IntRange(1, 65535), default=8443, show_default=True)
@click.option("--keystore", default="resources/joc/https-keystore.p12", show_default=True)
@click.option("--truststore", default="resources/joc/https-truststore.p12", show_default=True)
@click.option("--keystore-password-env", metavar="VAR", help="Keystore password from $VAR.")
@click.option("--keystore-password-file", type=click.Path(path_type=Path), help="... from a file.")
@click.option("--truststore-password-env", metavar="VAR", help="Truststore password from $VAR.")
@click.option(
    "--truststore-password-file", type=click.Path(path_type=Path), help="... from a file."
)
@click.option(
    "--client-auth", type=click.Choice(["need", "want", "off"]), default="want", show_default=True
)
@click.option(
    "--generate-keystore",
    is_flag=True,
    help="Create the keystore with a self-signed server certificate if it is missing.",
)
@click.option(
    "--hostname",
    "hostnames",
    multiple=True,
    help="Host name or address for the generated certificate; repeatable.",
)
@click.option(
    "--days",
    type=click.IntRange(1, 36500),
    default=825,
    show_default=True,
    help="Validity of the generated certificate.",
)
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
def init(
    base: Path,
    jetty_version: str,
    layout: str | None,
    host: str,
    port: int,
    keystore: str,
    truststore: str,
    keystore_password_env: str | None,
    keystore_password_file: Path | None,
    truststore_password_env: str | None,
    truststore_password_file: Path | None,
    client_auth: str,
    generate_keystore: bool,
    hostnames: tuple[str, ...],
    days: int,
    force: bool,
    dry_run: bool,
) -> int:
    """Create the ssl/https configuration of a JETTY_BASE (passwords are written as OBF)."""
    if base.exists() and not base.is_dir():
        raise UsageError(f"--base is not a folder: {base}")
    for option, value in (("--keystore", keystore), ("--truststore", truststore)):
        where = Path(value) if Path(value).is_absolute() else base / value
        if not value or value.endswith(("/", "\\")) or where.is_dir():
            raise UsageError(f"{option} {value!r}: give the store's file, not a folder")
    options = InitOptions(
        base=base,
        version=JettyVersion.parse(jetty_version),
        layout=layout,
        host=host,
        port=port,
        keystore=keystore,
        truststore=truststore,
        keystore_password=_password(
            keystore_password_env, keystore_password_file, "keystore password"
        ),
        truststore_password=_password(
            truststore_password_env, truststore_password_file, "truststore password"
        ),
        client_auth=client_auth,
    )
    changes = render(options)
    if generate_keystore:
        changes += _keystore(options, list(hostnames), days)
    clash = [c.path for c in changes if c.old is not None and c.changed]
    if clash and not force:  # a dry run shows what the real run would do: refused as well
        raise UsageError(f"{clash[0]} exists; use --force to overwrite it")
    _judge(options, changes, rewrites=bool(clash))
    real = write_or_diff(changes, dry_run=dry_run, backup=force)
    for change in real:
        click.echo(f"{'would write' if dry_run else 'wrote'}: {change.path}", err=dry_run)
    if not real:
        click.echo("nothing to do: the files already hold this configuration")
    if not dry_run:
        _missing_stores(options)
    return 0


def _missing_stores(options: InitOptions) -> None:
    """Jetty does not start without its stores: say which are still missing and how to fix."""
    for what, value, fix in (
        ("keystore", options.keystore, "init --generate-keystore, or copy the server's store"),
        ("truststore", options.truststore, "jettycfg store import {path} CLIENT-CA.pem"),
    ):
        path = Path(value) if Path(value).is_absolute() else options.base / value
        if not path.exists():
            click.echo(
                f"note: the {what} {path} does not exist yet; Jetty will not start "
                f"until it does ({fix.format(path=path)})",
                err=True,
            )
