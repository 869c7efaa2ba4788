"""PBMAC1 integrity of PKCS#12 files (RFC 9579, RFC 8018 §7.1): HMAC keyed by PBKDF2 over the
UTF-8 password. jettycfg checks it; Java 17 cannot open such a file (stores/javacompat.py)."""

from __future__ import annotations

import hashlib
import hmac

from jettycfg.errors import StoreError, WrongPasswordError
from jettycfg.stores import asn1, pbe

PBMAC1 = "1.2.840.113549.1.5.14"


def verify(params: asn1.TLV, expected: bytes, content: bytes, password: str | None) -> str:
    """Check the PBMAC1 MAC of ``content``; returns the protection label."""
    kdf, scheme = params.children()[:2]
    kdf_oid, kdf_params = kdf.children()[0].oid(), kdf.children()[1]
    mac_oid = scheme.children()[0].oid()
    if kdf_oid != pbe.PBKDF2 or mac_oid not in pbe.HMAC_PRF:
        raise StoreError(f"unsupported PKCS#12 PBMAC1 parameters {kdf_oid} / {mac_oid}")
    kp = kdf_params.children()
    salt = pbe.check_salt(kp[0].expect(asn1.OCTET_STRING).value)
    rounds = pbe.check_rounds(kp[1].integer(), "PBMAC1")
    key_len = next((x.integer() for x in kp[2:] if x.tag == asn1.INTEGER), None)
    prf = next(
        (pbe.HMAC_PRF.get(x.children()[0].oid(), "?") for x in kp[2:] if x.tag == asn1.SEQUENCE),
        "sha1",
    )
    if prf == "?" or key_len is None or not 1 <= key_len <= 64:
        raise StoreError("unsupported PKCS#12 PBMAC1 key derivation")
    mac_hash = pbe.HMAC_PRF[mac_oid]
    label = f"PBMAC1/PBKDF2-Hmac{prf.upper()}/Hmac{mac_hash.upper()}, {rounds} iterations"
    if password is None:
        return label + " (not checked: no password)"
    key = hashlib.pbkdf2_hmac(prf, password.encode("utf-8"), salt, rounds, key_len)
    if not hmac.compare_digest(hmac.new(key, content, mac_hash).digest(), expected):
        raise WrongPasswordError("wrong store password (the PKCS#12 integrity check failed)")
    return label
