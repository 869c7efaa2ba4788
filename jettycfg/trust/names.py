"""X.500 name comparison as Java's ``X500Principal.equals`` does it (RFC 5280 canonical form):
case-, whitespace- and string-type-insensitive for string attributes."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from jettycfg import memo
from jettycfg.certs import facts, issuer_name, names_der

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


def _memo(cert: x509.Certificate, field: str) -> Canonical:
    """canonical(cert.<field>), computed once per certificate in a run (lint judges thousands),
    and once per distinct Name DER: a client's issuer is its intermediate's subject, and equal
    DER is an equal name (hashing the Name to find it costs more than the DER)."""
    table = facts(cert)
    found: Canonical | None = table.get(field)
    if found is None:
        raw = names_der(cert)[0 if field == "issuer" else 1]
        by_der = memo.table("canonical_by_der", 200_000)
        found = by_der.get(raw) if raw is not None else None
        if found is None:
            name = issuer_name(cert) if field == "issuer" else cert.subject
            found = canonical_of(name)
            if raw is not None:
                by_der[raw] = found
        table[field] = found
    return found


def canonical_of(name: x509.Name) -> Canonical:
    """canonical(name), once per distinct name in a run: a client's issuer is its
    intermediate's subject, an equal Name whose form is known (hash and == cost a quarter of
    the canonical form)."""
    table = memo.table("canonical_by_name")
    found: Canonical | None = table.get(name)
    if found is None:
        found = table[name] = canonical(name)
    return found


def subject_of(cert: x509.Certificate) -> Canonical:
    """canonical(cert.subject), memoized per certificate."""
    return _memo(cert, "subject")


def issuer_of(cert: x509.Certificate) -> Canonical:
    """canonical(cert.issuer), memoized per certificate."""
    return _memo(cert, "issuer")


def name_from_der(der: bytes) -> x509.Name:
    """An X.500 Name from its DER (as listed in a TLS CertificateRequest). Attribute lengths
    are not checked (as Java does not); cryptography's warnings about them are silenced."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _name_from_der(der)


def _name_from_der(der: bytes) -> x509.Name:
    from cryptography import x509 as x

    from jettycfg.compat.x509name import asn1_type
    from jettycfg.stores import asn1

    string_types = {
        0x0C: "utf-8",
        0x13: "ascii",
        0x16: "ascii",
        0x14: "latin-1",
        0x1E: "utf-16-be",
        0x1C: "utf-32-be",
    }
    rdns = []
    name = asn1.parse(der)
    if name.tag != asn1.SEQUENCE:
        raise asn1.ASN1Error("a Name is a SEQUENCE")
    for rdn in name.children():
        attrs = []
        if rdn.tag != asn1.SET:
            raise asn1.ASN1Error("an RDN is a SET")
        for atv in rdn.children():
            oid_tlv, value = atv.children()
            if oid_tlv.tag != asn1.OID:
                raise asn1.ASN1Error("an attribute type is an OID")
            encoding = string_types.get(value.tag)
            text = value.value.decode(encoding, "replace") if encoding else value.value.hex()
            kind = asn1_type(value.tag)
            oid = x.ObjectIdentifier(oid_tlv.oid())
            attr = (
                x.NameAttribute(oid, text, _type=kind, _validate=False)
                if kind
                else x.NameAttribute(oid, text, _validate=False)
            )
            attrs.append(attr)
        rdns.append(x.RelativeDistinguishedName(attrs))
    return x.Name(rdns)
