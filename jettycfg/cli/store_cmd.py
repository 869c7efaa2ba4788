"""``jettycfg store ...``: list, import, remove, rename, export, convert, passwd, repair-trust."""

from __future__ import annotations

import contextlib
import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from jettycfg.cli.common import F, password_from, password_options, version_options
from jettycfg.cli.store_base import (
    base_guard,
    base_option,
    convert_with_base,
    keys_follow_store,
    passwd_with_base,
    save_store,
    version_of,
)
from jettycfg.errors import StoreError, UsageError, printable
from jettycfg.fsio import edit_lock, write_atomic
from jettycfg.report.store_view import entry_json, render_text
from jettycfg.stores import files, ops
from jettycfg.stores.javacompat import java_cannot_open
from jettycfg.stores.model import EntryKind, Store, StoreFormat
from jettycfg.stores.save import checked_bytes, format_for, keep_legacy, save_checked

if TYPE_CHECKING:
    from cryptography import x509


STORE_PATH = click.Path(path_type=Path, dir_okay=False)


def _pw(
    kw: dict[str, object], name: str, what: str, required: bool = True, confirm: bool = False
) -> str | None:
    return password_from(kw, name, what, required=required, confirm=confirm)


def _save(
    st: Store, path: Path, password: str, backup: bool, dry_run: bool, kw: dict[str, object]
) -> None:
    """Save an edited store in its own format, keeping its family of algorithms (with --base:
    judged with the base first)."""
    legacy = keep_legacy(st, False, False)
    save_store(st, path, password, legacy=legacy, backup=backup, dry_run=dry_run, options=kw)


def _locked(func: F) -> F:
    """Hold the edit lock on the store's folder for the whole read-modify-write (with --base,
    the base's lock first: jettycfg takes a base's lock before any folder's)."""

    @functools.wraps(func)
    def wrapper(*args: object, **kw: object) -> object:
        target = kw.get("dst") or kw.get("path")
        folder = target.parent if isinstance(target, Path) else Path(".")
        base = kw.get("base")
        with contextlib.ExitStack() as locks:
            if isinstance(base, Path):  # one order for every two-folder edit: the base first
                from jettycfg.jetty.base import resolve_base

                locks.enter_context(edit_lock(resolve_base(base)))
            locks.enter_context(edit_lock(folder if str(folder) else Path(".")))
            return func(*args, **kw)

    return wrapper  # type: ignore[return-value]


def _report(lines: list[str]) -> None:
    for line in lines:
        click.echo(printable(line))  # aliases and names come from the file


def write_flags(func: F) -> F:
    func = click.option("--backup", is_flag=True, help="Keep the previous file as NAME.bak.")(func)
    return click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")(
        func
    )


def algo_flags(func: F) -> F:
    func = click.option(
        "--modern", is_flag=True, help="PKCS#12 with AES-256 / SHA-256 (default for new files)."
    )(func)
    return click.option(
        "--legacy", is_flag=True, help="PKCS#12 that Java 8 < 8u301 and 11 < 11.0.12 can read."
    )(func)


@click.group()
def store() -> None:
    """Manage JKS and PKCS#12 key- and truststores that Java's keytool agrees with.

    Passwords: --storepass P, --storepass-env VAR, --storepass-file F, or a prompt.
    """


@store.command(name="list")
@click.argument("path", type=STORE_PATH)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@password_options("storepass", "store password")
def list_(path: Path, fmt: str, **kw: object) -> int:
    """List every entry as Java sees it, and the file's protection."""
    data = files.read_bytes(path)
    password = _pw(kw, "storepass", "store password", required=files.needs_password(data))
    st = files.load(path, password, data=data)
    if fmt == "json":
        doc = {
            "path": str(path),
            "format": st.format.value,
            "protection": vars(st.protection),
            "entries": [entry_json(e) for e in st.entries],
            "notes": st.notes,
            "java_cannot_open": java_cannot_open(st),
        }
        click.echo(json.dumps(doc, indent=2))
    else:
        click.echo(render_text(st, password is not None))
    return 0


def _load_or_new(path: Path, password: str, store_type: str | None) -> tuple[Store, bool]:
    if path.exists():
        return files.load(path, password, decrypt_keys=True), True
    if not path.parent.is_dir():
        raise UsageError(f"folder does not exist: {path.parent}")
    return files.new_store(format_for(path, store_type)), False


@store.command(name="import")
@click.argument("path", type=STORE_PATH)
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--alias", help="Alias for the (single) new certificate; default: its CN.")
@click.option("--type", "store_type", type=click.Choice(["pkcs12", "jks"]), help="For a new store.")
@algo_flags
@write_flags
@password_options("storepass", "store password")
@password_options("srcstorepass", "password of source stores")
@base_guard
@_locked
def import_(
    path: Path,
    sources: tuple[Path, ...],
    alias: str | None,
    store_type: str | None,
    legacy: bool,
    modern: bool,
    dry_run: bool,
    backup: bool,
    **kw: object,
) -> int:
    """Import every certificate of PEM bundles, DER files or other stores as trusted entries."""
    password = _pw(kw, "storepass", "store password")
    assert password is not None
    src_password = None
    certs: list[x509.Certificate] = []
    for source in sources:
        data = files.read_bytes(source)
        fmt = files.detect(data)
        if fmt in (StoreFormat.PKCS12, StoreFormat.JKS, StoreFormat.JCEKS) and src_password is None:
            src_password = _pw(
                dict(kw),
                "srcstorepass",
                "password of source stores",
                required=fmt is StoreFormat.PKCS12,
            )
        try:
            src = files.parse(data, src_password)
        except StoreError as exc:
            raise type(exc)(f"{source}: {exc}") from exc
        certs.extend(c for e in src.entries for c in e.certs)
    st, existed = _load_or_new(path, password, store_type)
    report = ops.import_certificates(st, certs, alias)
    if report.changed:  # written (or refused) before anything is said done
        legacy = keep_legacy(st, legacy, modern) if existed else legacy
        save_store(st, path, password, legacy=legacy, backup=backup, dry_run=dry_run, options=kw)
    _report(report.lines(dry_run))
    if not report.changed:
        click.echo("nothing to do: every certificate is already in the store")
    return 0


@store.command()
@click.argument("path", type=STORE_PATH)
@click.argument("aliases", nargs=-1)
@click.option("--fingerprint", "fingerprints", multiple=True, help="SHA-256 of an entry to remove.")
@write_flags
@password_options("storepass", "store password")
@base_guard
@_locked
def remove(
    path: Path,
    aliases: tuple[str, ...],
    fingerprints: tuple[str, ...],
    dry_run: bool,
    backup: bool,
    **kw: object,
) -> int:
    """Remove entries by alias or SHA-256 fingerprint."""
    if not aliases and not fingerprints:
        raise UsageError("name an ALIAS or give --fingerprint")
    password = _pw(kw, "storepass", "store password")
    assert password is not None
    st = files.load(path, password, decrypt_keys=True)
    report = ops.remove(st, list(aliases), list(fingerprints))
    _save(st, path, password, backup, dry_run, kw)
    _report(report.lines(dry_run))
    return 0


@store.command()
@click.argument("path", type=STORE_PATH)
@click.argument("old")
@click.argument("new")
@write_flags
@password_options("storepass", "store password")
@base_guard
@_locked
def rename(path: Path, old: str, new: str, dry_run: bool, backup: bool, **kw: object) -> int:
    """Rename an entry."""
    password = _pw(kw, "storepass", "store password")
    assert password is not None
    st = files.load(path, password, decrypt_keys=True)
    report = ops.rename(st, old, new)
    _save(st, path, password, backup, dry_run, kw)
    _report(report.lines(dry_run))
    return 0


@store.command(name="repair-trust")
@click.argument("path", type=STORE_PATH)
@write_flags
@password_options("storepass", "store password")
@base_guard
@_locked
def repair_trust(path: Path, dry_run: bool, backup: bool, **kw: object) -> int:
    """Mark PKCS#12 certificates Java ignores as trusted entries (fixes openssl truststores)."""
    password = _pw(kw, "storepass", "store password")
    assert password is not None
    st = files.load(path, password, decrypt_keys=True)
    report = ops.repair_trust(st)
    if report.changed:  # written (or refused) before anything is said done
        _save(st, path, password, backup, dry_run, kw)
    _report(report.lines(dry_run))
    if not report.changed:
        click.echo("nothing to do: Java already sees every certificate")
    return 0


@store.command()
@click.argument("path", type=STORE_PATH)
@click.argument("aliases", nargs=-1)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="File to write."
)
@click.option("--der", is_flag=True, help="Binary DER (one certificate).")
@password_options("storepass", "store password")
def export(
    path: Path, aliases: tuple[str, ...], output: Path | None, der: bool, **kw: object
) -> int:
    """Export certificates (PEM by default; all entries when no alias is named)."""
    data = files.read_bytes(path)
    password = _pw(kw, "storepass", "store password", required=files.needs_password(data))
    st = files.load(path, password, data=data)
    data = ops.export(st, list(aliases), der)
    if output is None:
        click.echo(data, nl=False) if der else click.echo(data.decode(), nl=False)
    else:
        write_atomic(output, data, new_mode=0o644)
    return 0


@store.command()
@click.argument("src", type=STORE_PATH)
@click.argument("dst", type=STORE_PATH)
@click.option(
    "--to", "to", type=click.Choice(["pkcs12", "jks"]), help="Default: by DST's extension."
)
@click.option("--force", is_flag=True, help="Overwrite DST (keeping DST.bak).")
@click.option("--dry-run", is_flag=True, help="Say what would be written; write nothing.")
@algo_flags
@password_options("storepass", "source store password")
@password_options("deststorepass", "destination store password (default: the source's)")
@password_options("keypass", "JKS key password of the source (default: store password)")
@base_option(
    "The JETTY_BASE that opens SRC: its store path, type and password properties switch to DST "
    "in the same transaction (refused if Jetty would not start)."
)
@version_options
@_locked
def convert(
    src: Path,
    dst: Path,
    to: str | None,
    force: bool,
    dry_run: bool,
    legacy: bool,
    modern: bool,
    **kw: object,
) -> int:
    """Convert between JKS, PKCS#12 (and read-only formats), keeping entries, keys and aliases.

    With --base the base opens DST instead of SRC (path, type, password; SRC is kept)."""
    if legacy and modern:
        raise UsageError("give --legacy or --modern, not both")
    if dst.exists() and not force and not dry_run:
        raise UsageError(f"{dst} exists; use --force to overwrite it")
    password = _pw(kw, "storepass", "source store password")
    assert password is not None
    keypass = _pw(kw, "keypass", "key password", required=False)
    st = files.load(src, password, decrypt_keys=True, key_password=keypass)
    dest_pw = _pw(kw, "deststorepass", "destination store password", required=False) or password
    fmt = format_for(dst, to)
    ignored = [e for e in st.entries if e.kind is EntryKind.IGNORED]
    if ignored and fmt is StoreFormat.JKS:
        click.echo(
            f"note: {len(ignored)} certificate(s) Java ignores in {src} become trusted "
            "entries in JKS (which has no such distinction)",
            err=True,
        )
    base = kw.get("base")
    if isinstance(base, Path):
        data = checked_bytes(st, dst, fmt, dest_pw, legacy=legacy)
        convert_with_base((src, dst), data, base, dest_pw, fmt, version_of(kw), dry_run, force)
    elif not dry_run:
        save_checked(st, dst, fmt, dest_pw, legacy=legacy, backup=force)
    if dry_run:
        click.echo(f"would write {dst} ({fmt.value}, {len(st.entries)} entries)")
        return 0
    click.echo(f"wrote {dst} ({fmt.value}, {len(st.entries)} entries)")
    return 0


@store.command()
@click.argument("path", type=STORE_PATH)
@write_flags
@password_options("storepass", "current store password")
@password_options("new-storepass", "new store password")
@password_options("keypass", "current JKS key password (needed only with --new-keypass)")
@password_options("new-keypass", "new JKS key password (default: unchanged)")
@base_option(
    "The JETTY_BASE that opens this store: its password properties change in the same "
    "transaction (and the edit is refused if Jetty would not start)."
)
@version_options
@_locked
def passwd(path: Path, dry_run: bool, backup: bool, **kw: object) -> int:
    """Change the store password (PKCS#12: the key password follows, as Java requires; JKS:
    each key keeps its own password, copied as it is unless --new-keypass is given).

    With --base the base's keyStorePassword / trustStorePassword (and a PKCS#12 keystore's
    keyManagerPassword) follow too, OBF kept as OBF: Jetty never sees one without the other.
    """
    old = _pw(kw, "storepass", "current store password")
    assert old is not None
    new = _pw(kw, "new-storepass", "new store password", confirm=True)
    assert new is not None
    keypass = _pw(kw, "keypass", "key password", required=False)
    new_keypass = _pw(kw, "new-keypass", "new key password", required=False)
    data = files.read_bytes(path)
    base = kw.get("base")
    version = version_of(kw) if isinstance(base, Path) else None
    jks = bool(data) and files.detect(data) is StoreFormat.JKS
    # A JKS keystore the base opens without a keyManagerPassword: Jetty opens its keys with the
    # store password, so they follow it (else Jetty would not start).
    follow = (
        jks
        and new_keypass is None
        and isinstance(base, Path)
        and keys_follow_store(base, path, version)
    )
    # JKS keeps per-key passwords. Without --keypass / --new-keypass every key is copied as it
    # is, under its own password (as keytool -storepasswd: no key password needed); with them
    # the keys are opened with --keypass and protected with --new-keypass (default: unchanged).
    verbatim = jks and keypass is None and new_keypass is None and not follow
    st = files.load(path, old, decrypt_keys=not verbatim, key_password=keypass, data=data)
    key_password = None
    if st.format is StoreFormat.JKS and not verbatim:
        key_password = new if follow else new_keypass or keypass or old
    if st.format not in (StoreFormat.JKS, StoreFormat.PKCS12):  # before anything is said done
        raise StoreError(f"{path}: cannot write {st.format.value} stores (JKS or PKCS12 only)")
    data = checked_bytes(
        st, path, st.format, new, legacy=keep_legacy(st, False, False), key_password=key_password
    )
    if isinstance(base, Path):
        passwd_with_base(path, data, base, (new, new_keypass), st.format, version, dry_run, backup)
    elif not dry_run:
        write_atomic(path, data, backup=backup, new_mode=0o600)
    click.echo(f"{'would change' if dry_run else 'changed'} the store password of {path}")
    if follow:
        click.echo(
            f"its keys {'would take' if dry_run else 'take'} it too: the base sets no "
            "keyManagerPassword, so Jetty opens them with it"
        )
    return 0
