"""Private keys for the client commands: read from PEM (RSA or EC only), matched to a
certificate."""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from jettycfg.errors import PasswordError, UsageError

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def load_pem_key(pem: bytes, password: str | None, where: Path, option: str) -> PrivateKey:
    """An RSA or EC key from PEM; ``option`` names the password option in the messages."""
    try:
        key = serialization.load_pem_private_key(pem, password.encode() if password else None)
    except TypeError:
        raise PasswordError(f"{where}: the key is encrypted: give {option}…") from None
    except ValueError:
        raise PasswordError(f"{where}: cannot read the key (wrong {option}, or not PEM)") from None
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise UsageError(f"{where}: an RSA or EC key is needed")
    return key


def belongs_to(key: PrivateKey, cert: x509.Certificate) -> bool:
    """Whether ``key`` is the private half of ``cert``'s public key."""
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    return key.public_key().public_bytes(der, spki) == cert.public_key().public_bytes(der, spki)
