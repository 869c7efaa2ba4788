"""The standard library's TLS message callback (``SSLContext._msg_callback``, private since
Python 3.8) and the enums it reports with. probe uses them to see the CertificateRequest and
alerts; the test suite uses them to see whether a client certificate was sent."""

from __future__ import annotations

import ssl
from collections.abc import Callable

MsgCallback = Callable[[object, str, object, object, object, bytes], None]

HANDSHAKE: object = ssl._TLSContentType.HANDSHAKE  # type: ignore[attr-defined]
ALERT: object = ssl._TLSContentType.ALERT  # type: ignore[attr-defined]
CERTIFICATE_MESSAGE: object = ssl._TLSMessageType.CERTIFICATE  # type: ignore[attr-defined]
ENCODING_DER: int = ssl._ssl.ENCODING_DER  # type: ignore[attr-defined]


def set_msg_callback(ctx: ssl.SSLContext, callback: MsgCallback) -> None:
    """Call ``callback(conn, direction, version, content_type, msg_type, data)`` for every TLS
    record ``ctx``'s connections read or write."""
    ctx._msg_callback = callback  # type: ignore[attr-defined]
