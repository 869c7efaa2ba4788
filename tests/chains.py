"""Mint the client-certificate chains of the real-Jetty oracle: one kind per Java rule.

Each kind is a chain as the client sends it (leaf first) plus the leaf's private key.
Certificates Java must judge by odd rules (MD5 signatures, RSA-512 keys, issuer names that
differ only in case) are made at the DER level where cryptography refuses to make them.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import ipaddress
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from jettycfg.stores import asn1

NOW = dt.datetime.now(dt.timezone.utc)
DAY = dt.timedelta(days=1)
KU_ALL_OFF = dict.fromkeys(
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

Key = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey | dsa.DSAPrivateKey


@dataclass
class CA:
    cert: x509.Certificate
    key: Key


@dataclass
class Kind:
    name: str
    chain: list[x509.Certificate]
    key: Key
    tls12: bool = False  # the client must use TLS 1.2 (RSA-512 cannot sign RSA-PSS)

    def write(self, folder: Path) -> tuple[Path, Path]:
        pem = serialization.Encoding.PEM
        cert = folder / f"{self.name}.crt"
        key = folder / f"{self.name}.key"
        cert.write_bytes(b"".join(c.public_bytes(pem) for c in self.chain))
        key.write_bytes(
            self.key.private_bytes(
                pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        return cert, key


def name(cn: str | None, org: str | None = None) -> x509.Name:
    attrs = []
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    if cn is not None:
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def rsa_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    if bits >= 1024:
        return rsa.generate_private_key(65537, bits)
    pem = subprocess.run(["openssl", "genrsa", str(bits)], capture_output=True, check=True).stdout
    key = serialization.load_pem_private_key(pem, None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def _hash_for(key: Key) -> hashes.HashAlgorithm | None:
    return None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()


def make(
    subject: x509.Name,
    key: Key,
    issuer: CA | None,
    *,
    ca: bool = False,
    path_length: int | None = None,
    bc: bool = True,
    ku: dict[str, bool] | None = None,
    eku: list[x509.ObjectIdentifier] | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    extra: list[tuple[x509.ExtensionType, bool]] | None = None,
    issuer_name: x509.Name | None = None,
    signer: Key | None = None,
    digest: hashes.HashAlgorithm | None = None,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name or (issuer.cert.subject if issuer else subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start or NOW - DAY)
        .not_valid_after(end or NOW + 365 * DAY)
    )
    if bc:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=ca, path_length=path_length), critical=True
        )
    if ku is not None:
        builder = builder.add_extension(x509.KeyUsage(**{**KU_ALL_OFF, **ku}), critical=True)
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    for ext, critical in extra or []:
        builder = builder.add_extension(ext, critical=critical)
    sign_key = signer or (issuer.key if issuer else key)
    return builder.sign(sign_key, digest if digest is not None else _hash_for(sign_key))


def client_file(
    folder: Path, cn: str, issuer: CA, chain: list[x509.Certificate], *, expired: bool = False
) -> Path:
    """A client's PEM file (its certificate, then ``chain``): clientAuth, valid from ten days
    ago until a year on - or until yesterday (``expired``)."""
    key = ec_key()
    end = NOW - DAY if expired else None
    cert = make(name(cn), key, issuer, eku=CLIENT, end=end, start=NOW - 10 * DAY)
    return Kind(cn.replace("/", "_")[:40], [cert, *chain], key).write(folder)[0]


def resign_rsa(cert: x509.Certificate, key: rsa.RSAPrivateKey, algorithm: str) -> x509.Certificate:
    """Re-sign ``cert`` with MD5 or SHA-1 + RSA at the DER level (cryptography refuses MD5)."""
    oids = {"md5": "1.2.840.113549.1.1.4", "sha1": "1.2.840.113549.1.1.5"}
    digest_info = {
        "md5": bytes.fromhex("3020300c06082a864886f70d020505000410"),
        "sha1": bytes.fromhex("3021300906052b0e03021a05000414"),
    }
    sha256_alg = asn1.seq(asn1.oid("1.2.840.113549.1.1.11"), asn1.null())
    new_alg = asn1.seq(asn1.oid(oids[algorithm]), asn1.null())
    tbs = cert.tbs_certificate_bytes.replace(sha256_alg, new_alg, 1)
    digest = hashlib.new(algorithm, tbs).digest()
    n = key.private_numbers().public_numbers.n
    d = key.private_numbers().d
    k = (n.bit_length() + 7) // 8
    block = digest_info[algorithm] + digest
    padded = b"\x00\x01" + b"\xff" * (k - len(block) - 3) + b"\x00" + block
    signature = pow(int.from_bytes(padded, "big"), d, n).to_bytes(k, "big")
    der = asn1.seq(tbs, new_alg, asn1.tlv(0x03, b"\x00" + signature))
    return x509.load_der_x509_certificate(der)


CLIENT = [ExtendedKeyUsageOID.CLIENT_AUTH]
SERVER = [ExtendedKeyUsageOID.SERVER_AUTH]
LEAF_KU = {"digital_signature": True}
CA_KU = {"key_cert_sign": True, "crl_sign": True}


def new_ca(cn: str, issuer: CA | None = None, *, key: Key | None = None, **kw: object) -> CA:
    key = key or ec_key()
    kw.setdefault("ku", CA_KU)
    return CA(make(name(cn), key, issuer, ca=True, **kw), key)  # type: ignore[arg-type]


@dataclass
class Matrix:
    root: CA
    inter: CA
    expired_root: CA
    no_bc_root: CA
    pinned: list[x509.Certificate] = field(default_factory=list)
    kinds: list[Kind] = field(default_factory=list)
    extra_anchors: list[x509.Certificate] = field(default_factory=list)

    def truststore_certs(self) -> list[x509.Certificate]:
        return [
            self.root.cert,
            self.expired_root.cert,
            self.no_bc_root.cert,
            *self.pinned,
            *self.extra_anchors,
        ]


def add_leaf(
    m: Matrix,
    kind: str,
    issuer: CA | None = None,
    *,
    key: Key | None = None,
    chain: list[CA] | list[x509.Certificate] | None = None,
    **kw: object,
) -> Kind:
    """A clientAuth leaf named ``kind`` under ``issuer`` (default: the root), sent with
    ``chain``; ``kw`` goes to :func:`make` and overrides the defaults."""
    key = key or ec_key()
    kw.setdefault("eku", CLIENT)
    kw.setdefault("ku", LEAF_KU)
    cert = make(name(kind), key, issuer or m.root, **kw)  # type: ignore[arg-type]
    sent = [c.cert if isinstance(c, CA) else c for c in (chain or [])]
    k = Kind(kind, [cert, *sent], key)
    m.kinds.append(k)
    return k


def build() -> Matrix:
    root = new_ca("Oracle Root CA", key=rsa_key())
    inter = new_ca("Oracle Intermediate CA", root)
    expired_root = new_ca("Oracle Expired Root", start=NOW - 400 * DAY, end=NOW - 30 * DAY)
    no_bc_key = ec_key()
    no_bc_root = CA(
        make(name("Oracle Root without BasicConstraints"), no_bc_key, None, bc=False, ku=CA_KU),
        no_bc_key,
    )
    m = Matrix(root, inter, expired_root, no_bc_root)
    kinds = m.kinds

    leaf = functools.partial(add_leaf, m)

    leaf("ok")
    leaf("no-eku", eku=None)
    leaf("no-ku-no-eku", eku=None, ku=None)
    leaf("eku-any", eku=[x509.ObjectIdentifier("2.5.29.37.0")])
    leaf("eku-server-client", eku=SERVER + CLIENT)
    leaf("eku-server-only", eku=SERVER)
    leaf("ku-keyencipherment-only", ku={"key_encipherment": True})
    leaf("ku-nonrepudiation-only", ku={"content_commitment": True})
    leaf("leaf-ca-true", ca=True)
    k = Kind(
        "no-cn",
        [make(name(None, "No CN Org"), (key := ec_key()), root, eku=CLIENT, ku=LEAF_KU)],
        key,
    )
    kinds.append(k)
    assert isinstance(root.key, rsa.RSAPrivateKey)
    sha1 = leaf("sha1-signature")
    sha1.chain[0] = resign_rsa(sha1.chain[0], root.key, "sha1")
    k = leaf("rsa-1024", key=rsa_key(1024))
    k = leaf("rsa-512", key=rsa_key(512))
    k.tls12 = True
    md5 = leaf("md5-signature")
    md5.chain[0] = resign_rsa(md5.chain[0], root.key, "md5")
    leaf("p256-under-rsa-root")
    leaf("ed25519", key=ed25519.Ed25519PrivateKey.generate())
    leaf("expired", start=NOW - 100 * DAY, end=NOW - DAY)
    leaf("not-yet-valid", start=NOW + 10 * DAY, end=NOW + 400 * DAY)
    other = new_ca("Oracle Unknown CA")
    leaf("unknown-issuer", other)
    leaf("unknown-root-sent", other, chain=[other])
    leaf("intermediate-sent", inter, chain=[inter])
    leaf("intermediate-missing", inter)
    not_ca_key = ec_key()
    not_ca = CA(make(name("Oracle Not A CA"), not_ca_key, root, ca=False, ku=CA_KU), not_ca_key)
    leaf("issuer-not-ca", not_ca, chain=[not_ca])
    i0 = new_ca("Oracle PathLen 0 CA", root, path_length=0)
    i1 = new_ca("Oracle Below PathLen CA", i0)
    leaf("pathlen-violated", i1, chain=[i1, i0])
    unknown_ext = x509.UnrecognizedExtension(
        x509.ObjectIdentifier("1.3.6.1.4.1.55555.1"), b"\x05\x00"
    )
    leaf("unknown-critical-extension", extra=[(unknown_ext, True)])
    leaf("forged-signature", issuer_name=root.cert.subject, signer=ec_key())
    self_key = ec_key()
    pinned = Kind(
        "self-signed-pinned",
        [make(name("self-signed-pinned"), self_key, None, eku=CLIENT, ku=LEAF_KU)],
        self_key,
    )
    kinds.append(pinned)
    m.pinned.append(pinned.chain[0])
    stranger_key = ec_key()
    kinds.append(
        Kind(
            "self-signed-untrusted",
            [make(name("self-signed-untrusted"), stranger_key, None, eku=CLIENT, ku=LEAF_KU)],
            stranger_key,
        )
    )
    leaf("under-expired-anchor", expired_root, start=NOW - 40 * DAY, end=NOW + 40 * DAY)
    old_inter = new_ca(
        "Oracle Expired Intermediate", root, start=NOW - 400 * DAY, end=NOW - 2 * DAY
    )
    leaf("expired-intermediate", old_inter, chain=[old_inter], start=NOW - 100 * DAY)
    no_kcs = new_ca("Oracle CA without keyCertSign", root, ku={"digital_signature": True})
    leaf("intermediate-without-keycertsign", no_kcs, chain=[no_kcs])
    aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(root.key.public_key())  # type: ignore[arg-type]
    leaf("critical-aki", extra=[(aki, True)])
    ns_client = x509.UnrecognizedExtension(
        x509.ObjectIdentifier("2.16.840.1.113730.1.1"), b"\x03\x02\x07\x80"
    )
    ns_server = x509.UnrecognizedExtension(
        x509.ObjectIdentifier("2.16.840.1.113730.1.1"), b"\x03\x02\x06\x40"
    )
    leaf("netscape-ssl-client", extra=[(ns_client, False)])
    leaf("netscape-ssl-server-only", extra=[(ns_server, False)])
    ia = new_ca("Oracle Chain A", root)
    ib = new_ca("Oracle Chain B", ia)
    leaf("misordered-intermediates", ib, chain=[ia, ib])
    leaf("extra-unrelated-ca-sent", inter, chain=[inter, other])
    deep = [root]
    for i in range(8):
        deep.append(new_ca(f"Oracle Deep {i}", deep[-1]))
    leaf("nine-certificates", deep[-1], chain=list(reversed(deep[1:])))
    constrained = new_ca(
        "Oracle Constrained CA",
        root,
        extra=[
            (
                x509.NameConstraints(
                    permitted_subtrees=[x509.DirectoryName(name(None, "Permitted Org"))],
                    excluded_subtrees=None,
                ),
                True,
            )
        ],
    )
    key_in = ec_key()
    kinds.append(
        Kind(
            "name-constraints-inside",
            [
                make(name("inside", "Permitted Org"), key_in, constrained, eku=CLIENT, ku=LEAF_KU),
                constrained.cert,
            ],
            key_in,
        )
    )
    leaf("name-constraints-outside", constrained, chain=[constrained])
    leaf("under-anchor-without-bc", no_bc_root)
    san = x509.SubjectAlternativeName([x509.DNSName("client.example")])
    key_es = ec_key()
    kinds.append(
        Kind(
            "empty-subject-critical-san",
            [make(x509.Name([]), key_es, root, eku=CLIENT, ku=LEAF_KU, extra=[(san, True)])],
            key_es,
        )
    )
    odd_issuer = x509.Name(
        [
            x509.NameAttribute(
                NameOID.COMMON_NAME, "ORACLE   root ca", _type=_ASN1Type.PrintableString
            )
        ]
    )
    leaf("issuer-name-case-and-spacing", issuer_name=odd_issuer)
    pinned_server = Kind(
        "pinned-expired-serverauth",
        [
            make(
                name("pinned-expired-serverauth"),
                (ps_key := ec_key()),
                None,
                eku=SERVER,
                ku=LEAF_KU,
                start=NOW - 100 * DAY,
                end=NOW - DAY,
            )
        ],
        ps_key,
    )
    kinds.append(pinned_server)
    m.pinned.append(pinned_server.chain[0])
    # JOC's login stage: Jetty accepts a pinned expired leaf, JOC then refuses it (JC465)
    pinned_client = Kind(
        "pinned-expired-clientauth",
        [
            make(
                name("pinned-expired-clientauth"),
                (pc_key := ec_key()),
                None,
                eku=CLIENT,
                ku=LEAF_KU,
                start=NOW - 100 * DAY,
                end=NOW - DAY,
            )
        ],
        pc_key,
    )
    kinds.append(pinned_client)
    m.pinned.append(pinned_client.chain[0])
    ip_san = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    leaf("san-ip-127.0.0.1", extra=[(ip_san, False)])
    add_more(m)
    add_third(m)
    return m


def add_more(m: Matrix) -> None:
    """Second batch: algorithm variants, anchors inside sent chains, caps, odd extensions."""
    from cryptography.hazmat.primitives.asymmetric import padding

    root, inter, kinds = m.root, m.inter, m.kinds

    leaf = functools.partial(add_leaf, m)

    pss = leaf("rsa-pss-signature", key=rsa_key())
    assert isinstance(root.key, rsa.RSAPrivateKey)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name("rsa-pss-signature"))
        .issuer_name(root.cert.subject)
        .public_key(pss.key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - DAY)
        .not_valid_after(NOW + 300 * DAY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    )
    pss.chain[0] = builder.sign(
        root.key,
        hashes.SHA256(),
        rsa_padding=padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
    )
    leaf("ec-p384", key=ec.generate_private_key(ec.SECP384R1()))
    leaf("ec-p521", key=ec.generate_private_key(ec.SECP521R1()))
    leaf("ec-secp256k1", key=ec.generate_private_key(ec.SECP256K1()))
    sha1_inter = new_ca("Oracle SHA-1 Intermediate", root, key=rsa_key())
    sha1_inter.cert = resign_rsa(sha1_inter.cert, root.key, "sha1")  # type: ignore[arg-type]
    leaf("sha1-intermediate", sha1_inter, chain=[sha1_inter.cert])
    server_only = new_ca("Oracle serverAuth-only Intermediate", root, eku=SERVER)
    leaf("intermediate-with-serverauth-eku", server_only, chain=[server_only.cert])
    leaf(
        "ku-keycertsign-and-digitalsignature", ku={"digital_signature": True, "key_cert_sign": True}
    )
    leaf("ku-keyagreement-only", ku={"key_agreement": True})
    leaf("root-sent-too", inter, chain=[inter.cert, root.cert])
    leaf("duplicate-intermediate-sent", inter, chain=[inter.cert, inter.cert])
    leaf(
        "expired-pinned-untrusted-ca",
        new_ca("Oracle Pinned-Only CA"),
        start=NOW - 50 * DAY,
        end=NOW - 2 * DAY,
    )
    m.pinned.append(kinds[-1].chain[0])
    eleven = [root]
    for i in range(10):
        eleven.append(new_ca(f"Oracle Eleven {i}", eleven[-1]))
    leaf("eleven-certificates", eleven[-1], chain=[c.cert for c in reversed(eleven[1:])])
    six = [root]
    for i in range(6):
        six.append(new_ca(f"Oracle Six {i}", six[-1]))
    scrambled = [c.cert for c in six[1:]]  # root-side first: not in order
    leaf("six-intermediates-misordered", six[-1], chain=scrambled)
    dns_nc = new_ca(
        "Oracle DNS-Constrained CA",
        root,
        extra=[
            (
                x509.NameConstraints(
                    permitted_subtrees=[x509.DNSName("example.com")], excluded_subtrees=None
                ),
                True,
            )
        ],
    )
    leaf(
        "dns-constraint-outside",
        dns_nc,
        chain=[dns_nc.cert],
        extra=[(x509.SubjectAlternativeName([x509.DNSName("client.example.org")]), False)],
    )
    leaf(
        "dns-constraint-inside",
        dns_nc,
        chain=[dns_nc.cert],
        extra=[(x509.SubjectAlternativeName([x509.DNSName("client.example.com")]), False)],
    )
    ski_key = ec_key()
    leaf(
        "critical-ski",
        key=ski_key,
        extra=[(x509.SubjectKeyIdentifier.from_public_key(ski_key.public_key()), True)],
    )
    leaf(
        "unknown-noncritical-extension",
        extra=[
            (
                x509.UnrecognizedExtension(
                    x509.ObjectIdentifier("1.3.6.1.4.1.55555.2"), b"\x05\x00"
                ),
                False,
            )
        ],
    )
    leaf("critical-eku-clientauth", eku=None, extra=[(x509.ExtendedKeyUsage(CLIENT), True)])
    kcs_off_key = ec_key()
    kcs_off_root = CA(
        make(
            name("Oracle Root KU without keyCertSign"),
            kcs_off_key,
            None,
            ca=True,
            ku={"crl_sign": True, "digital_signature": True},
        ),
        kcs_off_key,
    )
    m.extra_anchors.append(kcs_off_root.cert)
    leaf("under-anchor-without-keycertsign", kcs_off_root)


def resign(tbs: bytes, key: Key) -> x509.Certificate:
    """A certificate from a (modified) TBSCertificate, signed with SHA-256 by ``key``."""
    from cryptography.hazmat.primitives.asymmetric import padding

    if isinstance(key, rsa.RSAPrivateKey):
        alg = asn1.seq(asn1.oid("1.2.840.113549.1.1.11"), asn1.null())
        signature = key.sign(tbs, padding.PKCS1v15(), hashes.SHA256())
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        alg = asn1.seq(asn1.oid("1.2.840.10045.4.3.2"))
        signature = key.sign(tbs, ec.ECDSA(hashes.SHA256()))
    else:
        raise TypeError("RSA or EC issuer keys only")
    return x509.load_der_x509_certificate(asn1.seq(tbs, alg, asn1.tlv(0x03, b"\x00" + signature)))


def version1(cert: x509.Certificate, issuer_key: Key) -> x509.Certificate:
    """The same certificate as X.509 v1: no version field, no extensions, re-signed."""
    parts = asn1.parse(cert.tbs_certificate_bytes).children()
    kept = [p.raw for p in parts if p.tag not in (0xA0, 0xA3)]
    return resign(asn1.seq(*kept), issuer_key)


def add_third(m: Matrix) -> None:
    """Third batch: v1 certificates, anchors whose own constraints Java ignores, re-issued
    pinned certificates, CA details Java does not check."""
    root, kinds = m.root, m.kinds

    leaf = functools.partial(add_leaf, m)

    v1_key = rsa_key()
    v1_root = CA(version1(make(name("Oracle v1 Root"), v1_key, None, ca=True), v1_key), v1_key)
    m.extra_anchors.append(v1_root.cert)
    leaf("under-v1-anchor", v1_root)
    v1_leaf = leaf("v1-leaf")
    v1_leaf.chain[0] = version1(v1_leaf.chain[0], root.key)
    v1_inter_key = ec_key()
    v1_inter = CA(
        version1(make(name("Oracle v1 Intermediate"), v1_inter_key, root, ca=True), root.key),
        v1_inter_key,
    )
    leaf("under-v1-intermediate", v1_inter, chain=[v1_inter.cert])
    nc_root = new_ca(
        "Oracle Name-Constrained Root",
        extra=[
            (
                x509.NameConstraints(
                    permitted_subtrees=[x509.DirectoryName(name(None, "Only This Org"))],
                    excluded_subtrees=None,
                ),
                True,
            )
        ],
    )
    m.extra_anchors.append(nc_root.cert)
    leaf("outside-anchor-name-constraints", nc_root)
    pl_root = new_ca("Oracle PathLen-0 Root", path_length=0)
    m.extra_anchors.append(pl_root.cert)
    below = new_ca("Oracle Below PathLen-0 Root", pl_root)
    leaf("anchor-pathlen-ignored", below, chain=[below.cert])
    no_ku = new_ca("Oracle Intermediate without KeyUsage", root, ku=None)
    leaf("intermediate-without-keyusage", no_ku, chain=[no_ku.cert])
    crit_eku = new_ca(
        "Oracle Intermediate critical EKU serverAuth",
        root,
        extra=[(x509.ExtendedKeyUsage(SERVER), True)],
    )
    leaf("intermediate-critical-serverauth-eku", crit_eku, chain=[crit_eku.cert])
    weak = new_ca("Oracle RSA-1024 Intermediate", root, key=rsa_key(1024))
    leaf("rsa1024-intermediate", weak, chain=[weak.cert])
    crit_unknown = new_ca(
        "Oracle Intermediate unknown critical",
        root,
        extra=[
            (
                x509.UnrecognizedExtension(
                    x509.ObjectIdentifier("1.3.6.1.4.1.55555.3"), b"\x05\x00"
                ),
                True,
            )
        ],
    )
    leaf("intermediate-unknown-critical-extension", crit_unknown, chain=[crit_unknown.cert])
    pin_key = ec_key()
    trusted = make(name("pinned-reissued"), pin_key, None, eku=CLIENT, ku=LEAF_KU)
    m.pinned.append(trusted)
    kinds.append(
        Kind(
            "pinned-reissued-same-key",
            [
                make(
                    name("pinned-reissued"),
                    pin_key,
                    None,
                    eku=SERVER,
                    ku=LEAF_KU,
                    start=NOW - 90 * DAY,
                    end=NOW - DAY,
                )
            ],
            pin_key,
        )
    )
    for bits in (1024, 2048):
        k = leaf(f"dsa-{bits}-tls12", key=dsa.generate_private_key(bits))  # type: ignore[arg-type]
        k.tls12 = True  # TLS 1.3 has no DSA signatures
    leaf("inter-also-in-truststore", m.inter, start=NOW - DAY)
    m.extra_anchors.append(m.inter.cert)


def _reasons() -> dict[str, frozenset[str]]:
    """The handshake rule code(s) lint must give when a real Jetty rejects each kind on a plain
    need-mode configuration with the full truststore (kinds not listed: accepted). A rejection
    for another reason is a disagreement, not a pass."""
    from jettycfg.rules import chains as r

    table: dict[str, tuple[str, ...]] = {
        "eku-server-only": (r.JC412,),
        "ku-keyencipherment-only": (r.JC411,),
        "ku-nonrepudiation-only": (r.JC411,),
        "ku-keyagreement-only": (r.JC411,),
        "rsa-512": (r.JC414,),
        "md5-signature": (r.JC414,),
        "ec-secp256k1": (r.JC414,),
        "expired": (r.JC404,),
        "expired-intermediate": (r.JC404,),
        "not-yet-valid": (r.JC405,),
        "unknown-issuer": (r.JC401,),
        "unknown-root-sent": (r.JC401,),
        "issuer-not-ca": (r.JC406,),
        "under-v1-intermediate": (r.JC406,),
        "pathlen-violated": (r.JC407,),
        "intermediate-without-keycertsign": (r.JC408,),
        "name-constraints-outside": (r.JC409,),
        "dns-constraint-outside": (r.JC409,),
        "unknown-critical-extension": (r.JC410,),
        "intermediate-unknown-critical-extension": (r.JC410,),
        "critical-aki": (r.JC410,),
        "critical-ski": (r.JC410,),
        "forged-signature": (r.JC403,),
        "self-signed-untrusted": (r.JC418,),
        "netscape-ssl-server-only": (r.JC413,),
        "under-anchor-without-bc": (r.JC416,),
        "under-anchor-without-keycertsign": (r.JC416,),
        "eleven-certificates": (r.JC415,),
        "six-intermediates-misordered": (r.JC401, r.JC419),
        # pinned, but the reissued certificate is not the pinned one: judged as a chain
        "pinned-reissued-same-key": (r.JC404, r.JC412, r.JC416),
    }
    return {name: frozenset(codes) for name, codes in table.items()}


def _latent() -> dict[str, frozenset[str]]:
    """Codes a kind earns once the truststore no longer pins it or holds its anchor (the leaf's
    own faults then count): pinned expired leaves become expired chains."""
    from jettycfg.rules import chains as r

    return {
        "pinned-expired-serverauth": frozenset({r.JC404, r.JC412}),
        "pinned-expired-clientauth": frozenset({r.JC404}),
        "expired-pinned-untrusted-ca": frozenset({r.JC404}),
    }


def _java_reasons() -> dict[tuple[int, str], frozenset[str]]:
    """Where a Java version rejects a kind the others accept: (Java major, kind) -> reasons."""
    from jettycfg.rules import chains as r

    return {
        (11, "ed25519"): frozenset({r.JC414}),  # EdDSA needs Java 15
        (25, "nine-certificates"): frozenset({r.JC415}),  # jdk.tls.maxCertificateChainLength
    }


REASONS = _reasons()
LATENT = _latent()
JAVA_REASONS = _java_reasons()


def reasons(kind: str, java: int) -> frozenset[str]:
    """The handshake rule codes lint must give for ``kind`` on Java ``java`` (empty: accepted)."""
    return JAVA_REASONS.get((java, kind), REASONS.get(kind, frozenset()))
