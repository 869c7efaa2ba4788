"""X.500 name comparison as Java's ``X500Principal.equals`` does it (RFC 5280 canonical form):
case-, whitespace- and string-type-insensitive for string attributes."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from jettycfg.certs import cert_id

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
    """canonical(cert.subject), memoized per certificate."""
    key = cert_id(cert)
    found = _SUBJECTS.get(key)
    if found is None:
        if len(_SUBJECTS) > 200_000:
            _SUBJECTS.clear()
        found = _SUBJECTS[key] = canonical(cert.subject)
    return found


def issuer_of(cert: x509.Certificate) -> Canonical:
    """canonical(cert.issuer), memoized per certificate."""
    key = cert_id(cert)
    found = _ISSUERS.get(key)
    if found is None:
        if len(_ISSUERS) > 200_000:
            _ISSUERS.clear()
        found = _ISSUERS[key] = canonical(cert.issuer)
    return found
