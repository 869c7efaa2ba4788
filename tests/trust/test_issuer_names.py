"""Within a run a certificate's issuer Name is read once per distinct issuer DER
(jettycfg.certs.issuer_name): a client's issuer is its intermediate's subject. Equal DER must
mean an equal reading, and different DER must still be read - and refused - on its own."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from hypothesis import given, settings
from hypothesis import strategies as st

from jettycfg import memo
from jettycfg.certs import check_parsable, der, issuer_name, issuer_text, validity_text
from tests import chains

NOW = dt.datetime.now(dt.timezone.utc)
KEY = ec.generate_private_key(ec.SECP256R1())


def _cert(subject: str, issuer: x509.Name, *, version1: bool = False) -> x509.Certificate:
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(issuer)
        .public_key(KEY.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=1))
        .sign(KEY, hashes.SHA256())
    )
    return chains.version1(cert, KEY) if version1 else cert


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


@pytest.mark.parametrize("version1", [False, True])
def test_tbs_head_finds_both_names(version1: bool) -> None:
    issuer = x509.Name(
        [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "O" * 300), *_name("Issuing CA")]
    )  # long-form lengths
    cert = _cert("leaf", issuer, version1=version1)
    raw = cert.public_bytes(Encoding.DER)
    differ, issuer_der, subject_der, tbs = der.tbs_head(raw)
    assert differ is False
    assert issuer_der == issuer.public_bytes() and subject_der == _name("leaf").public_bytes()
    assert tbs == cert.tbs_certificate_bytes  # what the issuer signed, as encoded
    assert der.tbs_head(raw[:40]) == (
        False,
        None,
        None,
        None,
    )  # a torn certificate: no verdict here


def test_a_leaf_reads_its_issuer_from_the_intermediates_subject() -> None:
    ca = _cert("Issuing CA", _name("Root"))
    leaves = [_cert(f"user{i}", ca.subject) for i in range(3)]
    with memo.scope():
        check_parsable(ca)
        for leaf in leaves:
            check_parsable(leaf)
        assert all(issuer_name(leaf) is ca.subject for leaf in leaves)
    alone = [issuer_name(leaf) for leaf in leaves]  # outside a run: each its own
    assert alone == [ca.subject] * 3 and alone[0] is not ca.subject


def test_an_issuer_that_differs_is_read_and_refused_on_its_own() -> None:
    ca = _cert("Issuing CA", _name("Root"))
    good = _cert("user", _name("ZZZZ"))
    bad = x509.load_der_x509_certificate(
        good.public_bytes(Encoding.DER).replace(b"ZZZZ", b"\xff\xfeZZ", 1)
    )  # invalid UTF-8 in the issuer's UTF8String
    with memo.scope():
        check_parsable(ca)
        check_parsable(good)
        with pytest.raises(ValueError, match="issuer"):
            check_parsable(bad)


def test_equal_names_in_other_encodings_stay_apart() -> None:
    """Same text, another string type: different DER, so each is read (and each keeps its own
    encoding in the report), while Java's canonical comparison still matches them."""
    printable = x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, "CA", _type=x509.name._ASN1Type.PrintableString)]
    )
    utf8 = _name("CA")
    a, b = _cert("a", printable), _cert("b", utf8)
    with memo.scope():
        check_parsable(a)
        check_parsable(b)
        assert issuer_name(a).public_bytes() == printable.public_bytes()
        assert issuer_name(b).public_bytes() == utf8.public_bytes()


def test_issuer_and_validity_text_are_cryptographys_per_issuer_and_span() -> None:
    """The report's issuer and dates are read once per issuer DER / validity in a run; each
    still says what cryptography says for that certificate - a multi-valued RDN included
    (cryptography refuses one out of DER order, so equal DER means equal attribute order)."""
    cn, org = (
        x509.NameAttribute(NameOID.COMMON_NAME, "a"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "b"),
    )
    multi = x509.Name([x509.RelativeDistinguishedName([org, cn])])
    certs = [_cert("u1", multi), _cert("u2", multi), _cert("u3", _name("Other CA"))]
    with memo.scope():
        texts = [issuer_text(c) for c in certs]
        spans = [validity_text(c) for c in certs]
    assert texts == [c.issuer.rfc4514_string() for c in certs] == ["CN=a+O=b"] * 2 + ["CN=Other CA"]
    assert spans == [
        (c.not_valid_before_utc.isoformat(), c.not_valid_after_utc.isoformat()) for c in certs
    ]
    assert issuer_text(certs[2]) == "CN=Other CA"  # outside a run: read afresh


def test_the_signed_bytes_are_the_tbs_as_encoded_on_public_and_mutated_certificates() -> None:
    """``tbs_encoded`` slices the TBS from the DER; cryptography re-encodes it. Equal on every
    certificate of the limbo and BetterTLS corpora and on random byte mutations of them that
    cryptography still parses (a differing pair would check a signature over other bytes)."""
    import random
    import warnings

    from jettycfg.certs import intern_der, quiet_parsing, tbs_encoded
    from tests.trust.peer_suite import CASES, load_cases

    bettertls = CASES.parents[1] / "bettertls" / "cases.tsv.gz"
    ders = sorted(
        {d for path in (CASES, bettertls) for c in load_cases(path) for d in c.roots + c.sent}
    )
    assert len(ders) > 15_000
    rnd = random.Random(5)
    mutants = []
    for _ in range(6_000):
        raw = bytearray(rnd.choice(ders))
        for _ in range(rnd.randint(1, 3)):
            raw[rnd.randrange(len(raw))] = rnd.randrange(256)
        mutants.append(bytes(raw))
    compared = 0
    for raw in ders + mutants:
        try:
            with warnings.catch_warnings():  # negative serial numbers: read, as Java reads them
                warnings.simplefilter("ignore")
                cert = x509.load_der_x509_certificate(raw)
            expected = cert.tbs_certificate_bytes
        except (ValueError, x509.InvalidVersion):
            continue
        assert der.tbs_head(raw)[3] == expected, raw.hex()  # sliced from the input itself
        with memo.scope(), quiet_parsing():
            assert tbs_encoded(intern_der(raw)) == expected
        compared += 1
    assert compared > len(ders) + 1_000  # the mutants cryptography still reads count too


def _tbs_head_by_tlv(raw: bytes) -> tuple[bool, bytes | None, bytes | None, bytes | None]:
    """The walk tbs_head makes, spelled with the general der._tlv (the reference its inlined
    walk must equal, torn and mangled input included)."""
    try:
        _, s, _e = der._tlv(raw, 0)
        _, ts, te = der._tlv(raw, s)
        _, as_, ae = der._tlv(raw, te)
        outer = der._alg_oid(raw, raw[as_:ae])
        tag, _, end = der._tlv(raw, ts)
        if tag == 0xA0:
            tag, _, end = der._tlv(raw, end)
        _, is_, ie = der._tlv(raw, end)
        differ = der._alg_oid(raw, raw[is_:ie]) != outer
    except der.DerError:
        return False, None, None, None
    try:
        _, _, issuer_end = der._tlv(raw, ie)
        _, _, validity_end = der._tlv(raw, issuer_end)
        _, _, subject_end = der._tlv(raw, validity_end)
    except der.DerError:
        return differ, None, None, raw[s:te]
    return differ, raw[ie:issuer_end], raw[validity_end:subject_end], raw[s:te]


_MANGLE_BYTES = st.sampled_from([0x00, 0x01, 0x30, 0x80, 0x81, 0x82, 0x84, 0x85, 0xA0, 0xFF])


@settings(max_examples=400, deadline=None)
@given(
    version1=st.booleans(),
    changes=st.lists(st.tuples(st.integers(0, 300), _MANGLE_BYTES), max_size=3),
    cut=st.integers(0, 2000),
)
def test_tbs_head_walks_mangled_der_as_the_general_walker(
    version1: bool, changes: list[tuple[int, int]], cut: int
) -> None:
    raw = bytearray(
        _cert("leaf", _name("Issuing CA"), version1=version1).public_bytes(Encoding.DER)
    )
    for at, value in changes:
        raw[at % len(raw)] = value
    mangled = bytes(raw[:cut])
    assert der.tbs_head(mangled) == _tbs_head_by_tlv(mangled)
