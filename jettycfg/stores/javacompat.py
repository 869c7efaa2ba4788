"""Stores jettycfg reads but Java cannot open (checked against Java 17's keytool).

Java's PBES2 knows AES-128-CBC and AES-256-CBC only (``PBES2Parameters``): a PKCS#12 file whose
bags are encrypted with AES-192 fails to load ("parseAlgParameters failed: PBE parameter parsing
error: expecting the object identifier for AES cipher"). Java 17 knows no PBMAC1 integrity
(RFC 9579) and no GOST algorithms either."""

from __future__ import annotations

from jettycfg.stores.model import Store

# scheme-name fragments (see pbe.describe / pkcs12 integrity) Java cannot handle, and why
_REFUSED = (
    ("AES-192", "PBES2 with AES-192 (Java's PBES2 has AES-128 and AES-256 only)"),
    ("GOST", "GOST algorithms (not in Java's providers)"),
    ("PBMAC1", "a PBMAC1 integrity check (RFC 9579; Java 17 has none)"),
)


def java_cannot_open(store: Store) -> str | None:
    """Why Java (17) fails to load ``store``, or None when it can."""
    p = store.protection
    for what, scheme in (
        ("certificates", p.cert_encryption),
        ("keys", p.key_encryption),
        ("integrity", p.integrity),
    ):
        for fragment, why in _REFUSED:
            if scheme and fragment.lower() in scheme.lower():
                return f"its {what} use {why}"
    return None
