"""The private APIs jettycfg relies on still exist and still behave: when a new Python or
cryptography changes them, this fails loudly (and jettycfg/compat/ is the one place to adapt)."""

from __future__ import annotations

import socket
import ssl
import threading
from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import NameOID

from jettycfg.compat import sslmsg, x509name
from jettycfg.trust.names import name_from_der
from tests.pki import make_pki


def test_asn1_types_keep_printable_and_utf8() -> None:
    assert x509name.asn1_type(0x13) is not None  # PrintableString
    assert x509name.asn1_type(0x0C) is not None  # UTF8String
    assert x509name.asn1_type(0x05) is None
    name = x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, "abc", _type=x509name.asn1_type(0x13))]  # type: ignore[arg-type]
    )
    assert name_from_der(name.public_bytes()).public_bytes() == name.public_bytes()


def test_msg_callback_sees_handshake_records(tmp_path: Path) -> None:
    pki = make_pki()
    cert, key = pki.server.write_pem(tmp_path, "server")
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def serve() -> None:
        conn, _ = listener.accept()
        try:
            with server_ctx.wrap_socket(conn, server_side=True) as tls:
                tls.recv(1)
        except (ssl.SSLError, OSError):
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    seen: list[object] = []
    client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client_ctx.check_hostname = False
    client_ctx.verify_mode = ssl.CERT_NONE
    sslmsg.set_msg_callback(client_ctx, lambda c, d, v, ct, mt, data: seen.append(ct))
    with socket.create_connection(("127.0.0.1", port)) as raw, client_ctx.wrap_socket(raw) as tls:
        chain = tls.getpeercert(binary_form=True)
        tls.sendall(b"x")
    thread.join(5)
    listener.close()
    assert sslmsg.HANDSHAKE in seen
    assert chain
    assert isinstance(sslmsg.ENCODING_DER, int)
