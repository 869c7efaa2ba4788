"""A self-signed server key and certificate for a new base (``init --generate-keystore``).

For installers who have no server certificate yet: RSA-2048, SHA-256, serverAuth, the given
host names and addresses as SubjectAltNames, valid for the given days. Clients must trust it
explicitly; replace it with a CA-issued certificate for production.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from jettycfg.errors import UsageError
from jettycfg.stores.model import Entry, EntryKind, Store, StoreFormat


def _alt_name(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        if not name or any(c.isspace() for c in name):
            raise UsageError(f"not a host name: {name!r}") from None
        return x509.DNSName(name)


def server_keystore(names: list[str], days: int, fmt: StoreFormat, alias: str = "https") -> Store:
    """A store with one key entry: a self-signed server certificate for ``names``."""
    if not names:
        raise UsageError("give at least one --hostname for the server certificate")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, True, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName([_alt_name(n) for n in names]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    pkcs8 = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return Store(fmt, [Entry(alias, EntryKind.KEY, [cert], now, key_pkcs8=pkcs8)])
