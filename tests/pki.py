"""Test PKI: mint CAs, server and client certificates and Java-readable stores at test time."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = dt.datetime.now(dt.timezone.utc)


@dataclass
class Issued:
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    def write_pem(self, folder: Path, name: str, *chain: x509.Certificate) -> tuple[Path, Path]:
        cert_path, key_path = folder / f"{name}.crt", folder / f"{name}.key"
        pem = serialization.Encoding.PEM
        cert_path.write_bytes(b"".join(c.public_bytes(pem) for c in (self.cert, *chain)))
        key_path.write_bytes(
            self.key.private_bytes(
                pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        return cert_path, key_path


def issue(
    cn: str,
    issuer: Issued | None = None,
    *,
    ca: bool = False,
    eku: list[x509.ObjectIdentifier] | None = None,
    san_ip: str | None = None,
) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.cert.subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    if san_ip:
        san = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(san_ip))]
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    signer = issuer.key if issuer else key
    return Issued(builder.sign(signer, hashes.SHA256()), key)


@dataclass
class Pki:
    ca: Issued
    server: Issued
    client: Issued
    stranger: Issued  # self-signed, in no truststore


def make_pki(ca_name: str = "Test Root CA") -> Pki:
    ca = issue(ca_name, ca=True)
    server = issue("localhost", ca, eku=[ExtendedKeyUsageOID.SERVER_AUTH], san_ip="127.0.0.1")
    client = issue("root", ca, eku=[ExtendedKeyUsageOID.CLIENT_AUTH])
    stranger = issue("stranger", eku=[ExtendedKeyUsageOID.CLIENT_AUTH])
    return Pki(ca, server, client, stranger)


def write_stores(pki: Pki, folder: Path, password: bytes) -> tuple[Path, Path]:
    """A PKCS#12 keystore (server key) and a Java truststore holding the CA."""
    folder.mkdir(parents=True, exist_ok=True)
    enc = serialization.BestAvailableEncryption(password)
    keystore, truststore = folder / "keystore.p12", folder / "truststore.p12"
    keystore.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"https", pki.server.key, pki.server.cert, [pki.ca.cert], enc
        )
    )
    truststore.write_bytes(
        pkcs12.serialize_java_truststore([pkcs12.PKCS12Certificate(pki.ca.cert, b"ca")], enc)
    )
    return keystore, truststore
