"""X.500 name comparison as Java's ``X500Principal.equals`` does it (RFC 5280 canonical form):
case-, whitespace- and string-type-insensitive for string attributes."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography import x509

Canonical = tuple[tuple[tuple[str, str], ...], ...]


def _canon_value(value: object) -> str:
    if isinstance(value, bytes):
        return "#" + value.hex()
    text = unicodedata.normalize("NFKD", str(value))
    return " ".join(text.strip().lower().split())


def canonical(name: x509.Name) -> Canonical:
    """A hashable canonical form of ``name``; equal forms mean Java sees the same name."""
    rdns = []
    for rdn in name.rdns:
        attrs = sorted((a.oid.dotted_string, _canon_value(a.value)) for a in rdn)
        rdns.append(tuple(attrs))
    return tuple(rdns)


def same_name(a: x509.Name, b: x509.Name) -> bool:
    return a == b or canonical(a) == canonical(b)


_SUBJECTS: dict[bytes, Canonical] = {}
_ISSUERS: dict[bytes, Canonical] = {}


def subject_of(cert: x509.Certificate) -> Canonical:
    """canonical(cert.subject), memoized by the certificate's signature."""
    found = _SUBJECTS.get(cert.signature)
    if found is None:
        if len(_SUBJECTS) > 200_000:
            _SUBJECTS.clear()
        found = _SUBJECTS[cert.signature] = canonical(cert.subject)
    return found


def issuer_of(cert: x509.Certificate) -> Canonical:
    """canonical(cert.issuer), memoized by the certificate's signature."""
    found = _ISSUERS.get(cert.signature)
    if found is None:
        if len(_ISSUERS) > 200_000:
            _ISSUERS.clear()
        found = _ISSUERS[cert.signature] = canonical(cert.issuer)
    return found
