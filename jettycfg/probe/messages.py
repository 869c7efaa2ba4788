"""The TLS handshake messages probe reads itself (Python's ssl module does not expose them):
the server's ServerHello, Certificate and CertificateRequest. Whatever the server sent, a
malformed message is a ProbeError (one line), never another exception."""

from __future__ import annotations

from jettycfg.errors import JettycfgError

SUPPORTED_VERSIONS = 43
TLS_VERSIONS = {0x0304: "TLSv1.3", 0x0303: "TLSv1.2", 0x0302: "TLSv1.1", 0x0301: "TLSv1"}


class ProbeError(JettycfgError):
    """The server could not be reached or spoken to (one line, exit 2)."""


class _Reader:
    """A bounds-checked cursor over a TLS structure; running past the end is a ProbeError."""

    def __init__(self, data: bytes, what: str = "CertificateRequest") -> None:
        self.data, self.pos, self.what = data, 0, what

    def take(self, size: int) -> bytes:
        if self.pos + size > len(self.data):
            raise ProbeError(f"malformed {self.what} from the server: truncated at byte {self.pos}")
        out = self.data[self.pos : self.pos + size]
        self.pos += size
        return out

    def vector(self, width: int) -> bytes:
        return self.take(int.from_bytes(self.take(width), "big"))

    def done(self) -> bool:
        return self.pos >= len(self.data)


def _parse_certificate_request(body: bytes, tls13: bool) -> list[bytes]:
    """certificate_authorities of a CertificateRequest (handshake header already removed), as
    DER names, each checked to be a readable X.500 name. A malformed message is a ProbeError
    (one line); no other exception escapes, whatever the server sent."""
    msg = _Reader(body)
    authorities = b""
    if tls13:
        msg.vector(1)  # certificate_request_context
        extensions = _Reader(msg.vector(2))
        while not extensions.done():
            ext_type = int.from_bytes(extensions.take(2), "big")
            ext_data = extensions.vector(2)
            if ext_type == 47:  # certificate_authorities
                inner = _Reader(ext_data)
                authorities = inner.vector(2)
                _no_trailing(inner)
    else:
        msg.vector(1)  # certificate_types
        msg.vector(2)  # supported_signature_algorithms
        authorities = msg.vector(2)
    _no_trailing(msg)
    names = _Reader(authorities)
    out: list[bytes] = []
    while not names.done():
        der = names.vector(2)
        ca_name_text(der)
        out.append(der)
    return out


def _no_trailing(reader: _Reader) -> None:
    if not reader.done():
        raise ProbeError(f"malformed {reader.what} from the server: trailing bytes")


def _parse_server_hello(body: bytes) -> tuple[str, int]:
    """(version, cipher suite) of a ServerHello (handshake header removed): the version from
    its supported_versions extension when there is one (TLS 1.3), else legacy_version."""
    msg = _Reader(body, "ServerHello")
    version = int.from_bytes(msg.take(2), "big")
    msg.take(32)  # random
    msg.vector(1)  # legacy_session_id_echo
    cipher = int.from_bytes(msg.take(2), "big")
    msg.take(1)  # legacy_compression_method
    if not msg.done():
        extensions = _Reader(msg.vector(2), "ServerHello")
        while not extensions.done():
            ext_type = int.from_bytes(extensions.take(2), "big")
            data = extensions.vector(2)
            if ext_type == SUPPORTED_VERSIONS and len(data) == 2:
                version = int.from_bytes(data, "big")
    return TLS_VERSIONS.get(version, f"0x{version:04x}"), cipher


def _parse_certificate(body: bytes, tls13: bool) -> list[bytes]:
    """The DER certificates of a Certificate message (handshake header removed), leaf first."""
    msg = _Reader(body, "Certificate")
    if tls13:
        msg.vector(1)  # certificate_request_context
    entries = _Reader(msg.vector(3), "Certificate")
    _no_trailing(msg)
    out = []
    while not entries.done():
        out.append(entries.vector(3))
        if tls13:
            entries.vector(2)  # the entry's extensions
    return out


def ca_name_text(der: bytes) -> str:
    """An acceptable CA name as RFC 4514 text; an unreadable one is a ProbeError."""
    from jettycfg.trust.names import name_from_der

    try:
        return name_from_der(der).rfc4514_string()
    except (ValueError, TypeError, IndexError, UnicodeError, JettycfgError) as exc:
        raise ProbeError(
            f"malformed CertificateRequest from the server: an unreadable CA name "
            f"({type(exc).__name__})"
        ) from None
