"""The issuing CA for `client issue`: PEM (certificate and key, in one file or two) or PKCS#12,
checked before anything is issued (a CA certificate, and the key that belongs to it)."""

from __future__ import annotations

import re
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from jettycfg.client.issue import Authority, PrivateKey
from jettycfg.client.keys import belongs_to, load_pem_key
from jettycfg.errors import JettycfgError, PasswordError, UsageError

_KEY_PEM = re.compile(
    rb"-----BEGIN ((?:ENCRYPTED |RSA |EC )?PRIVATE KEY)-----.+?-----END \1-----", re.S
)


def _read(path: Path) -> bytes:
    from jettycfg import fsio

    try:
        return fsio.read_limited(path, fsio.MAX_CERT_BYTES)
    except fsio.InputFileError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None


def _key_from_pem(data: bytes, password: str | None, where: Path) -> PrivateKey | None:
    match = _KEY_PEM.search(data)
    if match is None:
        return None
    return load_pem_key(match.group(0), password, where, "--ca-pass")


def _from_pkcs12(path: Path, data: bytes, password: str | None) -> Authority:
    from jettycfg.stores import files
    from jettycfg.stores.model import EntryKind

    try:
        store = files.load(path, password or "", decrypt_keys=True, data=data)
    except JettycfgError as exc:
        raise PasswordError(f"cannot open the CA bundle: {exc}") from None
    keys = [e for e in store.entries if e.kind is EntryKind.KEY and e.key_pkcs8]
    if not keys:
        raise UsageError(f"{path}: no private key in this PKCS#12 file (a CA needs its key)")
    entry = keys[0]
    assert entry.key_pkcs8 is not None
    key = serialization.load_der_private_key(entry.key_pkcs8, None)
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise UsageError(f"{path}: the CA key must be RSA or EC")
    return Authority(key, entry.certs[0], tuple(entry.certs[1:]))


def load_authority(ca: Path, ca_key: Path | None = None, password: str | None = None) -> Authority:
    """Read and check the issuing CA."""
    data = _read(ca)
    if b"-----BEGIN" not in data:
        authority = _from_pkcs12(ca, data, password)
    else:
        try:
            certs = x509.load_pem_x509_certificates(data)
        except ValueError:
            raise UsageError(f"{ca}: no readable certificate in this PEM file") from None
        key = _key_from_pem(_read(ca_key) if ca_key else data, password, ca_key or ca)
        if key is None:
            raise UsageError(f"{ca}: no private key (give it in the same file or with --ca-key)")
        authority = Authority(key, certs[0], tuple(certs[1:]))
    _check(authority, ca)
    return authority


def _check(authority: Authority, where: Path) -> None:
    cert = authority.cert
    try:
        bc = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        bc = None
    if bc is None or not bc.ca:
        raise UsageError(
            f"{where}: {cert.subject.rfc4514_string()} is not a CA certificate "
            "(no BasicConstraints CA:TRUE): Java would reject every certificate it issues"
        )
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        if not ku.key_cert_sign:
            raise UsageError(f"{where}: the CA certificate's KeyUsage lacks keyCertSign")
    except x509.ExtensionNotFound:
        pass
    if not belongs_to(authority.key, cert):
        raise UsageError(f"{where}: the key does not belong to the CA certificate")
