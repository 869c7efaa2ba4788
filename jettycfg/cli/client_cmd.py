"""``jettycfg client issue|csr|bundle``: client certificates for JOC accounts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from jettycfg.cli.common import get_password, password_options, resolve_version
from jettycfg.errors import UsageError
from jettycfg.fsio import FileChange

F = TypeVar("F", bound=Callable[..., Any])
KEY_TYPES = ["ec256", "ec384", "rsa2048", "rsa3072", "rsa4096"]
RDN_TYPES = {
    "O": "ORGANIZATION_NAME",
    "OU": "ORGANIZATIONAL_UNIT_NAME",
    "C": "COUNTRY_NAME",
    "L": "LOCALITY_NAME",
    "ST": "STATE_OR_PROVINCE_NAME",
}
PATH = click.Path(path_type=Path)
DRY_RUN = click.option(
    "--dry-run", is_flag=True, help="Check everything, show what would be written; write nothing."
)


def _rdns(values: tuple[str, ...]) -> list[tuple[Any, str]]:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    out: list[tuple[Any, str]] = []
    for value in values:
        kind, sep, text = value.partition("=")
        if not sep or kind.upper() not in RDN_TYPES or not text.strip():
            raise UsageError(f"--rdn: TYPE=VALUE with TYPE one of {', '.join(RDN_TYPES)}")
        oid = getattr(NameOID, RDN_TYPES[kind.upper()])
        try:
            x509.NameAttribute(oid, text)
        except ValueError as exc:  # C= takes two letters (ISO 3166), ...
            raise UsageError(f"--rdn {kind.upper()}: {exc}") from None
        out.append((oid, text))
    return out


def _common(func: F) -> F:
    """Options every bundle-writing command shares."""
    options = [
        click.option("--out-dir", type=PATH, required=True, help="Folder for the bundle files."),
        click.option(
            "--profile",
            type=click.Choice(["modern", "legacy"]),
            default="modern",
            show_default=True,
            help="legacy: 3DES + SHA-1 MAC (Windows Server 2016, older macOS).",
        ),
        password_options("password", "the bundle password"),
        click.option("--base", type=PATH, help="Self-check against this JETTY_BASE."),
        click.option("--jetty-version", help="e.g. 9.4.57, 11, 12.1."),
        click.option("--jetty-home", type=PATH, help="Read the Jetty version here."),
        click.option("--force", is_flag=True, help="Replace existing output files."),
        DRY_RUN,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _secret(value: str | None, env: str | None, file: Path | None, what: str) -> str:
    return get_password(value, env, file, what=what, confirm=True) or ""


def _optional(
    given: Path | None,
    value: str | None,
    env: str | None,
    file: Path | None,
    what: str,
    required: bool,
) -> str | None:
    """The password of an optional input, asked for only when that input was given (a
    password for an input not given is a usage error, not silently dropped)."""
    if given is None:
        if value is not None or env or file:
            raise UsageError(f"the {what} password is given but not the {what} itself")
        return None
    return get_password(value, env, file, what=f"{what} password", required=required)


@click.group()
def client() -> None:
    """Client certificates for JOC accounts: issue, request, bundle - each checked."""


@client.command()
@click.option("--account", "accounts", multiple=True, help="JOC account (the exact CN).")
@click.option("--accounts-file", type=PATH, help="One per line, or JOC's /iam/accounts JSON.")
@click.option("--ca", type=PATH, help="Issuing CA: PEM (certificate and key) or PKCS#12.")
@click.option("--ca-key", type=PATH, help="The CA key, if not in --ca.")
@password_options("ca-pass", "the CA key / PKCS#12 password")
@click.option("--self-signed", is_flag=True, help="A self-signed certificate per account.")
@click.option("--key-type", type=click.Choice(KEY_TYPES), default="ec256", show_default=True)
@click.option("--days", type=click.IntRange(1, 3650), default=730, show_default=True)
@click.option("--rdn", "rdns", multiple=True, metavar="TYPE=VALUE", help="More RDNs after CN.")
@click.option("--truststore", type=PATH, help="Truststore for self-signed certificates / the CA.")
@password_options("truststore-pass", "the truststore password")
@click.option("--add-ca-to-truststore", is_flag=True, help="Add the issuing CA to the truststore.")
@_common
def issue(
    accounts: tuple[str, ...],
    accounts_file: Path | None,
    ca: Path | None,
    ca_key: Path | None,
    ca_pass: str | None,
    ca_pass_env: str | None,
    ca_pass_file: Path | None,
    self_signed: bool,
    key_type: str,
    days: int,
    rdns: tuple[str, ...],
    truststore: Path | None,
    truststore_pass: str | None,
    truststore_pass_env: str | None,
    truststore_pass_file: Path | None,
    add_ca_to_truststore: bool,
    out_dir: Path,
    profile: str,
    password: str | None,
    password_env: str | None,
    password_file: Path | None,
    base: Path | None,
    jetty_version: str | None,
    jetty_home: Path | None,
    force: bool,
    dry_run: bool,
) -> int:
    """Issue a key and certificate per JOC account, bundle them, check them (with --base:
    handshake and JOC login; when one would not log in, nothing is written)."""
    from jettycfg.client.run import IssueRequest, run_issue

    if bool(ca) == self_signed:
        raise UsageError("give --ca CA (CA-signed) or --self-signed, one of the two")
    ca_password = _optional(ca, ca_pass, ca_pass_env, ca_pass_file, "CA", False)
    trust_password = _optional(
        truststore, truststore_pass, truststore_pass_env, truststore_pass_file, "truststore", True
    )
    request = IssueRequest(
        accounts=list(accounts),
        accounts_file=accounts_file,
        ca=ca,
        ca_key=ca_key,
        ca_password=ca_password,
        key_type=key_type,
        days=days,
        rdns=_rdns(rdns),
        out_dir=out_dir,
        password=_secret(password, password_env, password_file, "bundle password"),
        profile=profile,
        base=base,
        version=resolve_version(jetty_version, jetty_home),
        truststore=truststore,
        truststore_password=trust_password,
        add_ca=add_ca_to_truststore,
        force=force,
        dry_run=dry_run,
    )
    return _report(run_issue(request), dry_run)


@client.command()
@click.option("--account", required=True, help="JOC account (the exact CN).")
@click.option("--out-dir", type=PATH, required=True)
@click.option("--key-type", type=click.Choice(KEY_TYPES), default="ec256", show_default=True)
@click.option("--rdn", "rdns", multiple=True, metavar="TYPE=VALUE", help="More RDNs after CN.")
@password_options("password", "the password for the new key")
@click.option("--force", is_flag=True)
@DRY_RUN
def csr(
    account: str,
    out_dir: Path,
    key_type: str,
    rdns: tuple[str, ...],
    password: str | None,
    password_env: str | None,
    password_file: Path | None,
    force: bool,
    dry_run: bool,
) -> int:
    """A key and a certificate signing request, for an organisation's own CA."""
    from jettycfg.client.run import run_csr

    secret = _secret(password, password_env, password_file, "key password")
    changes = run_csr(account, out_dir, key_type, _rdns(rdns), secret, force, dry_run)
    if dry_run:
        _show_planned(changes)
        click.echo("dry run: nothing written")
    else:
        for change in changes:
            click.echo(str(change.path))
    return 0


@client.command()
@click.option("--key", type=PATH, required=True, help="The PEM private key (from client csr).")
@password_options("key-pass", "the key's password")
@click.option("--cert", type=PATH, required=True, help="The signed certificate (PEM).")
@click.option("--chain", "chains", multiple=True, type=PATH, help="CA certificates (PEM).")
@_common
def bundle(
    key: Path,
    key_pass: str | None,
    key_pass_env: str | None,
    key_pass_file: Path | None,
    cert: Path,
    chains: tuple[Path, ...],
    out_dir: Path,
    profile: str,
    password: str | None,
    password_env: str | None,
    password_file: Path | None,
    base: Path | None,
    jetty_version: str | None,
    jetty_home: Path | None,
    force: bool,
    dry_run: bool,
) -> int:
    """Bundle a signed certificate with its key and chain (and check it)."""
    from jettycfg.client.run import BundleRequest, run_bundle

    key_password = get_password(
        key_pass, key_pass_env, key_pass_file, what="key password", required=False
    )
    request = BundleRequest(
        key=key,
        key_password=key_password,
        cert=cert,
        chains=list(chains),
        out_dir=out_dir,
        password=_secret(password, password_env, password_file, "bundle password"),
        profile=profile,
        base=base,
        version=resolve_version(jetty_version, jetty_home),
        force=force,
        dry_run=dry_run,
    )
    return _report(run_bundle(request), dry_run)


def _show_planned(changes: list[FileChange]) -> None:
    """A dry run's view: a unified diff of each public text file (certificates, CSRs); keys,
    bundles and stores are named with their size, never shown."""
    from jettycfg.fsio import unified_diff

    for change in changes:
        verb = "create" if change.old is None else "replace"
        if change.path.suffix in (".crt", ".pem", ".csr"):
            click.echo(unified_diff(change), nl=False)
        else:
            click.echo(f"{change.path}: would {verb} ({len(change.new)} bytes, not shown)")


def _report(outcome: tuple[list[str], list[str], bool, list[FileChange]], dry_run: bool) -> int:
    lines, notes, ok, planned = outcome
    if dry_run and ok:
        _show_planned(planned)
    for line in lines:
        click.echo(line)
    for note in notes:
        click.echo(f"note: {note}", err=True)
    return 0 if ok else 1
