"""Client certificates for JOC accounts: subject ``CN=<account>`` exactly, clientAuth, and the
key families JOC documents (RSA >= 2048, ECDSA P-256 / P-384)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from jettycfg.errors import UsageError

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
KEY_TYPES = ("rsa2048", "rsa3072", "rsa4096", "ec256", "ec384")
_FORBIDDEN = re.compile(r'[,+=;"<>\\#\x00-\x1f\x7f]')


def check_account(name: str, writes_cn: bool = True) -> str:
    """An account name JOC and Connect-JS7 can use as a CN: refused with the reason otherwise
    (Connect-JS7 splits the subject on commas; `+`/`=` make multi-valued or broken RDNs)."""
    if not name:
        raise UsageError("an account name cannot be empty")
    if name != name.strip():
        raise UsageError(
            f"account {name.strip()!r}: leading or trailing blanks (JOC matches exactly)"
        )
    bad = _FORBIDDEN.search(name)
    if bad:
        shown = repr(bad.group(0))
        raise UsageError(
            f"account {name!r}: the character {shown} breaks the subject "
            "(JOC and Connect-JS7 split it on commas); choose another account name"
        )
    odd = next((c for c in name if not c.isprintable()), None)
    if odd is not None:  # a line or paragraph separator, a C1 control, ...: not on one line
        raise UsageError(
            f"account {name!r}: the character {odd!r} does not print on one line; choose "
            "another account name"
        )
    if len(name) > 64 or (writes_cn and len(name.encode("utf-8")) > 64):
        limit = "64 bytes in UTF-8 (the CN's limit as cryptography writes it)"
        raise UsageError(
            f"account {name[:20]!r}...: longer than {limit if writes_cn else '64 characters'}"
        )
    unsafe = _NOT_IN_FILE_NAMES.search(name)
    if unsafe or name in (".", ".."):
        what = f"the character {unsafe.group(0)!r}" if unsafe else "this name"
        raise UsageError(
            f"account {name!r}: {what} cannot be part of the bundle's file names (NAME.p12, "
            "NAME.crt, NAME.key; Windows too); choose another account name"
        )
    return name


# a path separator, or a character Windows refuses in file names (":" names a data stream)
_NOT_IN_FILE_NAMES = re.compile(r"[/:*?|]")


def new_key(kind: str) -> PrivateKey:
    if kind == "ec256":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "ec384":
        return ec.generate_private_key(ec.SECP384R1())
    if kind in ("rsa2048", "rsa3072", "rsa4096"):
        return rsa.generate_private_key(public_exponent=65537, key_size=int(kind[3:]))
    raise UsageError(f"key type {kind!r}: one of {', '.join(KEY_TYPES)}")


def _hash_for(key: PrivateKey) -> hashes.SHA256 | hashes.SHA384:
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.key_size >= 384:
        return hashes.SHA384()
    return hashes.SHA256()


@dataclass(frozen=True)
class Authority:
    """An issuing CA: its key, its certificate and the chain above it (up to the root)."""

    key: PrivateKey
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()


@dataclass(frozen=True)
class Issued:
    account: str
    key: PrivateKey
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...] = field(default_factory=tuple)  # issuer upwards

    @property
    def self_signed(self) -> bool:
        return not self.chain


def subject_for(account: str, extra: list[tuple[x509.ObjectIdentifier, str]]) -> x509.Name:
    """``CN=<account>`` as the first RDN in DER order (the one JOC reads), then ``extra``."""
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, check_account(account))]
    attrs += [x509.NameAttribute(oid, value) for oid, value in extra]
    return x509.Name(attrs)


def _issuer_ski(ca: Authority | None, own: x509.SubjectKeyIdentifier) -> x509.SubjectKeyIdentifier:
    """The key identifier the new certificate's AKI must carry: the CA's own SKI as written in
    it (Java does not chain a certificate whose AKI differs from its issuer's SKI - a CA with
    an explicit or truncated-SHA-256 SKI), else the SHA-1 of the CA's key; self-signed: its own."""
    if ca is None:
        return own
    try:
        return ca.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    except x509.ExtensionNotFound:
        return x509.SubjectKeyIdentifier.from_public_key(ca.cert.public_key())


def issue(
    account: str,
    ca: Authority | None,
    *,
    key_type: str = "ec256",
    days: int = 730,
    extra_rdns: list[tuple[x509.ObjectIdentifier, str]] | None = None,
    now: dt.datetime | None = None,
    key: PrivateKey | None = None,
) -> Issued:
    """A client certificate for ``account``, signed by ``ca`` (None: self-signed)."""
    if days < 1:
        raise UsageError("--days must be at least 1")
    key = key or new_key(key_type)
    subject = subject_for(account, extra_rdns or [])
    start = (now or dt.datetime.now(dt.timezone.utc)) - dt.timedelta(minutes=5)
    rsa_key = isinstance(key, rsa.RSAPrivateKey)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    issuer_name = ca.cert.subject if ca else subject
    aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(_issuer_ski(ca, ski))
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, rsa_key, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(ski, critical=False)
        .add_extension(aki, critical=False)
    )
    signer = ca.key if ca else key
    cert = builder.sign(signer, _hash_for(signer))
    return Issued(account, key, cert, (ca.cert, *ca.chain) if ca else ())


def csr(
    account: str, key: PrivateKey, extra_rdns: list[tuple[x509.ObjectIdentifier, str]]
) -> bytes:
    """A PKCS#10 request (PEM) for ``account``, asking for clientAuth."""
    request = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(subject_for(account, extra_rdns))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(key, _hash_for(key))
    )
    return request.public_bytes(serialization.Encoding.PEM)


def read_accounts_for_issue(names: list[str], file: Path | None) -> list[str]:
    """--account names plus an accounts file (the formats lint accepts), in order, once each."""
    from jettycfg.lint.inputs import read_accounts

    from_file = sorted(read_accounts([], file) or set()) if file is not None else []
    if file is not None and not from_file:
        raise UsageError(f"--accounts-file {file}: no account in it (one per line, # comments)")
    ordered = list(dict.fromkeys([*names, *from_file]))
    if not ordered:
        raise UsageError("give --account NAME (repeatable) or --accounts-file FILE")
    return [check_account(a) for a in ordered]
