"""Java's JKS keystore format (read and write) and JCEKS (read, keys included), our own codec.

Layout (big-endian): magic ``FEEDFEED`` (JCEKS ``CECECECE``), version, entry count; per entry a
tag (1 private key, 2 trusted certificate, 3 JCEKS secret key), alias (modified UTF-8 with a u16
length), creation time in ms; then the entry. The file ends with SHA-1 over the password as
UTF-16BE, ``"Mighty Aphrodite"`` and everything before. Private keys use Sun's KeyProtector
(OID 1.3.6.1.4.1.42.2.17.1.1): a SHA-1 keystream XOR with a 20-byte salt and a SHA-1 check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import struct
from typing import TYPE_CHECKING

from jettycfg.errors import StoreError, WrongPasswordError
from jettycfg.stores import asn1
from jettycfg.stores.model import Entry, EntryKind, Protection, Store, StoreFormat, load_cert

if TYPE_CHECKING:
    from cryptography import x509

JKS_MAGIC = 0xFEEDFEED
JCEKS_MAGIC = 0xCECECECE
KEY_PROTECTOR = "1.3.6.1.4.1.42.2.17.1.1"
JCE_KEY_PROTECTOR = "1.3.6.1.4.1.42.2.19.1"  # PBEWithMD5AndTripleDES
WHITENER = b"Mighty Aphrodite"


def _password_bytes(password: str) -> bytes:
    return password.encode("utf-16-be", "surrogatepass")


class _Reader:
    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise StoreError("truncated keystore")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def u16(self) -> int:
        return int(struct.unpack(">H", self.take(2))[0])

    def u32(self) -> int:
        return int(struct.unpack(">I", self.take(4))[0])

    def u64(self) -> int:
        return int(struct.unpack(">Q", self.take(8))[0])

    def utf(self) -> str:
        raw = self.take(self.u16())
        # Java's modified UTF-8: NUL as C0 80 and supplementary chars as surrogate pairs.
        return (
            raw.replace(b"\xc0\x80", b"\x00")
            .decode("utf-8", "surrogatepass")
            .encode("utf-16", "surrogatepass")
            .decode("utf-16")
        )


def _utf(text: str) -> bytes:
    """Java's ``writeUTF``: modified UTF-8 of the UTF-16 code units, u16 length first."""
    out = bytearray()
    units = text.encode("utf-16-be", "surrogatepass")
    for i in range(0, len(units), 2):
        code = int.from_bytes(units[i : i + 2], "big")
        if 0 < code < 0x80:
            out.append(code)
        elif code < 0x800:
            out += bytes([0xC0 | code >> 6, 0x80 | code & 0x3F])
        else:
            out += bytes([0xE0 | code >> 12, 0x80 | (code >> 6) & 0x3F, 0x80 | code & 0x3F])
    if len(out) > 0xFFFF:
        raise StoreError("alias too long")
    return struct.pack(">H", len(out)) + bytes(out)


def looks_like(data: bytes) -> StoreFormat | None:
    if data[:4] == b"\xfe\xed\xfe\xed":
        return StoreFormat.JKS
    if data[:4] == b"\xce\xce\xce\xce":
        return StoreFormat.JCEKS
    return None


def read(data: bytes, password: str | None) -> Store:
    """Parse JKS / JCEKS. Without a password the integrity check is skipped, as Java does.
    Aliases are case-insensitive as in Java's JavaKeyStore: of two differing in case the last
    one read wins."""
    try:
        store = _read(data, password)
    except StoreError:
        raise
    except (ValueError, TypeError, IndexError, KeyError, OverflowError, RecursionError) as exc:
        raise StoreError(f"corrupt keystore ({type(exc).__name__})") from exc
    kept: dict[str, Entry] = {}
    for entry in store.entries:
        kept.pop(entry.alias.lower(), None)
        kept[entry.alias.lower()] = entry
    if len(kept) != len(store.entries):
        store.notes.append("aliases differing only in case: Java keeps the last one")
        store.entries = list(kept.values())
    return store


def _read(data: bytes, password: str | None) -> Store:
    fmt = looks_like(data)
    if fmt is None:
        raise StoreError("not a JKS or JCEKS keystore")
    if len(data) < 32:
        raise StoreError("truncated keystore")
    body, digest = data[:-20], data[-20:]
    integrity = "not checked (no password)"
    if password is not None:
        expected = hashlib.sha1(_password_bytes(password) + WHITENER + body).digest()
        if not hmac.compare_digest(expected, digest):
            _structure_ok(body, fmt)  # a corrupt file says so; a sound one means a wrong password
            raise WrongPasswordError("wrong store password (the keystore integrity check failed)")
        integrity = "SHA-1 keyed digest (JKS)"
    reader = _Reader(body)
    reader.take(4)
    version = reader.u32()
    if version not in (1, 2):
        raise StoreError(f"unsupported keystore version {version}")
    store = Store(
        fmt,
        protection=Protection(
            cert_encryption="none",
            key_encryption=_key_scheme(fmt),
            integrity=integrity,
            legacy=True,
        ),
    )
    count = reader.u32()
    if count > len(body) // 8:
        raise StoreError(f"corrupt keystore (entry count {count} larger than the file allows)")
    try:
        for _ in range(count):
            store.entries.append(_entry(reader, version, fmt))
    except ValueError as exc:
        raise StoreError(f"corrupt keystore entry: {exc}") from exc
    if reader.pos != len(body):
        raise StoreError("corrupt keystore (trailing data)")
    return store


def _key_scheme(fmt: StoreFormat) -> str:
    return (
        "PBEWithMD5AndTripleDES (JCEKS)" if fmt is StoreFormat.JCEKS else "JKS KeyProtector (SHA-1)"
    )


def _structure_ok(body: bytes, fmt: StoreFormat) -> None:
    reader = _Reader(body)
    reader.take(4)
    version = reader.u32()
    count = reader.u32()
    if count > len(body) // 8:
        raise StoreError(f"corrupt keystore (entry count {count} larger than the file allows)")
    try:
        for _ in range(count):
            _entry(reader, version, fmt)
    except (ValueError, StoreError) as exc:
        raise StoreError(f"corrupt keystore ({exc})") from exc
    if reader.pos != len(body):
        raise StoreError("corrupt keystore (trailing data)")


def _cert(reader: _Reader, version: int) -> x509.Certificate:
    if version == 2:
        ctype = reader.utf()
        if ctype != "X.509":
            raise StoreError(f"unsupported certificate type {ctype!a}")
    der = reader.take(reader.u32())
    return load_cert(der)


def _entry(reader: _Reader, version: int, fmt: StoreFormat) -> Entry:
    tag = reader.u32()
    alias = reader.utf()
    created = dt.datetime.fromtimestamp(reader.u64() / 1000, dt.timezone.utc)
    if tag == 1:
        protected = reader.take(reader.u32())
        chain = [_cert(reader, version) for _ in range(reader.u32())]
        return Entry(
            alias, EntryKind.KEY, chain, created, protected_key=protected, protected_format=fmt
        )
    if tag == 2:
        return Entry(alias, EntryKind.TRUSTED, [_cert(reader, version)], created)
    if tag == 3 and fmt is StoreFormat.JCEKS:
        raise StoreError("JCEKS secret-key entries are not supported (convert them with keytool)")
    raise StoreError(f"unknown entry tag {tag}")


# -- private key protection (sun.security.provider.KeyProtector) ----------------------------


def _keystream(password: bytes, salt: bytes, size: int) -> bytes:
    out = b""
    digest = salt
    while len(out) < size:
        digest = hashlib.sha1(password + digest).digest()
        out += digest
    return out[:size]


def recover_key(protected: bytes, password: str) -> bytes:
    """The PKCS#8 DER of a JKS-protected key; WrongPasswordError when the check fails."""
    try:
        parts = asn1.parse(protected).children()
        oid = parts[0].children()[0].oid()
        blob = parts[1].octets()
    except (asn1.ASN1Error, IndexError) as exc:
        raise StoreError("corrupt protected key") from exc
    if oid == JCE_KEY_PROTECTOR:
        return _recover_jceks(parts[0].children()[1], blob, password)
    if oid != KEY_PROTECTOR:
        raise StoreError(f"key protected with {oid}: cannot be decrypted")
    if len(blob) < 40:
        raise StoreError("corrupt protected key")
    salt, encrypted, check = blob[:20], blob[20:-20], blob[-20:]
    pw = _password_bytes(password)
    plain = bytes(
        a ^ b for a, b in zip(encrypted, _keystream(pw, salt, len(encrypted)), strict=True)
    )
    if not hmac.compare_digest(hashlib.sha1(pw + plain).digest(), check):
        raise WrongPasswordError("wrong key password")
    return plain


def _recover_jceks(params: asn1.TLV, blob: bytes, password: str) -> bytes:
    """JCEKS keys: Sun's PBEWithMD5AndTripleDES (com.sun.crypto.provider.PBES1Core)."""
    from jettycfg.stores.pbe import DecryptError, triple_des_cbc_decrypt

    try:
        fields = params.children()
        salt = bytearray(fields[0].expect(asn1.OCTET_STRING).value)
        rounds = fields[1].integer()
    except (asn1.ASN1Error, IndexError) as exc:
        raise StoreError("corrupt protected key") from exc
    if len(salt) != 8:
        raise StoreError("corrupt protected key (salt)")
    from jettycfg.stores.pbe import check_rounds

    check_rounds(rounds, "JCEKS key")
    if salt[:4] == salt[4:]:  # equal halves: the first one is reversed
        salt[:4] = salt[3::-1]
    secret = password.encode("latin-1", "replace")
    derived = b""
    for half in (bytes(salt[:4]), bytes(salt[4:])):
        digest = half
        for _ in range(rounds):
            digest = hashlib.md5(digest + secret).digest()
        derived += digest
    try:
        return triple_des_cbc_decrypt(derived[:24], derived[24:32], blob)
    except DecryptError as exc:
        raise WrongPasswordError("wrong key password") from exc


def protect_key(pkcs8: bytes, password: str) -> bytes:
    pw = _password_bytes(password)
    salt = os.urandom(20)
    encrypted = bytes(a ^ b for a, b in zip(pkcs8, _keystream(pw, salt, len(pkcs8)), strict=True))
    check = hashlib.sha1(pw + pkcs8).digest()
    alg = asn1.seq(asn1.oid(KEY_PROTECTOR), asn1.null())
    return asn1.seq(alg, asn1.octets(salt + encrypted + check))


# -- writer ----------------------------------------------------------------------------------


def write(store: Store, password: str, key_password: str | None = None) -> bytes:
    """Serialize as JKS; keys are protected with their key password (default: store password)."""
    from jettycfg.certs import der_of

    out = bytearray(struct.pack(">III", JKS_MAGIC, 2, len(store.entries)))
    now = dt.datetime.now(dt.timezone.utc)
    for entry in store.entries:
        created = int((entry.created or now).timestamp() * 1000)
        if entry.kind is EntryKind.KEY:
            if not entry.certs:  # Java reads a JKS key without chain as a SecretKeyEntry
                raise StoreError(f"key entry {entry.alias} has no certificate: cannot write it")
            key_pw = key_password if key_password is not None else password
            if entry.key_pkcs8 is not None:
                protected = protect_key(entry.key_pkcs8, key_pw)
            elif key_password is None and entry.protected_format is StoreFormat.JKS:
                # kept as read, under its own key password (as keytool -storepasswd keeps it)
                assert entry.protected_key is not None
                protected = entry.protected_key
            else:
                raise StoreError(f"the private key of {entry.alias} is not decrypted")
            out += struct.pack(">I", 1) + _utf(entry.alias.lower()) + struct.pack(">Q", created)
            out += (
                struct.pack(">I", len(protected)) + protected + struct.pack(">I", len(entry.certs))
            )
            certs = entry.certs
        elif entry.kind in (EntryKind.TRUSTED, EntryKind.IGNORED):
            out += struct.pack(">I", 2) + _utf(entry.alias.lower()) + struct.pack(">Q", created)
            certs = entry.certs[:1]
        else:
            raise StoreError(
                f"secret-key entry {entry.alias} cannot be written to JKS (JKS holds no secret "
                "keys): nothing written"
            )
        for cert in certs:
            der = der_of(cert)
            out += _utf("X.509") + struct.pack(">I", len(der)) + der
    out += hashlib.sha1(_password_bytes(password) + WHITENER + bytes(out)).digest()
    return bytes(out)
