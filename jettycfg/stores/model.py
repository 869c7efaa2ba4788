"""One store model for every format: entries with alias, kind, certificates and creation date.

Private keys are carried as PKCS#8 DER (decrypted) or as the format's own protected blob, so
listing never needs a key password and rewriting a file keeps keys it could not decrypt.
"""

from __future__ import annotations

import datetime as dt
import enum
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography import x509


def load_cert(der: bytes) -> x509.Certificate:
    """One DER certificate for a store entry. cryptography parses fields lazily, so a
    certificate with a field it refuses still loads here (listing shows its fingerprint);
    one it cannot load at all is a StoreError. Its warnings (negative serial...) are notes
    for `store list`/lint, not stderr noise."""
    from cryptography import x509 as _x509

    from jettycfg.certs import load_der
    from jettycfg.errors import StoreError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return load_der(der)
        except (ValueError, TypeError, _x509.InvalidVersion) as exc:
            first = (str(exc).splitlines() or [""])[0][:120]
            raise StoreError(
                f"a certificate cannot be parsed ({type(exc).__name__}: {first!a})"
            ) from exc


def name_key(cert: x509.Certificate, which: str = "subject") -> bytes:
    """DER of the subject/issuer name, or a key no other name has when it cannot be parsed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return bytes(getattr(cert, which).public_bytes())
        except (ValueError, TypeError):
            return b"?" + str(id(cert)).encode() + which.encode()


class StoreFormat(enum.Enum):
    JKS = "JKS"
    JCEKS = "JCEKS"
    PKCS12 = "PKCS12"
    PEM = "PEM"
    DER = "DER"

    @property
    def writable(self) -> bool:
        return self in (StoreFormat.JKS, StoreFormat.PKCS12)


class EntryKind(enum.Enum):
    TRUSTED = "trusted-certificate"
    KEY = "private-key"
    IGNORED = "certificate-java-ignores"  # PKCS#12 bag without Java's trusted-key-usage attribute
    SECRET = "secret-key"  # PKCS#12 SecretBag; listed, never written


@dataclass
class Entry:
    alias: str
    kind: EntryKind
    certs: list[x509.Certificate]  # the chain for KEY (leaf first); one certificate otherwise
    created: dt.datetime | None = None
    key_pkcs8: bytes | None = None  # decrypted private key (PKCS#8 DER)
    protected_key: bytes | None = None  # the source format's protected key, as read
    protected_format: StoreFormat | None = None

    @property
    def java_trusted(self) -> bool:
        """A trusted-certificate entry, as Java's KeyStore reports it."""
        return self.kind is EntryKind.TRUSTED

    @property
    def anchor(self) -> bool:
        """Whether Java's default trust manager makes its (first) certificate a trust anchor."""
        return self.kind in (EntryKind.TRUSTED, EntryKind.KEY)

    @property
    def cert(self) -> x509.Certificate | None:
        return self.certs[0] if self.certs else None


@dataclass(frozen=True)
class Protection:
    """How a file is protected, as read: shown by `store list`, kept on rewrite."""

    cert_encryption: str | None = None  # e.g. "PBES2/PBKDF2-HmacSHA256/AES-256-CBC, 10000 it."
    key_encryption: str | None = None
    integrity: str | None = None  # e.g. "HmacPBESHA256, 10000 iterations" or "SHA-1 (JKS)"
    legacy: bool = False  # readable by Java 8 < 8u301 and 11 < 11.0.12


@dataclass
class Store:
    format: StoreFormat
    entries: list[Entry] = field(default_factory=list)
    protection: Protection = field(default_factory=Protection)
    path: Path | None = None
    notes: list[str] = field(default_factory=list)  # what Java would do differently, etc.

    def find(self, alias: str) -> Entry | None:
        lower = alias.lower()
        return next((e for e in self.entries if e.alias.lower() == lower), None)

    def aliases(self) -> set[str]:
        return {e.alias.lower() for e in self.entries}

    def unique_alias(self, wanted: str, taken: set[str] | None = None) -> str:
        """``wanted`` lower-cased, or with ``-2``, ``-3``...; ``taken`` (kept up to date by the
        caller) avoids rebuilding the alias set for every entry of a large store."""
        used = taken if taken is not None else self.aliases()
        base = wanted.lower() or "cert"
        alias, n = base, 2
        while alias in used:
            alias = f"{base}-{n}"
            n += 1
        if taken is not None:
            taken.add(alias)
        return alias
