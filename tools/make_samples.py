"""Regenerate the DEMO key material under samples/ (run by hand; the output is committed).

Everything made here is demo material with a published private key: never use it in production.
Certificates are valid from 2026 to 2076 so the samples stay usable for decades.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ROOT = Path(__file__).resolve().parent.parent / "samples"
PASSWORD = b"jobscheduler"  # the password SOS uses throughout its JOC examples
START = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
END = dt.datetime(2076, 1, 1, tzinfo=dt.timezone.utc)


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "jettycfg DEMO - not for production"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _cert(
    subject: str,
    key: rsa.RSAPrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: rsa.RSAPrivateKey,
    *,
    ca: bool,
    eku: list[x509.ObjectIdentifier],
    san: list[x509.GeneralName] | None = None,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer.subject if issuer else _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(START)
        .not_valid_after(END)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    usage = dict.fromkeys(
        [
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ],
        False,
    )
    if ca:
        usage.update(key_cert_sign=True, crl_sign=True)
    else:
        usage.update(digital_signature=True, key_encipherment=True)
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    builder = builder.add_extension(x509.KeyUsage(**usage), critical=True)
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(path: Path, *certs: x509.Certificate) -> None:
    path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))


def main() -> None:
    ca_key = _key()
    ca = _cert("jettycfg DEMO Root CA", ca_key, None, ca_key, ca=True, eku=[])
    server_key = _key()
    server = _cert(
        "localhost",
        server_key,
        ca,
        ca_key,
        ca=False,
        eku=[ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH],
        san=[x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))],
    )
    enc = serialization.BestAvailableEncryption(PASSWORD)
    keystore = pkcs12.serialize_key_and_certificates(b"https", server_key, server, [ca], enc)
    truststore = pkcs12.serialize_java_truststore(
        [pkcs12.PKCS12Certificate(ca, b"jettycfg demo root ca")], enc
    )
    for base in ("joc-2.4/jetty_base", "joc-2.7/jetty_base"):
        folder = ROOT / base / "resources" / "joc"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "https-keystore.p12").write_bytes(keystore)
        (folder / "https-truststore.p12").write_bytes(truststore)
    clients = ROOT / "clients"
    clients.mkdir(exist_ok=True)
    _pem(clients / "demo-ca.crt", ca)
    for account in ("root", "demo-operator"):
        key = _key()
        cert = _cert(account, key, ca, ca_key, ca=False, eku=[ExtendedKeyUsageOID.CLIENT_AUTH])
        _pem(clients / f"{account}.crt", cert, ca)
        (clients / f"{account}.key").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )


if __name__ == "__main__":
    main()
