"""PKCS#12 read and write, walking the PFX SafeContents ourselves.

cryptography's ``load_pkcs12`` hides the attribute that decides whether Java sees a certificate
at all (Oracle's trustedKeyUsage, 2.16.840.1.113894.746875.1.1): a certificate bag without it
is dropped by Java's PKCS12 KeyStore, unless it is part of a private key's chain. So bags,
attributes, encryption and the MAC are handled here (RFC 7292).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jettycfg.errors import PasswordRequiredError, StoreError, WrongPasswordError
from jettycfg.stores import asn1, pbe, pbmac1
from jettycfg.stores.model import Entry, EntryKind, Protection, Store, StoreFormat
from jettycfg.stores.p12view import Bag, JavaView, assemble

if TYPE_CHECKING:
    pass

DATA = "1.2.840.113549.1.7.1"
ENCRYPTED_DATA = "1.2.840.113549.1.7.6"
ENVELOPED_DATA = "1.2.840.113549.1.7.3"
KEY_BAG = "1.2.840.113549.1.12.10.1.1"
SHROUDED_KEY_BAG = "1.2.840.113549.1.12.10.1.2"
CERT_BAG = "1.2.840.113549.1.12.10.1.3"
SECRET_BAG = "1.2.840.113549.1.12.10.1.5"
SAFE_CONTENTS_BAG = "1.2.840.113549.1.12.10.1.6"
X509_CERT = "1.2.840.113549.1.9.22.1"
FRIENDLY_NAME = "1.2.840.113549.1.9.20"
LOCAL_KEY_ID = "1.2.840.113549.1.9.21"
JAVA_TRUSTED_KEY_USAGE = "2.16.840.1.113894.746875.1.1"
ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0"
SHA1 = "1.3.14.3.2.26"
SHA256 = "2.16.840.1.101.3.4.2.1"
MODERN_ITERATIONS = 10000
LEGACY_ITERATIONS = 50000


@dataclass
class _Read:
    view: JavaView = field(default_factory=JavaView)
    cert_schemes: set[str] = field(default_factory=set)
    key_schemes: set[str] = field(default_factory=set)
    unreadable: list[str] = field(default_factory=list)


MAX_DEPTH = 8  # nested SafeContents bags
MAX_BAGS = 100_000


def looks_like_pkcs12(data: bytes) -> bool:
    """PFX by its first bytes (version 3, then a PKCS#7 ContentInfo), even when truncated."""
    head = data[:32]
    return (
        head[:1] == b"\x30"
        and b"\x02\x01\x03\x30" in head[:10]
        and b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07" in head
    )


def has_mac(data: bytes) -> bool:
    """Whether the PFX carries a password MAC (then reading it needs the password)."""
    try:
        return len(asn1.parse_prefix(data)[0].children()) > 2
    except (asn1.ASN1Error, IndexError):
        return True  # let the reader report the damage


def read(data: bytes, password: str | None) -> Store:
    """Parse a PKCS#12 file. ``password=None`` reads what Java reads without one."""
    try:
        return _read(data, password)
    except StoreError:
        raise
    except asn1.ASN1Error as exc:
        raise StoreError(f"not a valid PKCS#12 file (truncated or corrupt: {exc})") from exc
    except (ValueError, TypeError, IndexError, KeyError, OverflowError, RecursionError) as exc:
        raise StoreError(f"not a valid PKCS#12 file (corrupt: {type(exc).__name__})") from exc


def _read(data: bytes, password: str | None) -> Store:
    parts = asn1.parse_prefix(data)[0].children()  # Java ignores bytes after the PFX
    if parts[0].integer() != 3:
        raise StoreError("unsupported PKCS#12 version")
    ctype = parts[1].children()
    if ctype[0].oid() != DATA:
        raise StoreError("PKCS#12 signed with a public key (not password-based) is not supported")
    auth_safe = ctype[1].children()[0].octets()
    integrity = None
    if len(parts) > 2:
        integrity = _verify_mac(parts[2], auth_safe, password)
    found = _Read()
    for info in asn1.parse(auth_safe).children():
        _content_info(info, password, found)
    store = assemble(found.view)
    store.protection = Protection(
        cert_encryption=", ".join(sorted(found.cert_schemes)) or "none",
        key_encryption=", ".join(sorted(found.key_schemes)) or None,
        integrity=integrity or ("none" if len(parts) <= 2 else "not checked (no password)"),
        legacy=_is_legacy(found, integrity),
    )
    store.notes.extend(found.unreadable)
    return store


def _is_legacy(found: _Read, integrity: str | None) -> bool:
    modern = any("PBES2" in s for s in found.cert_schemes | found.key_schemes)
    return not modern and not (integrity or "").startswith(
        ("HmacPBESHA2", "HmacPBESHA3", "HmacPBESHA5")
    )


def _verify_mac(mac_data: asn1.TLV, content: bytes, password: str | None) -> str:
    fields = mac_data.children()
    digest_info = fields[0].children()
    alg_oid = digest_info[0].children()[0].oid()
    expected = digest_info[1].expect(asn1.OCTET_STRING).value
    salt = fields[1].expect(asn1.OCTET_STRING).value
    rounds = fields[2].integer() if len(fields) > 2 else 1
    if alg_oid == pbmac1.PBMAC1:
        return pbmac1.verify(digest_info[0].children()[1], expected, content, password)
    if alg_oid not in pbe.DIGEST_OIDS:
        raise StoreError(f"unsupported PKCS#12 MAC algorithm {alg_oid}")
    hash_name = pbe.DIGEST_OIDS[alg_oid]
    label = f"HmacPBE{hash_name.upper()}, {rounds} iterations"
    if password is None:
        return label + " (not checked: no password)"
    actual = pbe.mac(hash_name, password, salt, rounds, content)
    if not hmac.compare_digest(actual, expected):
        # Java and OpenSSL also accept an empty password where none was meant.
        if password == "" and hmac.compare_digest(
            pbe.mac(hash_name, None, salt, rounds, content), expected
        ):
            return label
        raise WrongPasswordError("wrong store password (the PKCS#12 integrity check failed)")
    return label


def _content_info(info: asn1.TLV, password: str | None, found: _Read) -> None:
    fields = info.children()
    ctype = fields[0].oid()
    if ctype == DATA:
        _safe_contents(fields[1].children()[0].octets(), password, found)
    elif ctype == ENCRYPTED_DATA:
        enc = fields[1].children()[0].children()[1].children()
        alg, body = enc[1], enc[2].octets()
        scheme = pbe.describe(alg)
        found.cert_schemes.add(f"{scheme.name}, {scheme.iterations} iterations")
        if password is None:
            found.unreadable.append("encrypted certificates not readable without a password")
            return
        try:
            plain = pbe.decrypt_as_java(alg, body, password)
        except pbe.DecryptError as exc:
            raise WrongPasswordError("wrong store password (cannot decrypt certificates)") from exc
        except pbe.UnsupportedAlgorithm as exc:
            raise StoreError(f"unsupported PKCS#12 encryption: {exc}") from exc
        _safe_contents(plain, password, found)
    elif ctype == ENVELOPED_DATA:
        found.unreadable.append("public-key encrypted (enveloped) content is not supported")
    else:
        found.unreadable.append(f"unknown content type {ctype}")


def _safe_contents(data: bytes, password: str | None, found: _Read, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise StoreError("not a valid PKCS#12 file (SafeContents nested too deeply)")
    for index, bag in enumerate(asn1.parse(data).children()):
        if len(found.view.bags) > MAX_BAGS:
            raise StoreError(f"not a valid PKCS#12 file (more than {MAX_BAGS} bags)")
        fields = bag.children()
        bag_id = fields[0].oid()
        value = fields[1].children()[0]
        name, key_id, trusted = _attributes(fields[2] if len(fields) > 2 else None)
        if bag_id == CERT_BAG:
            cert_fields = value.children()
            if cert_fields[0].oid() == X509_CERT:
                der = cert_fields[1].children()[0].octets()
                found.view.add(Bag("cert", der, name, key_id, trusted, first=index == 0))
        elif bag_id == SHROUDED_KEY_BAG:
            scheme = pbe.describe(value.children()[0])
            found.key_schemes.add(f"{scheme.name}, {scheme.iterations} iterations")
            found.view.add(Bag("shrouded", value.raw, name, key_id))
        elif bag_id == KEY_BAG:
            found.view.add(Bag("key", value.raw, name, key_id))
        elif bag_id == SECRET_BAG:  # listed as Java lists it; never written (no silent loss)
            parts = value.children()
            if len(parts) < 2 or parts[0].tag != 0x06 or parts[1].tag != 0xA0:
                raise StoreError("not a valid PKCS#12 file (a SecretBag without its content)")
            found.view.add(Bag("secret", value.raw, name, key_id))
        elif bag_id == SAFE_CONTENTS_BAG:
            _safe_contents(value.raw, password, found, depth + 1)


def _attributes(attrs: asn1.TLV | None) -> tuple[str | None, bytes | None, bool]:
    name, key_id, trusted = None, None, False
    if attrs is None:
        return name, key_id, trusted
    for attr in attrs.children():
        attr_fields = attr.children()
        attr_id = attr_fields[0].oid()
        values = attr_fields[1].children()
        if not values:
            continue
        if attr_id == FRIENDLY_NAME:
            name = values[0].value.decode("utf-16-be", "replace")
        elif attr_id == LOCAL_KEY_ID:
            key_id = values[0].value
        elif attr_id == JAVA_TRUSTED_KEY_USAGE:
            trusted = True
    return name, key_id, trusted


# -- keys ------------------------------------------------------------------------------------


def decrypt_key(entry: Entry, password: str) -> bytes:
    """The PKCS#8 DER of a key entry read from PKCS#12 (Java: key password = store password)."""
    if entry.key_pkcs8 is not None:
        return entry.key_pkcs8
    assert entry.protected_key is not None
    parts = asn1.parse(entry.protected_key).children()
    try:
        return pbe.decrypt_as_java(parts[0], parts[1].octets(), password)
    except pbe.DecryptError as exc:
        raise WrongPasswordError(f"cannot decrypt the private key of {entry.alias}") from exc


# -- writer ----------------------------------------------------------------------------------


def _attrs(name: str, key_id: bytes | None = None, trusted: bool = False) -> bytes:
    items = [asn1.seq(asn1.oid(FRIENDLY_NAME), asn1.set_of(asn1.bmp_string(name)))]
    if key_id is not None:
        items.append(asn1.seq(asn1.oid(LOCAL_KEY_ID), asn1.set_of(asn1.octets(key_id))))
    if trusted:
        items.append(
            asn1.seq(
                asn1.oid(JAVA_TRUSTED_KEY_USAGE), asn1.set_of(asn1.oid(ANY_EXTENDED_KEY_USAGE))
            )
        )
    return asn1.set_of(*items)


def _cert_bag(der: bytes, attrs: bytes | None) -> bytes:
    value = asn1.seq(asn1.oid(X509_CERT), asn1.explicit(0, asn1.octets(der)))
    return asn1.seq(asn1.oid(CERT_BAG), asn1.explicit(0, value), *([attrs] if attrs else []))


def write(
    store: Store,
    password: str,
    *,
    legacy: bool = False,
    iterations: int | None = None,
    salt: bytes | None = None,
    cache: pbe.KeyCache | None = None,
) -> bytes:
    """Serialize ``store`` as PKCS#12 that Java's keytool reads entry for entry. ``salt`` (32
    bytes; modern only) and ``cache`` serve a batch of files with one password: the keys are
    derived once for the batch, every IV stays random."""
    if iterations is None:
        iterations = LEGACY_ITERATIONS if legacy else MODERN_ITERATIONS
    shared = None if legacy or salt is None else salt[:16]

    def seal(data: bytes) -> tuple[bytes, bytes]:
        return pbe.encrypt(
            data, password, legacy=legacy, iterations=iterations, salt=shared, cache=cache
        )

    cert_bags, key_bags = _bags(store, password, seal)
    alg, blob = seal(asn1.seq(*cert_bags))
    encrypted = asn1.seq(
        asn1.oid(ENCRYPTED_DATA),
        asn1.explicit(
            0,
            asn1.seq(asn1.integer(0), asn1.seq(asn1.oid(DATA), alg, asn1.tlv(0x80, blob))),
        ),
    )
    infos = [encrypted]
    if key_bags:
        infos.append(asn1.seq(asn1.oid(DATA), asn1.explicit(0, asn1.octets(asn1.seq(*key_bags)))))
    auth_safe = asn1.seq(*infos)
    hash_name, hash_oid = ("sha1", SHA1) if legacy else ("sha256", SHA256)
    salt = salt if shared is not None and salt is not None else os.urandom(20 if legacy else 32)
    digest = pbe.mac(hash_name, password, salt, iterations, auth_safe, cache)
    mac_data = asn1.seq(
        asn1.seq(asn1.seq(asn1.oid(hash_oid), asn1.null()), asn1.octets(digest)),
        asn1.octets(salt),
        asn1.integer(iterations),
    )
    return asn1.seq(
        asn1.integer(3),
        asn1.seq(asn1.oid(DATA), asn1.explicit(0, asn1.octets(auth_safe))),
        mac_data,
    )


def _bags(
    store: Store, password: str, seal: Callable[[bytes], tuple[bytes, bytes]]
) -> tuple[list[bytes], list[bytes]]:
    """(certificate bags, shrouded key bags) of ``store``; ``seal`` encrypts a key."""
    from jettycfg.certs import der_of

    cert_bags: list[bytes] = []
    key_bags: list[bytes] = []
    seen: set[bytes] = set()
    for entry in store.entries:
        if entry.kind is EntryKind.SECRET:
            raise StoreError(
                f"secret-key entry {entry.alias} cannot be written to PKCS#12 (jettycfg keeps "
                "no secret keys): nothing written; use keytool for this store"
            )
        ders = [der_of(c) for c in entry.certs]
        if not ders:
            raise StoreError(f"key entry {entry.alias} has no certificate: cannot write it")
        if entry.kind is not EntryKind.KEY:
            trusted = entry.kind is EntryKind.TRUSTED
            cert_bags.append(_cert_bag(ders[0], _attrs(entry.alias, trusted=trusted)))
            continue
        key_id = hashlib.sha1(ders[0]).digest()
        alg, blob = seal(entry_pkcs8(entry, password))
        epki = asn1.seq(alg, asn1.octets(blob))
        key_bags.append(
            asn1.seq(
                asn1.oid(SHROUDED_KEY_BAG), asn1.explicit(0, epki), _attrs(entry.alias, key_id)
            )
        )
        cert_bags.append(_cert_bag(ders[0], _attrs(entry.alias, key_id)))
        for der in ders[1:]:
            if der not in seen:
                seen.add(der)
                cert_bags.append(_cert_bag(der, None))
    return cert_bags, key_bags


def entry_pkcs8(entry: Entry, password: str) -> bytes:
    """The decrypted key of ``entry``; the caller has decrypted foreign formats already."""
    if entry.key_pkcs8 is not None:
        return entry.key_pkcs8
    if entry.protected_format is StoreFormat.PKCS12:
        return decrypt_key(entry, password)
    raise StoreError(f"the private key of {entry.alias} is not decrypted (key password needed)")


__all__ = ["PasswordRequiredError", "decrypt_key", "looks_like_pkcs12", "read", "write"]
