"""probe's view of the server's own certificate: the chain it sent, whether it validates
against --cafile (or the system's CAs) and whether it matches the host name."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from cryptography import x509

from jettycfg.errors import UsageError
from jettycfg.probe.messages import ProbeError
from jettycfg.probe.tls import Conversation, connect, observe, sni, target_text

if TYPE_CHECKING:
    from jettycfg.probe.run import ProbeOptions


def server_chain(plain: Conversation) -> list[x509.Certificate]:
    try:
        return [x509.load_der_x509_certificate(d) for d in plain.server_chain]
    except ValueError:
        raise ProbeError("the server sent a certificate that cannot be read") from None


def sans(cert: x509.Certificate) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return [str(v.value) for v in san]


def judge_server(
    chain: list[x509.Certificate], options: ProbeOptions, deadline: float
) -> tuple[bool | None, bool | None]:
    """(chain valid, host name matches), as OpenSSL-based clients (curl, Python) see them: one
    more handshake that verifies the server against --cafile or the system's CAs."""
    if options.insecure or not chain:
        return None, None
    import ssl

    matches = _host_matches(options.servername or options.host, chain[0])
    try:
        ctx = ssl.create_default_context(cafile=str(options.cafile) if options.cafile else None)
    except (OSError, ssl.SSLError) as exc:
        raise UsageError(f"cannot read --cafile {options.cafile}") from exc
    ctx.check_hostname = False  # told apart: the name is judged from the SAN above
    seen = observe(ctx)
    raw = connect(options.host, options.port, deadline)
    try:
        raw.settimeout(max(0.1, deadline - time.monotonic()))
        with ctx.wrap_socket(raw, server_hostname=options.servername or sni(options.host)):
            return True, matches
    except ssl.SSLCertVerificationError:
        return False, matches
    except TimeoutError:
        where = target_text(options.host, options.port)
        raise ProbeError(f"{where}: no TLS handshake within the timeout") from None
    except OSError:
        # OpenSSL verifies the server's Certificate message as it arrives: read and no
        # verification error, then refused for lack of a client certificate (TLS 1.2 need);
        # broken off before it came, the chain was not checked
        return (True if seen.chain_read else None), matches
    finally:
        raw.close()


def _san(cert: x509.Certificate) -> x509.SubjectAlternativeName | None:
    try:
        return cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return None


def _host_matches(name: str, leaf: x509.Certificate) -> bool:
    import ipaddress

    san = _san(leaf)
    if san is None:
        return False
    try:
        ip = ipaddress.ip_address(name)
        return ip in san.get_values_for_type(x509.IPAddress)
    except ValueError:
        pass
    host = name.lower().rstrip(".")
    for pattern in san.get_values_for_type(x509.DNSName):
        pattern = pattern.lower().rstrip(".")
        if pattern == host or (
            pattern.startswith("*.") and "." in host and host.split(".", 1)[1] == pattern[2:]
        ):
            return True
    return False
