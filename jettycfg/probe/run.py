"""probe: observe a running server's TLS and client-certificate behaviour, and compare it with
what lint predicts for a JETTY_BASE."""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from jettycfg import memo
from jettycfg.certs import CertSummary, common_name
from jettycfg.errors import UsageError
from jettycfg.jetty.clientauth import ClientAuth
from jettycfg.jetty.version import JettyVersion
from jettycfg.lint.findings import Finding, Severity
from jettycfg.probe.messages import ProbeError, ca_name_text
from jettycfg.probe.server import judge_server, sans, server_chain
from jettycfg.probe.tls import (
    Conversation,
    converse,
    target_text,
)
from jettycfg.rules.probe import JC501, JC502, JC503, JC505, JC506, JC507
from jettycfg.stores import files
from jettycfg.stores.model import EntryKind
from jettycfg.trust.algorithms import DEFAULT_JAVA
from jettycfg.trust.names import canonical, name_from_der

if TYPE_CHECKING:
    pass


@dataclass
class ProbeOptions:
    host: str
    port: int
    client_cert: Path | None = None
    client_key: Path | None = None
    client_p12: Path | None = None
    client_pass: str | None = None
    cafile: Path | None = None
    insecure: bool = False
    servername: str | None = None
    timeout: float = 10.0
    base: Path | None = None
    jetty_version: JettyVersion | None = None
    java: int = DEFAULT_JAVA


@dataclass
class ProbeResult:
    target: str
    tls_version: str | None
    cipher: str | None
    client_auth: ClientAuth
    acceptable_ca_names: list[str]
    server_certificates: list[CertSummary]
    server_sans: list[list[str]]
    server_chain_valid: bool | None
    hostname_matches: bool | None
    client_certificate: dict[str, object] | None = None
    prediction: dict[str, object] | None = None
    findings: list[Finding] = field(default_factory=list)
    ca_der: list[bytes] = field(default_factory=list, repr=False)  # the names as sent
    http_status: str | None = None  # the status line of the answer without a certificate


def parse_target(text: str) -> tuple[str, int]:
    """HOST, HOST:PORT, an IPv6 address, or [IPv6]:PORT; the port defaults to 443 and, when a
    ':' introduces it, is digits (``host:`` and ``host:33_823`` are refused, not guessed)."""
    bad = UsageError(f"not HOST[:PORT]: {text!r}")
    if text.startswith("["):
        host, close, rest = text[1:].partition("]")
        if not close or (rest and not rest.startswith(":")):
            raise bad
        port = rest[1:] if rest else None
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
    else:
        host, port = text, None  # a bare IPv6 address, or a host name
    if not host or (port is not None and not (port.isascii() and port.isdigit())):
        raise bad
    number = int(port) if port is not None else 443
    if not 0 < number < 65536:
        raise UsageError(f"port {number}: not a TCP port (1-65535)")
    return check_host_name(host, "host"), number


def check_host_name(name: str, what: str) -> str:
    """``name`` when it is an IP address or a host name IDNA can encode into letters, digits,
    '-', '_' and dots (no empty label, none longer than 63 characters); UsageError otherwise
    (the socket layer raised UnicodeError, the TLS layer an illegal_parameter)."""
    import ipaddress
    import re

    try:
        ipaddress.ip_address(name)
        return name
    except ValueError:
        pass
    try:
        ascii_name = name.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_name = ""
    if not re.fullmatch(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?", ascii_name):
        raise UsageError(f"{what} {name!r}: not a valid host name") from None
    return name


@contextmanager
def _client_files(options: ProbeOptions) -> Iterator[tuple[Path | None, Path | None, str | None]]:
    """(cert, key, key password) for ssl; a .p12 goes through a private temporary folder with
    the key re-encrypted under a one-time passphrase (never written in clear)."""
    if options.client_p12 is None:
        yield options.client_cert, options.client_key, options.client_pass
        return
    store = files.load(options.client_p12, options.client_pass, decrypt_keys=True)
    keys = [e for e in store.entries if e.kind is EntryKind.KEY]
    if not keys or keys[0].key_pkcs8 is None:
        raise UsageError(f"{options.client_p12} holds no private key")
    key = serialization.load_der_private_key(keys[0].key_pkcs8, None)
    once = secrets.token_urlsafe(24)
    pem = serialization.Encoding.PEM
    with tempfile.TemporaryDirectory(prefix="jettycfg-probe-") as folder:
        os.chmod(folder, 0o700)
        cert_path, key_path = Path(folder) / "client.crt", Path(folder) / "client.key"
        cert_path.write_bytes(b"".join(c.public_bytes(pem) for c in keys[0].certs))
        key_path.write_bytes(
            key.private_bytes(
                pem,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(once.encode()),
            )
        )
        yield cert_path, key_path, once


def probe(options: ProbeOptions) -> ProbeResult:
    """Observe the server (at most three connections, all within ``options.timeout``)."""
    with memo.scope():
        return _probe(options)


def _probe(options: ProbeOptions) -> ProbeResult:
    deadline = time.monotonic() + options.timeout
    if options.base is not None:
        from jettycfg.jetty.base import resolve_base

        resolve_base(options.base)  # a bad --base fails before the server is contacted
    if options.cafile is not None:
        _check_file(options.cafile, "--cafile")  # OpenSSL opens it itself: no FIFO, no device
    with _client_files(options) as (cert, key, password):
        client_chain = _check_client(cert, key, password)  # bad input fails before connecting
        plain = converse(
            options.host, options.port, servername=options.servername, deadline=deadline
        )
        mode = (
            ClientAuth.OFF
            if not plain.certificate_requested
            else ClientAuth.WANT
            if plain.connected
            else ClientAuth.NEED
        )
        where = target_text(options.host, options.port)
        if not plain.connected and not plain.certificate_requested:
            raise ProbeError(f"{where}: the TLS handshake failed ({plain.alert or plain.error})")
        if plain.request_error:
            raise ProbeError(f"{where}: {plain.request_error}")
        chain = server_chain(plain)
        valid, matches = judge_server(chain, options, deadline)
        result = ProbeResult(
            target=target_text(options.host, options.port),
            tls_version=plain.tls_version,
            cipher=plain.cipher,
            client_auth=mode,
            acceptable_ca_names=[ca_name_text(n) for n in plain.acceptable_ca_names],
            server_certificates=[CertSummary.of(c) for c in chain],
            server_sans=[sans(c) for c in chain],
            server_chain_valid=valid,
            hostname_matches=matches,
            ca_der=list(plain.acceptable_ca_names),
            http_status=plain.http_status,
        )
        seen = None
        if cert is not None:
            seen = converse(
                options.host,
                options.port,
                servername=options.servername,
                deadline=deadline,
                cert_file=cert,
                key_file=key,
                key_password=password,
            )
            result.client_certificate = _client_report(seen, client_chain, options.java)
    result.findings = _findings(result, plain, chain) + _sni_refused(options, plain, seen)
    if options.base is not None:
        from jettycfg.probe.compare import compare

        compare(result, options, client_chain)
    return result


def _check_client(
    cert: Path | None, key: Path | None, password: str | None
) -> list[x509.Certificate]:
    """The client chain; the key must load with the password (checked offline)."""
    import ssl

    if cert is None:
        return []
    from jettycfg import fsio

    if key is not None:
        _check_file(key, "--client-key")  # OpenSSL opens it itself: no FIFO, no device
    try:
        data = fsio.read_limited(cert, fsio.MAX_CERT_BYTES)
        chain = x509.load_pem_x509_certificates(data)
    except fsio.InputFileError as exc:
        raise UsageError(str(exc)) from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read the client certificate {cert}") from exc
    if key is None and b"PRIVATE KEY-----" not in data:
        raise UsageError(f"{cert} holds no private key: give it with --client-key")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    try:
        ctx.load_cert_chain(cert, key, password=password or _encrypted_key)
    except _NoPassword:
        raise UsageError(
            "the client key is encrypted: give its password (--client-pass…)"
        ) from None
    except ssl.SSLError:
        raise ProbeError(
            "cannot use the client key: wrong --client-pass, or the key does not "
            "belong to the certificate"
        ) from None
    except OSError as exc:
        raise ProbeError(f"cannot read the client key: {exc.strerror}") from None
    return chain


class _NoPassword(Exception):
    """OpenSSL asked for the key's password and none was given (it would prompt on the tty)."""


def _encrypted_key() -> str:
    raise _NoPassword


def _check_file(path: Path, option: str) -> None:
    from jettycfg import fsio

    try:
        fsio.check_readable(path, fsio.MAX_CERT_BYTES)
    except fsio.InputFileError as exc:
        raise UsageError(f"{option}: {exc}") from None
    except OSError as exc:
        raise UsageError(f"cannot read {option} {path}: {exc.strerror or exc}") from None


def _client_report(
    seen: Conversation, chain: list[x509.Certificate], java: int
) -> dict[str, object]:
    """What the server did with the client certificate, and what JOC makes of it: the account
    JOC's own code reads (JC460-JC471 as lint says them; no account list is known here)."""
    import datetime as dt

    from jettycfg.lint.rules.certs import joc_login_problems

    accepted = seen.connected and seen.certificate_sent
    check, problems = joc_login_problems(
        chain[0], None, dt.datetime.now(dt.timezone.utc), java, accepted
    )
    return {
        "subject": chain[0].subject.rfc4514_string() if chain else None,
        "common_name": common_name(chain[0]) if chain else None,
        "joc_account": check.account,
        "joc_login_problems": [f"{p.rule} {p.message}" for p in problems],
        "accepted": accepted,
        "sent": seen.certificate_sent,
        "alert": seen.alert,
        "error": None if accepted else seen.error,
        "http_status": seen.http_status,
    }


def _sni_refused(
    options: ProbeOptions, plain: Conversation, seen: Conversation | None
) -> list[Finding]:
    """JC507: Jetty's SNI host check refused the request (HTTP 400 "Invalid SNI")."""
    if not plain.sni_refused and not (seen is not None and seen.sni_refused):
        return []
    name = options.servername or options.host
    return [
        Finding(
            JC507,
            Severity.ERROR,
            f"the server answers HTTP 400 'Invalid SNI' for {name}: the name is not in its "
            "certificate, and Jetty refuses every request made with it",
            fix=f"issue the server certificate with {name} in its SubjectAltName, or set "
            "jetty.ssl.sniHostCheck=false",
        )
    ]


def _findings(
    result: ProbeResult, plain: Conversation, chain: list[x509.Certificate]
) -> list[Finding]:
    out = []
    if result.client_auth is ClientAuth.OFF:
        out.append(
            Finding(
                JC503,
                Severity.ERROR,
                "the server requests no client certificate",
                fix="jettycfg client-auth want, then restart",
            )
        )
    elif not plain.acceptable_ca_names:
        out.append(
            Finding(
                JC502,
                Severity.ERROR,
                "the server requests a client certificate "
                "but advertises no acceptable CA: no client can be accepted",
            )
        )
    elif chain and [canonical(name_from_der(n)) for n in plain.acceptable_ca_names] == [
        canonical(chain[0].subject)
    ]:
        out.append(
            Finding(
                JC501,
                Severity.ERROR,
                "the only acceptable CA is the server's own "
                "certificate: the keystore is used as the truststore",
                fix="configure jetty.sslContext.trustStorePath",
            )
        )
    if result.server_chain_valid is False or result.hostname_matches is False:
        what = (
            "does not validate"
            if result.server_chain_valid is False
            else "does not match the host name"
        )
        out.append(Finding(JC505, Severity.WARNING, f"the server certificate {what}"))
    client = result.client_certificate
    if client is not None and client["sent"] and not client["accepted"]:
        out.append(
            Finding(
                JC506,
                Severity.ERROR,
                "the client certificate was rejected"
                + (f" (alert {client['alert']})" if client["alert"] else ""),
            )
        )
    return out
