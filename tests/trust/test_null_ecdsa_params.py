"""An ECDSA signature algorithm with an explicit NULL parameter: Java reads it as no parameters
(jdk17u AlgorithmId.parse) - Jetty's own test keystore server-keystore_sni_key_types.p12 has
such a certificate, and keytool lists it (tests/corpus/stores) - while cryptography refuses the
certificate. jettycfg reads it through a twin without the NULL that stands for the original:
its DER, fingerprint and signed bytes stay the original's."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from jettycfg import memo
from jettycfg.certs import der, der_of, fingerprint, load_der, load_pem_all
from jettycfg.trust.anchors import Anchors
from jettycfg.trust.pkix import judge
from jettycfg.trust.problem import TrustParams
from tests.chains import NOW, ec_key, make, name, new_ca

PARAMS = TrustParams(at=NOW)
ECDSA_SHA256 = bytes.fromhex("300a06082a8648ce3d040302")
WITH_NULL = bytes.fromhex("300c06082a8648ce3d0403020500")


def _with_null(cert: x509.Certificate, key: ec.EllipticCurvePrivateKey, *, outer: bool) -> bytes:
    """``cert`` re-signed by ``key`` with NULL parameters in the TBS's signature algorithm (and
    in the outer one when ``outer``): a certificate whose signature is valid over that TBS."""
    tbs = cert.tbs_certificate_bytes
    assert tbs.count(ECDSA_SHA256) == 1
    _, s, e = der._tlv(tbs, 0)
    body = tbs[s:e].replace(ECDSA_SHA256, WITH_NULL)
    new_tbs = der._enc(0x30, body)
    signature = key.sign(new_tbs, ec.ECDSA(hashes.SHA256()))
    alg = WITH_NULL if outer else ECDSA_SHA256
    return der._enc(0x30, new_tbs + alg + der._enc(0x03, b"\x00" + signature))


@pytest.mark.parametrize("outer", [True, False])
def test_read_as_java_reads_it_and_judged_over_the_original_bytes(outer: bool) -> None:
    ca = new_ca("NULL params CA")
    leaf = make(name("apmacwin"), ec_key(), ca, eku=[x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH])
    raw = _with_null(leaf, ca.key, outer=outer)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        x509.load_der_x509_certificate(raw)  # cryptography refuses it
    cert = load_der(raw)
    assert der_of(cert) == raw  # it stands for the original
    assert fingerprint(cert) == hashlib.sha256(raw).digest().hex(":").upper()
    assert cert.subject == leaf.subject and cert.serial_number == leaf.serial_number
    verdict = judge([cert], Anchors([ca.cert]), PARAMS)
    assert verdict.accepted, verdict.problems
    tampered = bytearray(raw)
    tampered[-3] ^= 0x01  # the signature no longer matches the original TBS
    rejected = judge([load_der(bytes(tampered))], Anchors([ca.cert]), PARAMS)
    assert not rejected.accepted and "JC403" in {p.rule for p in rejected.problems}


def test_a_client_pem_file_reads_it_too() -> None:
    ca = new_ca("NULL params CA")
    leaf = make(name("apmacwin"), ec_key(), ca)
    raw = _with_null(leaf, ca.key, outer=True)  # type: ignore[arg-type]
    lines = base64.encodebytes(raw)  # 76-column lines, as many tools write them
    body = b"-----BEGIN CERTIFICATE-----\n" + lines + b"-----END CERTIFICATE-----\n"
    with memo.scope():
        (cert,) = load_pem_all(body)
        assert der_of(cert) == raw


def test_only_an_explicit_null_of_an_ecdsa_signature_is_dropped() -> None:
    ca = new_ca("NULL params CA")
    leaf = make(name("x"), ec_key(), ca)
    assert der.without_null_signature_params(leaf.public_bytes(Encoding.DER)) is None
    raw = _with_null(leaf, ca.key, outer=True)  # type: ignore[arg-type]
    twin = der.without_null_signature_params(raw)
    assert twin is not None and WITH_NULL not in twin and twin.count(ECDSA_SHA256) == 2
    assert der.without_null_signature_params(raw[:50]) is None  # torn: left to the parser


def test_any_pem_shape_cryptography_reads_reads_the_twin_too() -> None:
    """A client file with its key block, or text before the certificate, goes to cryptography's
    PEM reader: the block with the NULL parameter is still read as Java reads it."""
    from cryptography.hazmat.primitives import serialization

    ca = new_ca("NULL params CA")
    key = ec_key()
    raw = _with_null(make(name("apmacwin"), key, ca), ca.key, outer=True)  # type: ignore[arg-type]
    block = b"-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(raw)
    block += b"-----END CERTIFICATE-----\n"
    pem_key = key.private_bytes(
        Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    for data in (block + pem_key, b"subject=CN=apmacwin\n" + block, pem_key + block):
        with memo.scope():
            (cert,) = load_pem_all(data)
            assert der_of(cert) == raw
    with pytest.raises(ValueError):  # a shape cryptography refuses stays refused
        load_pem_all(block.replace(b"\n", b"\n!", 2))


def test_a_twin_block_is_held_to_cryptographys_base64_rules() -> None:
    """The block swapped for its twin must itself be canonical base64 as cryptography takes
    it: non-zero bits before the padding stay refused (the twin would be clean)."""
    from cryptography.hazmat.primitives import serialization

    ca = new_ca("NULL params CA")
    for _ in range(50):  # a length that ends in "==": the last symbol carries 4 spare bits
        key = ec_key()
        raw = _with_null(make(name("apmacwin"), key, ca), ca.key, outer=True)  # type: ignore[arg-type]
        if len(raw) % 3 == 1:
            break
    else:
        pytest.fail("no certificate of that length")
    text = base64.b64encode(raw)
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    bent = text[:-3] + bytes([alphabet[alphabet.index(text[-3]) | 1]]) + b"=="
    pem_key = key.private_bytes(
        Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )

    def pem(body: bytes) -> bytes:
        return b"-----BEGIN CERTIFICATE-----\n" + body + b"\n-----END CERTIFICATE-----\n" + pem_key

    with memo.scope():
        assert der_of(load_pem_all(pem(text))[0]) == raw
        with pytest.raises(ValueError):
            load_pem_all(pem(bent))
