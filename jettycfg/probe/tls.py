"""One TLS conversation with the server, observed from the client side.

Python's ssl module does not expose the server's CertificateRequest, so OpenSSL's message
callback (``SSLContext._msg_callback``, available since Python 3.8) records the handshake
messages: the CertificateRequest (its acceptable CA names), whether our Certificate message
carried a certificate, and the alert the server sent.
"""

from __future__ import annotations

import re
import socket
import ssl
import time
from dataclasses import dataclass, field
from pathlib import Path

from jettycfg.compat import sslmsg
from jettycfg.probe.messages import (
    ProbeError,
    _parse_certificate,
    _parse_certificate_request,
    _parse_server_hello,
)

SERVER_HELLO = 2
CERTIFICATE_REQUEST = 13
CERTIFICATE = 11
ALERTS = {
    0: "close_notify",
    10: "unexpected_message",
    20: "bad_record_mac",
    40: "handshake_failure",
    42: "bad_certificate",
    43: "unsupported_certificate",
    44: "certificate_revoked",
    45: "certificate_expired",
    46: "certificate_unknown",
    47: "illegal_parameter",
    48: "unknown_ca",
    49: "access_denied",
    50: "decode_error",
    51: "decrypt_error",
    70: "protocol_version",
    71: "insufficient_security",
    80: "internal_error",
    86: "inappropriate_fallback",
    90: "user_canceled",
    109: "missing_extension",
    110: "unsupported_extension",
    112: "unrecognized_name",
    113: "bad_certificate_status_response",
    115: "unknown_psk_identity",
    116: "certificate_required",
    120: "no_application_protocol",
}


@dataclass
class Conversation:
    connected: bool = False  # TLS established and an HTTP answer came back
    http_status: str | None = None
    tls_version: str | None = None
    cipher: str | None = None
    certificate_requested: bool = False
    acceptable_ca_names: list[bytes] = field(default_factory=list)  # DER names
    certificate_sent: bool = False
    alert: str | None = None  # the alert the server sent
    error: str | None = None
    server_chain: list[bytes] = field(default_factory=list)  # DER, leaf first
    request_error: str | None = None  # the CertificateRequest could not be read
    # as the ServerHello and the server's Certificate message said: known also when the
    # handshake then fails (a TLS 1.2 server in need mode aborts it without a client certificate)
    hello_version: str | None = None
    hello_cipher: int | None = None
    chain_read: list[bytes] = field(default_factory=list)
    sni_refused: bool = False  # HTTP 400: the SNI host name is not in the server certificate


def converse(
    host: str,
    port: int,
    *,
    servername: str | None,
    deadline: float,
    cert_file: Path | None = None,
    key_file: Path | None = None,
    key_password: str | None = None,
    tls12: bool = False,
) -> Conversation:
    """Connect, handshake, send one HTTP request; record what happened. Raises ProbeError
    only for a server that cannot be spoken to at all (refused, timeout, not TLS)."""
    ctx = _client_context(cert_file, key_file, key_password, tls12)
    seen = observe(ctx)
    raw = connect(host, port, deadline)
    try:
        raw.settimeout(max(0.1, deadline - time.monotonic()))
        tls = ctx.wrap_socket(raw, server_hostname=servername or sni(host))
    except ssl.SSLError as exc:
        raw.close()
        return _as_read(_failed(seen, exc), ctx)
    except TimeoutError:
        raw.close()
        raise ProbeError(
            f"{target_text(host, port)}: no TLS handshake within the timeout"
        ) from None
    except OSError as exc:
        raw.close()
        if seen.certificate_requested or seen.alert:
            return _as_read(_failed(seen, exc), ctx)
        raise ProbeError(
            f"{target_text(host, port)}: the TLS handshake failed ({exc.strerror or exc})"
        ) from None
    where = target_text(host, port)
    return _as_read(_exchange(tls, seen, where, servername or host, deadline), ctx)


def observe(ctx: ssl.SSLContext) -> Conversation:
    """A Conversation the handshakes of ``ctx`` record their messages into."""
    seen = Conversation()
    sslmsg.set_msg_callback(ctx, _watcher(seen))
    return seen


def _as_read(seen: Conversation, ctx: ssl.SSLContext) -> Conversation:
    """Version, cipher and chain as the ServerHello and Certificate messages said, where the
    handshake ended before the connection could tell them."""
    seen.tls_version = seen.tls_version or seen.hello_version
    if seen.cipher is None and seen.hello_cipher is not None:
        names = {c["id"] & 0xFFFF: c["name"] for c in ctx.get_ciphers()}
        seen.cipher = names.get(seen.hello_cipher, f"0x{seen.hello_cipher:04x}")
    seen.server_chain = seen.server_chain or seen.chain_read
    return seen


def _client_context(
    cert_file: Path | None, key_file: Path | None, key_password: str | None, tls12: bool
) -> ssl.SSLContext:
    """A client context that offers whatever it is given and judges nothing itself."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # the server's chain is judged separately
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    if tls12:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    if cert_file is not None:
        try:
            ctx.load_cert_chain(cert_file, key_file, password=key_password or None)
        except ssl.SSLError as exc:
            raise ProbeError(
                f"cannot use the client key (wrong --client-key password, or key "
                f"and certificate do not match): {exc.reason}"
            ) from None
        except OSError as exc:
            raise ProbeError(f"cannot read the client certificate or key: {exc.strerror}") from None
    return ctx


def _watcher(seen: Conversation) -> sslmsg.MsgCallback:
    """Record the CertificateRequest, whether a certificate was sent, and the first alert."""

    def watch(
        conn: object,
        direction: str,
        version: object,
        content_type: object,
        msg_type: object,
        data: bytes,
    ) -> None:
        if content_type == sslmsg.HANDSHAKE:
            if direction == "read" and msg_type in (SERVER_HELLO, CERTIFICATE):
                _read_server_message(seen, msg_type, data)
            elif direction == "read" and msg_type == CERTIFICATE_REQUEST:
                seen.certificate_requested = True
                tls13 = version == ssl.TLSVersion.TLSv1_3
                try:
                    seen.acceptable_ca_names = _parse_certificate_request(data[4:], tls13)
                except ProbeError as exc:
                    seen.request_error = str(exc)
            elif direction == "write" and msg_type == CERTIFICATE:
                seen.certificate_sent = len(data) > 12
        elif content_type == sslmsg.ALERT and direction == "read" and len(data) >= 2:
            seen.alert = seen.alert or ALERTS.get(data[1], f"alert {data[1]}")

    return watch


def _read_server_message(seen: Conversation, msg_type: object, data: bytes) -> None:
    """Record a ServerHello's version and cipher, or the server's Certificate message; a
    malformed one is left unrecorded (the handshake fails on it anyway)."""
    try:
        if msg_type == SERVER_HELLO:
            seen.hello_version, seen.hello_cipher = _parse_server_hello(data[4:])
        else:
            seen.chain_read = _parse_certificate(data[4:], seen.hello_version == "TLSv1.3")
    except ProbeError:
        pass


def _exchange(
    tls: ssl.SSLSocket, seen: Conversation, target: str, host: str, deadline: float
) -> Conversation:
    """One HTTP request over the established connection: connected, status, or the failure."""
    with tls:
        seen.tls_version = tls.version()
        cipher = tls.cipher()
        seen.cipher = cipher[0] if cipher else None
        seen.server_chain = _chain(tls)
        try:
            tls.settimeout(max(0.1, deadline - time.monotonic()))
            tls.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            answer = _read_answer(tls, deadline)
        except ssl.SSLError as exc:
            return _failed(seen, exc)
        except TimeoutError:
            raise ProbeError(f"{target}: no answer within the timeout") from None
        except OSError as exc:
            return _failed(seen, exc)
    if answer.startswith(b"HTTP/"):
        seen.connected = True
        seen.http_status = answer.split(b"\r\n", 1)[0].decode("latin-1")
        # Jetty 10+ "Invalid SNI", Jetty 9.4 "Host does not match SNI" (SecureRequestCustomizer)
        seen.sni_refused = b" 400 " in answer[:16] and (
            b"Invalid SNI" in answer or b"Host does not match SNI" in answer
        )
    elif not answer:
        seen.error = "the server closed the connection"
    else:
        seen.connected = True  # TLS is up; the service speaks something other than HTTP
    return seen


def _read_answer(tls: ssl.SSLSocket, deadline: float, limit: int = 16384) -> bytes:
    """The server's answer: its headers and, by Content-Length, its body (up to ``limit``
    bytes); the first read may time out (no answer), a later one ends the answer."""
    data = tls.recv(4096)
    while data and len(data) < limit and not _complete(data):
        try:
            tls.settimeout(max(0.05, min(1.0, deadline - time.monotonic())))
            more = tls.recv(4096)
        except OSError:  # a timeout, a reset, a TLS alert after the answer began
            break
        if not more:
            break
        data += more
    return data


def _complete(data: bytes) -> bool:
    head, sep, body = data.partition(b"\r\n\r\n")
    if not data.startswith(b"HTTP/"):
        return True  # not HTTP: what came is the answer
    if not sep:
        return False
    length = re.search(rb"(?im)^content-length:[ \t]*(\d{1,9})[ \t]*\r?$", head)
    return len(body) >= int(length.group(1)) if length else True


def _failed(seen: Conversation, exc: OSError) -> Conversation:
    reason = getattr(exc, "reason", None) or str(exc)
    if (
        seen.alert is None
        and not seen.certificate_requested
        and "WRONG_VERSION_NUMBER" in str(reason)
    ):
        raise ProbeError("not a TLS port (the server answered in plain text)") from None
    seen.error = str(reason)
    if seen.alert is None:
        for code, name in ALERTS.items():
            if name.upper() in str(reason).upper():
                seen.alert = ALERTS[code]
                break
    return seen


def target_text(host: str, port: int) -> str:
    """HOST:PORT as typed back to the user: an IPv6 address in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def sni(host: str) -> str | None:
    import ipaddress

    try:
        ipaddress.ip_address(host)
        return None  # no SNI for an IP address
    except ValueError:
        return host


def connect(host: str, port: int, deadline: float) -> socket.socket:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise ProbeError("timeout")
    try:
        return socket.create_connection((host, port), timeout=remaining)
    except socket.gaierror:
        raise ProbeError(f"cannot resolve host name {host!r}") from None
    except ConnectionRefusedError:
        raise ProbeError(f"{target_text(host, port)}: connection refused") from None
    except TimeoutError:
        raise ProbeError(f"{target_text(host, port)}: no connection within the timeout") from None
    except OSError as exc:
        where = target_text(host, port)
        raise ProbeError(f"{where}: cannot connect ({exc.strerror or exc})") from None


def _chain(tls: ssl.SSLSocket) -> list[bytes]:
    """The server's chain as sent (Python 3.13 API, or its private 3.10-3.12 form)."""
    getter = getattr(tls, "get_unverified_chain", None)
    if getter is None:
        sslobj = getattr(tls, "_sslobj", None)
        getter = getattr(sslobj, "get_unverified_chain", None)
    if getter is not None:
        try:
            chain = getter() or []
            return [
                c if isinstance(c, bytes) else c.public_bytes(sslmsg.ENCODING_DER) for c in chain
            ]
        except Exception:
            pass
    leaf = tls.getpeercert(binary_form=True)
    return [leaf] if leaf else []
