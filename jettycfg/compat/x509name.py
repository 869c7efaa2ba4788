"""cryptography's private ``_ASN1Type`` (the string type a NameAttribute keeps), so a Name read
from raw DER keeps its exact string types (PrintableString, UTF8String, ...)."""

from __future__ import annotations

from cryptography.x509.name import _ASN1Type

ASN1_STRING_TAGS: frozenset[int] = frozenset(t.value for t in _ASN1Type)


def asn1_type(tag: int) -> _ASN1Type | None:
    """cryptography's type for a DER string tag, or None when it has none."""
    return _ASN1Type(tag) if tag in ASN1_STRING_TAGS else None
