"""CertificateRequest parsing for TLS 1.2 and 1.3 (the wire formats, built by hand)."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from jettycfg.probe.messages import ProbeError, _parse_certificate_request
from jettycfg.trust.names import name_from_der


def _names() -> list[bytes]:
    return [
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]).public_bytes()
        for cn in ("CA One", "CA Two")
    ]


def _vector(items: list[bytes], width: int) -> bytes:
    body = b"".join(items)
    return len(body).to_bytes(width, "big") + body


def test_tls12_certificate_request() -> None:
    names = _names()
    body = (
        _vector([b"\x01", b"\x40"], 1)  # certificate_types: rsa_sign, ecdsa_sign
        + _vector([b"\x04\x03", b"\x08\x04"], 2)  # signature algorithms
        + _vector([_vector([n], 2) for n in names], 2)
    )
    assert _parse_certificate_request(body, tls13=False) == names


def test_tls13_certificate_request() -> None:
    names = _names()
    authorities = _vector([_vector([n], 2) for n in names], 2)
    extensions = (
        b"\x00\x0d"
        + _vector([_vector([b"\x04\x03"], 2)], 2)  # signature_algorithms
        + b"\x00\x2f"
        + _vector([authorities], 2)
    )  # certificate_authorities
    body = _vector([], 1) + _vector([extensions], 2)
    parsed = _parse_certificate_request(body, tls13=True)
    assert parsed == names
    assert [name_from_der(n).rfc4514_string() for n in parsed] == ["CN=CA One", "CN=CA Two"]


def test_truncated_request_is_a_probe_error() -> None:
    for body, tls13 in ((b"\x05\x01", False), (b"", True)):
        with pytest.raises(ProbeError, match="malformed CertificateRequest"):
            _parse_certificate_request(body, tls13=tls13)


def test_malformed_request_seen_by_the_message_callback_is_recorded_not_raised() -> None:
    """The callback runs inside OpenSSL's handshake: it records the problem (probe then exits 2
    naming it) instead of raising through the ssl module."""
    import ssl

    from jettycfg.compat import sslmsg
    from jettycfg.probe.tls import CERTIFICATE_REQUEST, Conversation, _watcher

    seen = Conversation()
    watch = _watcher(seen)
    body = b"\x05\x01"  # certificate_types says 5 bytes, one follows
    header = bytes([CERTIFICATE_REQUEST]) + len(body).to_bytes(3, "big")
    watch(
        None, "read", ssl.TLSVersion.TLSv1_2, sslmsg.HANDSHAKE, CERTIFICATE_REQUEST, header + body
    )
    assert seen.certificate_requested and seen.acceptable_ca_names == []
    assert seen.request_error is not None and "malformed CertificateRequest" in seen.request_error


def test_an_answer_is_read_to_its_content_length_wherever_the_header_stands() -> None:
    """The header was found only as the last one (a CR stood before the line's end)."""
    from jettycfg.probe.tls import _complete

    head = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 10\r\nConnection: close\r\n\r\n"
    assert _complete(head + b"abc") is False
    assert _complete(head + b"0123456789") is True
    assert _complete(b"HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n") is True
