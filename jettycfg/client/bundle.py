"""The files a client needs: ``<account>.p12`` (key, leaf and the whole chain; friendlyName =
account), ``<account>.crt``, ``<account>.key`` (0600, encrypted with the bundle password) and
``ca-chain.pem``. Profiles: ``modern`` (PBES2/AES-256, HmacSHA256 MAC: Java, OpenSSL 3, current
browsers) and ``legacy`` (PBE-SHA1-3DES, SHA-1 MAC: what Windows Server 2016 and older macOS
import)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from jettycfg.client.issue import Issued
from jettycfg.errors import UsageError
from jettycfg.fsio import FileChange
from jettycfg.stores import pkcs12
from jettycfg.stores.model import Entry, EntryKind, Store, StoreFormat

PROFILES = ("modern", "legacy")
PEM = serialization.Encoding.PEM


def p12_bytes(issued: Issued, password: str, profile: str) -> bytes:
    if profile not in PROFILES:
        raise UsageError(f"--profile: modern or legacy, not {profile!r}")
    pkcs8 = issued.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    entry = Entry(
        issued.account,
        EntryKind.KEY,
        [issued.cert, *issued.chain],
        dt.datetime.now(dt.timezone.utc),
        key_pkcs8=pkcs8,
    )
    return pkcs12.write(Store(StoreFormat.PKCS12, [entry]), password, legacy=profile == "legacy")


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
            old = change.path.read_bytes()
            out.append(FileChange(change.path, old, change.new, change.new_mode))
        else:
            out.append(change)
    return out
