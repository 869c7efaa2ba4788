"""``jettycfg probe HOST[:PORT]``."""

from __future__ import annotations

import math
from pathlib import Path

import click

from jettycfg.cli.common import has_password, password_from, password_options, resolve_version
from jettycfg.errors import UsageError


@click.command()
@click.argument("target", metavar="HOST[:PORT]")
@click.option(
    "--client-cert",
    type=click.Path(path_type=Path, dir_okay=False),
    help="PEM client certificate (and chain; the key too, or --client-key), or a PKCS#12 file.",
)
@click.option(
    "--client-key",
    type=click.Path(path_type=Path, dir_okay=False),
    help="PEM private key of --client-cert (may be encrypted: --client-pass).",
)
@click.option(
    "--client-p12",
    type=click.Path(path_type=Path, dir_okay=False),
    help="PKCS#12 with the client key and chain.",
)
@password_options("client-pass", "password of the client key or .p12")
@click.option(
    "--cafile",
    type=click.Path(path_type=Path, dir_okay=False),
    help="CAs to validate the server certificate (default: the system's).",
)
@click.option("--insecure", is_flag=True, help="Do not validate the server certificate.")
@click.option("--servername", help="SNI and host name to check (default: HOST).")
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 300),
    default=10.0,
    show_default=True,
    help="Seconds for the whole probe.",
)
@click.option(
    "--base",
    type=click.Path(path_type=Path),
    help="Compare with lint's prediction for this JETTY_BASE.",
)
@click.option("--jetty-version", help="For --base: the Jetty version.")
@click.option("--jetty-home", type=click.Path(path_type=Path), help="For --base: read it here.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def probe(
    target: str,
    client_cert: Path | None,
    client_key: Path | None,
    client_p12: Path | None,
    cafile: Path | None,
    insecure: bool,
    servername: str | None,
    timeout: float,
    base: Path | None,
    jetty_version: str | None,
    jetty_home: Path | None,
    fmt: str,
    **kw: object,
) -> int:
    """Ask a running Jetty / JOC what it really does with client certificates.

    Only the address given is contacted. Exit codes: 0 no error finding, 1 error findings,
    2 unreachable server or bad input.
    """
    from jettycfg.probe.run import ProbeOptions
    from jettycfg.probe.run import probe as run_probe

    if client_p12 and (client_cert or client_key):
        raise UsageError("give --client-cert (and --client-key) or --client-p12, not both")
    if cafile and insecure:
        raise UsageError("give --cafile or --insecure, not both")
    if client_key and not client_cert:
        raise UsageError("--client-key needs --client-cert")
    if client_cert is not None and client_key is None and _is_pkcs12(client_cert):
        client_cert, client_p12 = None, client_cert  # one option for every format, as lint
    host, port = _target(target, servername, timeout)
    password = None
    if client_p12 or has_password(kw, "client-pass"):
        password = password_from(
            kw, "client-pass", "client key password", required=bool(client_p12)
        )
    options = ProbeOptions(
        host=host,
        port=port,
        client_cert=client_cert,
        client_key=client_key,
        client_p12=client_p12,
        client_pass=password,
        cafile=cafile,
        insecure=insecure,
        servername=servername,
        timeout=timeout,
        base=base,
        jetty_version=resolve_version(jetty_version, jetty_home) if base else None,
    )
    result = run_probe(options)
    from jettycfg.report.probe import render_probe

    click.echo(render_probe(result, fmt), nl=False)
    return 1 if any(f.severity.label == "error" for f in result.findings) else 0


def _target(target: str, servername: str | None, timeout: float) -> tuple[str, int]:
    """HOST and PORT; a --servername IDNA cannot encode or a NaN --timeout is a usage error."""
    from jettycfg.probe.run import check_host_name, parse_target

    if servername is not None:
        check_host_name(servername, "--servername")
    if not math.isfinite(timeout):
        raise UsageError("--timeout: give the seconds, e.g. 10")
    return parse_target(target)


def _is_pkcs12(path: Path) -> bool:
    """Whether --client-cert names a PKCS#12 file (an unreadable one is left to the probe's
    own one-line error)."""
    from jettycfg.errors import JettycfgError
    from jettycfg.stores import files
    from jettycfg.stores.model import StoreFormat

    try:
        return files.detect(files.read_bytes(path)) is StoreFormat.PKCS12
    except (JettycfgError, OSError):
        return False
