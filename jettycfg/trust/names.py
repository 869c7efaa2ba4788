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
    return canonical(a) == canonical(b)
