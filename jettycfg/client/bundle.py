"""The files a client needs: ``<account>.p12`` (key, leaf and the whole chain; friendlyName =
account), ``<account>.crt``, ``<account>.key`` (0600, encrypted with the bundle password) and
``ca-chain.pem``. Profiles: ``modern`` (PBES2/AES-256, HmacSHA256 MAC: Java, OpenSSL 3, current
browsers) and ``legacy`` (PBE-SHA1-3DES, SHA-1 MAC: what Windows Server 2016 and older macOS
import)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from jettycfg import fsio
from jettycfg.client.issue import Issued
from jettycfg.errors import UsageError
from jettycfg.fsio import FileChange
from jettycfg.stores import asn1, pbe

PROFILES = ("modern", "legacy")
PEM = serialization.Encoding.PEM
# PBKDF2 / PKCS#12-KDF and MAC iterations: OpenSSL 3's default (PKCS12_DEFAULT_ITER) and
# cryptography's for PKCS#8, what `openssl pkcs12 -export` writes and every importer takes; the
# bundle password protects the file in transit, its strength matters more than the count.
MODERN_ROUNDS = 2048
LEGACY_ROUNDS = 2048


@dataclass
class Sealing:
    """How one batch's files are encrypted. Every file of a batch has the same password, so the
    batch draws one random salt and derives each key once (PBKDF2 for PBES2/AES-256, the
    PKCS#12 MAC key); every encryption still gets its own random IV. Cracking one file's
    password opens all of them either way - they share the password - and a fresh salt per
    batch still defeats precomputation. The legacy profile's PKCS#12-KDF derives the IV from
    the salt too, so its PKCS#12 files keep a salt of their own."""

    salt: bytes = field(default_factory=lambda: os.urandom(32))
    cache: pbe.KeyCache = field(default_factory=dict)


def p12_bytes(issued: Issued, password: str, profile: str, sealing: Sealing | None = None) -> bytes:
    """The bundle: a key bag and the leaf with friendlyName = account and a localKeyId, then
    the chain (Java, NSS and Windows build the chain from these bags). keytool, NSS's pk12util
    and openssl read every bundle in the tests."""
    if profile not in PROFILES:
        raise UsageError(f"--profile: modern or legacy, not {profile!r}")
    if profile == "legacy":
        return _legacy_p12(issued, password)
    from jettycfg.stores import pkcs12
    from jettycfg.stores.model import Entry, EntryKind, Store, StoreFormat

    sealing = sealing or Sealing()
    entry = Entry(
        issued.account,
        EntryKind.KEY,
        [issued.cert, *issued.chain],
        key_pkcs8=_pkcs8(issued),
    )
    store = Store(StoreFormat.PKCS12, [entry])
    return pkcs12.write(
        store, password, iterations=MODERN_ROUNDS, salt=sealing.salt, cache=sealing.cache
    )


def _legacy_p12(issued: Issued, password: str) -> bytes:
    """PBE-SHA1-3DES with a SHA-1 MAC, written by cryptography's serializer."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import pkcs12

    protection = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(LEGACY_ROUNDS)
        .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
        .hmac_hash(hashes.SHA1())
        .build(password.encode())
    )
    return pkcs12.serialize_key_and_certificates(
        issued.account.encode(), issued.key, issued.cert, list(issued.chain) or None, protection
    )


def _pkcs8(issued: Issued) -> bytes:
    return issued.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _key_pem(issued: Issued, password: str, sealing: Sealing) -> bytes:
    """``<account>.key``: PKCS#8 EncryptedPrivateKeyInfo, PBES2 (PBKDF2-HMAC-SHA256, 2048
    rounds, AES-256-CBC) - what cryptography's and OpenSSL's defaults write."""
    import base64

    alg, blob = pbe.encrypt(
        _pkcs8(issued),
        password,
        legacy=False,
        iterations=MODERN_ROUNDS,
        salt=sealing.salt[:16],
        cache=sealing.cache,
    )
    body = base64.encodebytes(asn1.seq(alg, asn1.octets(blob))).replace(b"\n", b"")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return (
        b"\n".join(
            [
                b"-----BEGIN ENCRYPTED PRIVATE KEY-----",
                *lines,
                b"-----END ENCRYPTED PRIVATE KEY-----",
            ]
        )
        + b"\n"
    )


def _pem(certs: list[x509.Certificate]) -> bytes:
    return b"".join(c.public_bytes(PEM) for c in certs)


def bundle_changes(
    issued: Issued, out_dir: Path, password: str, profile: str, sealing: Sealing | None = None
) -> list[FileChange]:
    """The bundle's files as changes (nothing written here)."""
    if not password:
        raise UsageError("the bundle password cannot be empty (Windows and browsers refuse it)")
    sealing = sealing or Sealing()
    name = issued.account
    p12 = p12_bytes(issued, password, profile, sealing)
    changes = [
        FileChange(out_dir / f"{name}.p12", None, p12, 0o600, private=True),
        FileChange(out_dir / f"{name}.crt", None, _pem([issued.cert]), 0o644),
        FileChange(
            out_dir / f"{name}.key", None, _key_pem(issued, password, sealing), 0o600, private=True
        ),
    ]
    if issued.chain:
        changes.append(FileChange(out_dir / "ca-chain.pem", None, _pem(list(issued.chain)), 0o644))
    return changes


def refuse_existing(changes: list[FileChange], force: bool) -> list[FileChange]:
    """Fill in the old contents; refuse (before anything is written) when a file exists."""
    out = []
    for change in changes:
        if os.path.lexists(change.path):  # a link to nowhere too: it would be written through
            dangling = not change.path.exists()
            old = None if dangling else fsio.read_limited(change.path, fsio.MAX_CERT_BYTES)
            # ca-chain.pem is shared by the bundles of one CA: the same chain again is kept
            same_chain = change.path.name == "ca-chain.pem" and old == change.new
            if not force and not same_chain:
                raise UsageError(f"{change.path} exists: give --force to replace it")
            out.append(
                FileChange(change.path, old, change.new, change.new_mode, private=change.private)
            )
        else:
            out.append(change)
    return out
