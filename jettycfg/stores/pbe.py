"""Password-based encryption and MACs of PKCS#12 (RFC 7292, RFC 8018), read and write.

Reads PBES2 (PBKDF2 + AES-CBC / 3DES), PKCS#12 PBE SHA1 with 3DES, 2-key 3DES, RC2-40 and
RC2-128; writes PBES2 AES-256-CBC (modern) and PBE-SHA1-3DES (``--legacy``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass

from jettycfg.errors import StoreError
from jettycfg.stores import asn1

PBES2 = "1.2.840.113549.1.5.13"
PBKDF2 = "1.2.840.113549.1.5.12"
PBE_SHA1_3DES = "1.2.840.113549.1.12.1.3"
PBE_SHA1_2DES = "1.2.840.113549.1.12.1.4"
PBE_SHA1_RC2_128 = "1.2.840.113549.1.12.1.5"
PBE_SHA1_RC2_40 = "1.2.840.113549.1.12.1.6"
AES_CBC = {
    "2.16.840.1.101.3.4.1.2": 16,
    "2.16.840.1.101.3.4.1.22": 24,
    "2.16.840.1.101.3.4.1.42": 32,
}
DES_EDE3_CBC = "1.2.840.113549.3.7"
HMAC_PRF = {
    "1.2.840.113549.2.7": "sha1",
    "1.2.840.113549.2.8": "sha224",
    "1.2.840.113549.2.9": "sha256",
    "1.2.840.113549.2.10": "sha384",
    "1.2.840.113549.2.11": "sha512",
}
DIGEST_OIDS = {
    "1.3.14.3.2.26": "sha1",
    "2.16.840.1.101.3.4.2.4": "sha224",
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
}
NAMES = {
    PBE_SHA1_3DES: "PBEWithSHA1AndDESede",
    PBE_SHA1_2DES: "PBEWithSHA1AndDESede(2-key)",
    PBE_SHA1_RC2_128: "PBEWithSHA1AndRC2_128",
    PBE_SHA1_RC2_40: "PBEWithSHA1AndRC2_40",
}


# Java's caps (OpenJDK sun.security.pkcs12.PKCS12KeyStore and com.sun.crypto.provider.KeyProtector:
# MAX_ITERATION_COUNT = 5000000, "MAC iteration count too large"): larger counts are refused
# at once instead of hashing for half an hour.
# jettycfg stops at a fifth of that: its PKCS#12 KDF is Python code (5,000,000 SHA-1 rounds take
# ~6 s here, a crafted file could hold several); real stores use 1,000-100,000.
JAVA_MAX_ITERATIONS = 5_000_000
MAX_ITERATIONS = 1_000_000
MAX_SALT = 1024


def check_rounds(rounds: int, what: str) -> int:
    """``rounds`` if Java would accept it; else a StoreError saying why."""
    if rounds < 1:
        raise StoreError(f"{what} iteration count {rounds} is invalid")
    if rounds > JAVA_MAX_ITERATIONS:
        raise StoreError(f"{what} iteration count too large ({rounds}; Java's limit is 5000000)")
    if rounds > MAX_ITERATIONS:
        raise StoreError(
            f"{what} iteration count {rounds} is more than jettycfg computes "
            f"({MAX_ITERATIONS}; Java accepts up to {JAVA_MAX_ITERATIONS})"
        )
    return rounds


def check_salt(salt: bytes) -> bytes:
    if len(salt) > MAX_SALT:
        raise StoreError("PBE salt too long")
    return salt


class DecryptError(ValueError):
    """Decryption failed: wrong password or corrupt data."""


class UnsupportedAlgorithm(ValueError):
    """An algorithm jettycfg does not implement."""


def bmp_password(password: str | None) -> bytes:
    """PKCS#12 password bytes: UTF-16BE plus two zero bytes; empty for no password."""
    if password is None:
        return b""
    return password.encode("utf-16-be") + b"\x00\x00"


def pkcs12_kdf(
    hash_name: str, password: bytes, salt: bytes, ident: int, rounds: int, size: int
) -> bytes:
    """RFC 7292 appendix B.2 key derivation."""
    h = hashlib.new(hash_name)
    u, v = h.digest_size, h.block_size
    ctor = getattr(hashlib, hash_name.replace("-", "").lower(), None) or (
        lambda data: hashlib.new(hash_name, data)
    )
    d = bytes([ident]) * v

    def fill(data: bytes) -> bytes:
        if not data:
            return b""
        n = v * ((len(data) + v - 1) // v)
        return (data * (n // len(data) + 1))[:n]

    i_block = bytearray(fill(salt) + fill(password))
    out = b""
    while len(out) < size:
        a = d + bytes(i_block)
        for _ in range(rounds):  # hashlib's named constructor: twice as fast as hashlib.new
            a = ctor(a).digest()
        out += a
        b = int.from_bytes((a * (v // u + 1))[:v], "big")
        for j in range(0, len(i_block), v):
            chunk = int.from_bytes(i_block[j : j + v], "big")
            i_block[j : j + v] = ((chunk + b + 1) % (1 << (8 * v))).to_bytes(v, "big")
    return out[:size]


def _unpad(data: bytes, block: int) -> bytes:
    if not data or len(data) % block:
        raise DecryptError("bad length")
    n = data[-1]
    if not 1 <= n <= block or data[-n:] != bytes([n]) * n:
        raise DecryptError("bad padding")
    return data[:-n]


def _pad(data: bytes, block: int) -> bytes:
    n = block - len(data) % block
    return data + bytes([n]) * n


def _cbc(algorithm: object, iv: bytes, data: bytes, encrypt: bool) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, modes

    cipher = Cipher(algorithm, modes.CBC(iv))  # type: ignore[arg-type]
    ctx = cipher.encryptor() if encrypt else cipher.decryptor()
    return ctx.update(data) + ctx.finalize()


def _triple_des(key: bytes) -> object:
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES

    return TripleDES(key)


@dataclass(frozen=True)
class Scheme:
    """An encryption scheme as found in (or written to) a file."""

    name: str  # e.g. "PBES2/PBKDF2-HmacSHA256/AES-256-CBC" or "PBEWithSHA1AndRC2_40"
    iterations: int


def describe(alg: asn1.TLV) -> Scheme:
    oid, params = _alg(alg)
    if oid == PBES2:
        kdf, enc = params.children()
        _, kdf_params = _alg(kdf)
        kp = kdf_params.children()
        iterations = kp[1].integer()
        prf = "sha1"
        for extra in kp[2:]:
            if extra.tag == asn1.SEQUENCE:
                prf = HMAC_PRF.get(extra.children()[0].oid(), "?")
        enc_oid = enc.children()[0].oid()
        cipher = f"AES-{AES_CBC[enc_oid] * 8}-CBC" if enc_oid in AES_CBC else "DES-EDE3-CBC"
        return Scheme(f"PBES2/PBKDF2-Hmac{prf.upper()}/{cipher}", iterations)
    if oid in NAMES:
        return Scheme(NAMES[oid], params.children()[1].integer())
    return Scheme(oid, 0)


def _alg(alg: asn1.TLV) -> tuple[str, asn1.TLV]:
    parts = alg.expect(asn1.SEQUENCE).children()
    if len(parts) < 2:
        raise asn1.ASN1Error("algorithm without parameters")
    return parts[0].oid(), parts[1]


def decrypt_as_java(alg: asn1.TLV, data: bytes, password: str | None) -> bytes:
    """:func:`decrypt` as Java's PKCS12KeyStore does it: the empty password is tried as no
    bytes at all first (Java's PBE key of char[0]), then NUL-terminated (RetryWithZero)."""
    if password != "":
        return decrypt(alg, data, password)
    try:
        return decrypt(alg, data, None)
    except DecryptError:
        return decrypt(alg, data, password)


def decrypt(alg: asn1.TLV, data: bytes, password: str | None) -> bytes:
    """Decrypt ``data`` encrypted with the AlgorithmIdentifier ``alg``."""
    oid, params = _alg(alg)
    if oid == PBES2:
        return _pbes2(params, data, password)
    salt_tlv, iter_tlv = params.children()[:2]
    salt = check_salt(salt_tlv.expect(asn1.OCTET_STRING).value)
    rounds = check_rounds(iter_tlv.integer(), "PBE")
    pw = bmp_password(password)
    if oid in (PBE_SHA1_3DES, PBE_SHA1_2DES):
        size = 24 if oid == PBE_SHA1_3DES else 16
        key = pkcs12_kdf("sha1", pw, salt, 1, rounds, size)
        if size == 16:
            key += key[:8]
        iv = pkcs12_kdf("sha1", pw, salt, 2, rounds, 8)
        return _unpad(_cbc(_triple_des(key), iv, data, False), 8)
    if oid in (PBE_SHA1_RC2_40, PBE_SHA1_RC2_128):
        from jettycfg.stores import rc2

        size = 5 if oid == PBE_SHA1_RC2_40 else 16
        key = pkcs12_kdf("sha1", pw, salt, 1, rounds, size)
        iv = pkcs12_kdf("sha1", pw, salt, 2, rounds, 8)
        try:
            return _unpad(rc2.decrypt_cbc(key, iv, data, size * 8), 8)
        except ValueError as exc:
            raise DecryptError(str(exc)) from exc
    raise UnsupportedAlgorithm(f"encryption algorithm {oid}")


def triple_des_cbc_decrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    """3DES-CBC with PKCS#5 padding (JCEKS keys)."""
    return _unpad(_cbc(_triple_des(key), iv, data, False), 8)


def _pbes2(params: asn1.TLV, data: bytes, password: str | None) -> bytes:
    from cryptography.hazmat.primitives.ciphers import algorithms

    kdf, enc = params.children()
    kdf_oid, kdf_params = _alg(kdf)
    if kdf_oid != PBKDF2:
        raise UnsupportedAlgorithm(f"key derivation {kdf_oid}")
    kp = kdf_params.children()
    salt = check_salt(kp[0].expect(asn1.OCTET_STRING).value)
    rounds = check_rounds(kp[1].integer(), "PBKDF2")
    prf = "sha1"
    key_len = None
    for extra in kp[2:]:
        if extra.tag == asn1.INTEGER:
            key_len = extra.integer()
        elif extra.tag == asn1.SEQUENCE:
            prf_oid = extra.children()[0].oid()
            if prf_oid not in HMAC_PRF:
                raise UnsupportedAlgorithm(f"PBKDF2 PRF {prf_oid}")
            prf = HMAC_PRF[prf_oid]
    enc_oid, enc_params = _alg(enc)
    iv = enc_params.expect(asn1.OCTET_STRING).value
    pw = (password or "").encode("utf-8")
    wanted = AES_CBC.get(enc_oid, 24)
    if key_len is not None and key_len != wanted:
        raise StoreError(f"PBES2 keyLength {key_len} does not fit the cipher ({wanted} bytes)")
    if len(iv) != (16 if enc_oid in AES_CBC else 8):
        raise StoreError("PBES2 IV of the wrong length")
    if enc_oid in AES_CBC:
        key = hashlib.pbkdf2_hmac(prf, pw, salt, rounds, key_len or AES_CBC[enc_oid])
        return _unpad(_cbc(algorithms.AES(key), iv, data, False), 16)
    if enc_oid == DES_EDE3_CBC:
        key = hashlib.pbkdf2_hmac(prf, pw, salt, rounds, 24)
        return _unpad(_cbc(_triple_des(key), iv, data, False), 8)
    raise UnsupportedAlgorithm(f"cipher {enc_oid}")


# Derived keys shared by the files of one batch (``client issue``: every bundle has the same
# password): (kdf, password digest, salt, rounds) -> key. Owned by the caller, never global.
KeyCache = dict[tuple[str, bytes, bytes, int], bytes]


def _cached(
    cache: KeyCache | None,
    kdf: str,
    password: str | None,
    salt: bytes,
    rounds: int,
    derive: Callable[[], bytes],
) -> bytes:
    if cache is None:
        return derive()
    key = (kdf, hashlib.sha256((password or "").encode("utf-8")).digest(), salt, rounds)
    found = cache.get(key)
    if found is None:
        found = cache[key] = derive()
    return found


def encrypt(
    data: bytes,
    password: str,
    *,
    legacy: bool,
    iterations: int,
    salt: bytes | None = None,
    cache: KeyCache | None = None,
) -> tuple[bytes, bytes]:
    """Encrypt; returns (AlgorithmIdentifier DER, ciphertext). ``salt`` (PBES2 only) and
    ``cache`` let a batch of files with one password derive the key once; the IV stays random
    per encryption."""
    from cryptography.hazmat.primitives.ciphers import algorithms

    if legacy:
        # PKCS#12-KDF derives the IV from the salt as well: never share a salt here
        salt = os.urandom(20)
        pw = bmp_password(password)
        key = pkcs12_kdf("sha1", pw, salt, 1, iterations, 24)
        iv = pkcs12_kdf("sha1", pw, salt, 2, iterations, 8)
        alg = asn1.seq(
            asn1.oid(PBE_SHA1_3DES), asn1.seq(asn1.octets(salt), asn1.integer(iterations))
        )
        return alg, _cbc(_triple_des(key), iv, _pad(data, 8), True)
    salt = salt if salt is not None else os.urandom(16)
    iv = os.urandom(16)
    key = _cached(
        cache,
        "pbkdf2-sha256",
        password,
        salt,
        iterations,
        lambda: hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations, 32),
    )
    alg = asn1.seq(
        asn1.oid(PBES2),
        asn1.seq(
            asn1.seq(
                asn1.oid(PBKDF2),
                asn1.seq(
                    asn1.octets(salt),
                    asn1.integer(iterations),
                    asn1.seq(asn1.oid("1.2.840.113549.2.9"), asn1.null()),
                ),
            ),
            asn1.seq(asn1.oid("2.16.840.1.101.3.4.1.42"), asn1.octets(iv)),
        ),
    )
    return alg, _cbc(algorithms.AES(key), iv, _pad(data, 16), True)


def mac(
    hash_name: str,
    password: str | None,
    salt: bytes,
    rounds: int,
    data: bytes,
    cache: KeyCache | None = None,
) -> bytes:
    """The PKCS#12 MAC (HmacPBE<hash>) over ``data``."""
    size = hashlib.new(hash_name).digest_size
    check_salt(salt)
    check_rounds(rounds, "MAC")
    key = _cached(
        cache,
        f"pkcs12-mac-{hash_name}",
        password,
        salt,
        rounds,
        lambda: pkcs12_kdf(hash_name, bmp_password(password), salt, 3, rounds, size),
    )
    return hmac.new(key, data, hash_name).digest()
