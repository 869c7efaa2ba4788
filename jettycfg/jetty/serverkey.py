"""A self-signed server key and certificate for a new base (``init --generate-keystore``).

For installers who have no server certificate yet: RSA-2048, SHA-256, serverAuth, the given
host names and addresses as SubjectAltNames, valid for the given days. Clients must trust it
explicitly; replace it with a CA-issued certificate for production.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from jettycfg.errors import UsageError
from jettycfg.fsio import FileChange
from jettycfg.stores.model import Entry, EntryKind, Store, StoreFormat

if TYPE_CHECKING:
    from jettycfg.jetty.scaffold import InitOptions


_LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")


def _alt_name(name: str) -> x509.GeneralName:
    """An IP address, or a DNS name (non-ASCII as its IDNA A-label; a leading ``*.``
    wildcard); anything else (``host:port``, ``[::1]``, empty labels) is a usage error."""
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        pass
    try:
        ascii_name = name.encode("idna").decode("ascii")
    except UnicodeError:
        raise UsageError(f"--hostname {name!r}: not a host name") from None
    labels = ascii_name.split(".")
    if labels[0] == "*" and len(labels) > 2:
        labels = labels[1:]
    if len(ascii_name) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise UsageError(f"--hostname {name!r}: not a host name")
    return x509.DNSName(ascii_name)


def server_keystore(names: list[str], days: int, fmt: StoreFormat, alias: str = "https") -> Store:
    """A store with one key entry: a self-signed server certificate for ``names``."""
    if not names:
        raise UsageError("give at least one --hostname for the server certificate")
    alt_names = [_alt_name(n) for n in names]
    if len(names[0]) > 64:
        raise UsageError(
            f"--hostname {names[0][:20]!r}...: the first host name becomes the certificate's CN, "
            "at most 64 characters; give a shorter one first"
        )
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
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    pkcs8 = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return Store(fmt, [Entry(alias, EntryKind.KEY, [cert], now, key_pkcs8=pkcs8)])


def keystore_change(options: InitOptions, hostnames: list[str], days: int) -> FileChange | None:
    """``init --generate-keystore``: the new server keystore as a file change (mode 0600), or
    None when the keystore file exists already (it is never replaced)."""
    from jettycfg.jetty.scaffold import store_type
    from jettycfg.stores import files

    path = Path(options.keystore)
    path = path if path.is_absolute() else options.base / path
    if path.exists():
        return None
    if not options.keystore_password:
        raise UsageError("--generate-keystore needs --keystore-password-env or -file")
    fmt = StoreFormat.PKCS12 if store_type(options.keystore) == "PKCS12" else StoreFormat.JKS
    names = hostnames or ([options.host] if options.host not in ("0.0.0.0", "::") else [])
    store = server_keystore(names or ["localhost"], days, fmt)
    data = files.serialize(store, fmt, options.keystore_password)
    return FileChange(path, None, data, new_mode=0o600)
