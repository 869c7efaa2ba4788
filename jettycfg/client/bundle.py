"""The files a client needs: ``<account>.p12`` (key, leaf and the whole chain; friendlyName =
account), ``<account>.crt``, ``<account>.key`` (0600, encrypted with the bundle password) and
``ca-chain.pem``. Profiles: ``modern`` (PBES2/AES-256, HmacSHA256 MAC: Java, OpenSSL 3, current
browsers) and ``legacy`` (PBE-SHA1-3DES, SHA-1 MAC: what Windows Server 2016 and older macOS
import)."""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from jettycfg import fsio
from jettycfg.client.issue import Issued
from jettycfg.errors import UsageError
from jettycfg.fsio import FileChange

PROFILES = ("modern", "legacy")
PEM = serialization.Encoding.PEM
# PBKDF2 / PKCS#12-KDF and MAC iterations: OpenSSL 3's default (PKCS12_DEFAULT_ITER), what
# `openssl pkcs12 -export` writes and every importer takes; the bundle password protects the
# file in transit, its strength matters more than the count.
MODERN_ROUNDS = 2048
LEGACY_ROUNDS = 2048


def p12_bytes(issued: Issued, password: str, profile: str) -> bytes:
    """The bundle: a key bag and the leaf with friendlyName = account and a localKeyId, then
    the chain (Java, NSS and Windows build the chain from these bags). Written by
    cryptography's PKCS#12 serializer (Rust: issuing 1,000 accounts stays fast); keytool, NSS
    and openssl read it in the tests."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import pkcs12

    if profile not in PROFILES:
        raise UsageError(f"--profile: modern or legacy, not {profile!r}")
    builder = serialization.PrivateFormat.PKCS12.encryption_builder()
    if profile == "legacy":
        protection = (
            builder.kdf_rounds(LEGACY_ROUNDS)
            .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
            .hmac_hash(hashes.SHA1())
            .build(password.encode())
        )
    else:
        protection = (
            builder.kdf_rounds(MODERN_ROUNDS)
            .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
            .hmac_hash(hashes.SHA256())
            .build(password.encode())
        )
    return pkcs12.serialize_key_and_certificates(
        issued.account.encode(), issued.key, issued.cert, list(issued.chain) or None, protection
    )


def _pem(certs: list[x509.Certificate]) -> bytes:
    return b"".join(c.public_bytes(PEM) for c in certs)


def bundle_changes(issued: Issued, out_dir: Path, password: str, profile: str) -> list[FileChange]:
    """The bundle's files as changes (nothing written here)."""
    if not password:
        raise UsageError("the bundle password cannot be empty (Windows and browsers refuse it)")
    key_pem = issued.key.private_bytes(
        PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password.encode()),
    )
    name = issued.account
    changes = [
        FileChange(out_dir / f"{name}.p12", None, p12_bytes(issued, password, profile), 0o600),
        FileChange(out_dir / f"{name}.crt", None, _pem([issued.cert]), 0o644),
        FileChange(out_dir / f"{name}.key", None, key_pem, 0o600),
    ]
    if issued.chain:
        changes.append(FileChange(out_dir / "ca-chain.pem", None, _pem(list(issued.chain)), 0o644))
    return changes


def refuse_existing(changes: list[FileChange], force: bool) -> list[FileChange]:
    """Fill in the old contents; refuse (before anything is written) when a file exists."""
    out = []
    for change in changes:
        if change.path.exists():
            if not force and change.path.name != "ca-chain.pem":
                raise UsageError(f"{change.path} exists: give --force to replace it")
            old = fsio.read_limited(change.path, fsio.MAX_CERT_BYTES)
            out.append(FileChange(change.path, old, change.new, change.new_mode))
        else:
            out.append(change)
    return out
