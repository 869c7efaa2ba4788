"""Java's rules the limbo suite showed, on certificates minted here (checked against real Java
by test_peer_suite.py): CN fallback in name constraints, key identifiers, same-name blowup,
certificates Java refuses to parse, unreadable non-critical extensions."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from jettycfg.certs import der as asn1
from jettycfg.certs.lenient import load_cert
from jettycfg.errors import CertificateError
from jettycfg.trust.anchors import Anchors
from jettycfg.trust.pkix import judge
from jettycfg.trust.problem import TrustParams

NOW = dt.datetime.now(dt.timezone.utc)
PARAMS = TrustParams(at=NOW)
CLIENT = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH])


def _cert(
    cn: str,
    issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None,
    ca: bool,
    *extensions: tuple[x509.ExtensionType, bool],
    key: ec.EllipticCurvePrivateKey | None = None,
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = key or ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    b = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer[0].subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    for ext, critical in extensions:
        b = b.add_extension(ext, critical=critical)
    return b.sign(issuer[1] if issuer else key, hashes.SHA256()), key


def _dns_ca() -> tuple[tuple[x509.Certificate, ec.EllipticCurvePrivateKey], ...]:
    root = _cert("Root", None, True)
    nc = x509.NameConstraints([x509.DNSName("example.com")], None)
    ica = _cert("ICA", root, True, (nc, True))
    return root, ica


@pytest.mark.parametrize(("cn", "accepted"), [("apmacwin", False), ("a.example.com", True)])
def test_cn_is_checked_as_dns_name_without_san(cn: str, accepted: bool) -> None:
    root, ica = _dns_ca()
    leaf = _cert(cn, ica, False, (CLIENT, False))
    v = judge([leaf[0], ica[0]], Anchors([root[0]]), PARAMS)
    assert v.accepted is accepted
    assert accepted or {p.rule for p in v.errors} == {"JC409"}


def test_cn_not_a_dns_name_is_not_checked() -> None:
    root, ica = _dns_ca()
    leaf = _cert("John Doe", ica, False, (CLIENT, False))
    assert judge([leaf[0], ica[0]], Anchors([root[0]]), PARAMS).accepted


def test_cn_ignored_when_san_has_a_dns_name() -> None:
    root, ica = _dns_ca()
    san = x509.SubjectAlternativeName([x509.DNSName("b.example.com")])
    leaf = _cert("apmacwin", ica, False, (CLIENT, False), (san, False))
    assert judge([leaf[0], ica[0]], Anchors([root[0]]), PARAMS).accepted


def test_anchor_ski_must_match_child_aki() -> None:
    root = _cert("Root", None, True, (x509.SubjectKeyIdentifier(b"\x01" * 20), False))
    aki = x509.AuthorityKeyIdentifier(b"\x02" * 20, None, None)
    leaf = _cert("u", root, False, (CLIENT, False), (aki, False))
    v = judge([leaf[0]], Anchors([root[0]]), PARAMS)
    assert not v.accepted and "JC401" in {p.rule for p in v.errors}
    good = _cert("u", root, False, (CLIENT, False))
    assert judge([good[0]], Anchors([root[0]]), PARAMS).accepted


def _counting_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the path builder's candidate checks (its unit of work)."""
    from jettycfg.trust import pkix

    checks = [0]
    real = pkix.key_ids_match

    def counted(a: x509.Certificate, b: x509.Certificate) -> bool:
        checks[0] += 1
        return real(a, b)

    monkeypatch.setattr(pkix, "key_ids_match", counted)
    return checks


def test_same_name_certificates_do_not_blow_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """10 same-name CAs took 7.6 s, 12 over 120 s (issue 11): now bounded work (counted)."""
    from jettycfg.trust.pkix import MAX_BUILDER_STEPS

    root = _cert("Root", None, True)
    key = ec.generate_private_key(ec.SECP256R1())
    same = [_cert("Same", root, True, key=key)[0] for _ in range(9)]
    leaf = _cert("u", (same[0], key), False, (CLIENT, False))
    # Misordered (the root-signed CAs after each other): goes to the path builder.
    sent = [leaf[0], *reversed(same)]
    checks = _counting_checks(monkeypatch)
    v = judge(sent, Anchors([_cert("Other", None, True)[0]]), PARAMS)
    assert checks[0] <= (MAX_BUILDER_STEPS + 1) * (len(sent) + 1)
    assert not v.accepted


def _with_duplicate_san(cert: x509.Certificate) -> bytes:
    der = cert.public_bytes(Encoding.DER)
    spans = asn1.extension_spans(der)
    san = next(whole for oid, _, whole in spans if oid == bytes.fromhex("551d11"))
    return asn1.with_extensions(der, [w for _, _, w in spans] + [san])


def test_duplicate_extensions_are_a_parse_rejection() -> None:
    san = x509.SubjectAlternativeName([x509.DNSName("a.example.com")])
    leaf = _cert("u", None, False, (san, False))
    with pytest.raises(CertificateError, match="Duplicate extensions"):
        load_cert(_with_duplicate_san(leaf[0]))


def _resign(der: bytes, key: ec.EllipticCurvePrivateKey) -> bytes:
    """Sign the TBS of ``der`` (as the DER is) with ``key``: ECDSA-SHA256."""
    tbs = asn1.tbs_bytes(der)
    sig = key.sign(tbs, ec.ECDSA(hashes.SHA256()))
    alg = bytes.fromhex("300a06082a8648ce3d040302")
    return asn1._enc(0x30, tbs + alg + asn1._enc(0x03, b"\x00" + sig))


# A SAN whose only entry has a wrong tag: cryptography refuses it, Java ignores it (non-critical).
BAD_SAN = asn1._enc(0x30, bytes.fromhex("0603551d11") + asn1._enc(0x04, bytes.fromhex("3002bf00")))


def test_unreadable_noncritical_extension_is_ignored() -> None:
    root = _cert("Root", None, True)
    leaf = _cert("u", root, False, (CLIENT, False))
    der = leaf[0].public_bytes(Encoding.DER)
    spans = [w for _, _, w in asn1.extension_spans(der)]
    signed = _resign(asn1.with_extensions(der, [*spans, BAD_SAN]), root[1])
    with pytest.raises(ValueError):
        list(x509.load_der_x509_certificate(signed).extensions)
    assert judge([load_cert(signed)], Anchors([root[0]]), PARAMS).accepted
    # Not re-signed: the issuer signed the original TBS, so the signature must fail.
    tampered = asn1.with_extensions(der, [*spans, BAD_SAN])
    v = judge([load_cert(tampered)], Anchors([root[0]]), PARAMS)
    assert not v.accepted and "JC403" in {p.rule for p in v.errors}


def test_unreadable_critical_extension_is_refused() -> None:
    root = _cert("Root", None, True)
    leaf = _cert("u", root, False, (CLIENT, False))
    der = leaf[0].public_bytes(Encoding.DER)
    crit = asn1._enc(
        0x30, bytes.fromhex("0603551d110101ff") + asn1._enc(0x04, bytes.fromhex("3002bf00"))
    )
    spans = [w for _, _, w in asn1.extension_spans(der)]
    with pytest.raises(CertificateError):
        load_cert(_resign(asn1.with_extensions(der, [*spans, crit]), root[1]))


def test_path_builder_work_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A misordered chain of 8 same-name self-issued CAs under a same-name anchor with another
    key: every order of them is a name-chained candidate; the search is capped (counted in
    candidate checks, not timed - speed is measured in `make bench`; uncapped this took
    minutes)."""
    from jettycfg.trust import pkix

    anchor = _cert("A", None, True)
    same = [_cert("A", None, True) for _ in range(8)]
    leaf = _cert("u", same[0], False, (CLIENT, False))
    sent = [leaf[0], _cert("Z", None, True)[0], *(c[0] for c in same)]
    checks = _counting_checks(monkeypatch)
    v = judge(sent, Anchors([anchor[0]]), PARAMS)
    assert checks[0] <= (pkix.MAX_BUILDER_STEPS + 1) * (len(sent) + 1)
    assert not v.accepted and "JC401" in {p.rule for p in v.errors}


# Another SAN cryptography refuses (a different wrong tag): re-encoded, it looks like BAD_SAN's.
OTHER_BAD_SAN = asn1._enc(
    0x30, bytes.fromhex("0603551d11") + asn1._enc(0x04, bytes.fromhex("3002bf01"))
)


def _genuine_and_forged() -> tuple[x509.Certificate, bytes, bytes]:
    """(root, genuine DER signed by root, forged DER: another dropped extension, the genuine
    signature copied). Both re-encode to the same certificate."""
    root = _cert("Root", None, True)
    leaf = _cert("u", root, False, (CLIENT, False))
    der = leaf[0].public_bytes(Encoding.DER)
    spans = [w for _, _, w in asn1.extension_spans(der)]
    genuine = _resign(asn1.with_extensions(der, [*spans, BAD_SAN]), root[1])
    forged_tbs = asn1.tbs_bytes(asn1.with_extensions(der, [*spans, OTHER_BAD_SAN]))
    forged = asn1._enc(0x30, forged_tbs + genuine[len(asn1.tbs_bytes(genuine)) + 4 :])
    assert asn1.tbs_bytes(forged) == forged_tbs
    return root[0], genuine, forged


def test_reencoded_certificates_keep_the_original_identity() -> None:
    """Two certificates that differ only in an extension cryptography cannot read re-encode to
    the same DER; within one run the forged copy must not inherit the genuine one's verdict."""
    import hashlib

    from jettycfg import memo
    from jettycfg.certs import cert_id, der_of, fingerprint

    root, genuine, forged = _genuine_and_forged()
    with memo.scope():
        first, second = load_cert(genuine), load_cert(forged)
        assert first.public_bytes(Encoding.DER) == second.public_bytes(Encoding.DER)
        assert cert_id(first) == hashlib.sha256(genuine).digest() != cert_id(second)
        assert der_of(second) == forged
        assert fingerprint(first) == hashlib.sha256(genuine).digest().hex(":").upper()
        assert judge([first], Anchors([root]), PARAMS).accepted
        v = judge([second], Anchors([root]), PARAMS)
        assert not v.accepted and "JC403" in {p.rule for p in v.errors}
    # the other order, and outside a run
    assert not judge([load_cert(forged)], Anchors([root]), PARAMS).accepted
    assert judge([load_cert(genuine)], Anchors([root]), PARAMS).accepted


@pytest.mark.parametrize("fmt", ["jks", "pkcs12"])
def test_a_store_writes_back_the_original_certificate(fmt: str) -> None:
    """A store entry whose certificate was re-encoded to be read is written back as it was:
    the dropped extension and the issuer's signature stay intact (the PEM export too)."""
    from jettycfg.stores import jks, pkcs12
    from jettycfg.stores.model import Entry, EntryKind, Store, StoreFormat
    from jettycfg.stores.ops import export

    _, genuine, _ = _genuine_and_forged()
    module = jks if fmt == "jks" else pkcs12
    store = Store(
        StoreFormat.JKS if fmt == "jks" else StoreFormat.PKCS12,
        [Entry("ca", EntryKind.TRUSTED, [load_cert(genuine)])],
    )
    again = module.read(module.write(store, "changeit"), "changeit")
    from jettycfg.certs import der_of

    assert der_of(again.entries[0].certs[0]) == genuine
    pem = export(again, [])
    assert x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER) == genuine


def test_a_reencoded_parse_does_not_vouch_for_the_original() -> None:
    """The re-encoded certificate has its original's identity, not its original's parse: the
    original object still fails cryptography's full parse afterwards (in a run and outside)."""
    from jettycfg import memo
    from jettycfg.certs import check_parsable

    _, genuine, _ = _genuine_and_forged()
    for scope in (memo.scope, contextlib.nullcontext):
        with scope():
            check_parsable(load_cert(genuine))
            with pytest.raises(ValueError):
                check_parsable(x509.load_der_x509_certificate(genuine))


def test_a_live_reencoded_certificate_keeps_its_identity_past_the_registry_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The registry of re-encoded certificates is bounded, but drops only entries nobody
    holds: one still in use keeps its original DER, identity and verdict."""
    from jettycfg.certs import der_of, held

    monkeypatch.setattr(held, "_ORIGINAL", {})  # this test's entries only
    monkeypatch.setattr(held, "_ORIGINAL_LIMIT", [4])
    root, genuine, forged = _genuine_and_forged()
    kept = load_cert(genuine)
    for _ in range(12):
        load_cert(forged)  # thrown away at once
    assert len(held._ORIGINAL) <= 8
    assert der_of(kept) == genuine
    assert judge([kept], Anchors([root]), PARAMS).accepted


def test_quiet_parsing_in_two_threads_keeps_every_parse_quiet() -> None:
    """Warnings filters are process-wide: a run-wide filter is taken only on the main thread
    (another thread's run ending would remove it under this one); elsewhere each parse keeps
    its own. cryptography warns about a negative serial number, which Java reads."""
    import threading
    import warnings

    from jettycfg.certs.held import quiet_parsing, strict_der

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "neg")])
    der = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
        .public_bytes(Encoding.DER)
    )
    at = der.index(bytes.fromhex("a003020102020101")) + 7  # serial 1 -> -1
    negative = der[:at] + b"\xff" + der[at + 1 :]
    first_done, second_in = threading.Event(), threading.Event()
    caught: list[warnings.WarningMessage] = []

    def first() -> None:
        with quiet_parsing():
            second_in.wait(10)
        first_done.set()

    def second() -> None:
        with quiet_parsing():
            second_in.set()
            first_done.wait(10)
            strict_der(negative)

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
        caught = list(seen)
    with warnings.catch_warnings(record=True) as loud:  # the certificate does warn
        warnings.simplefilter("always")
        x509.load_der_x509_certificate(negative).serial_number  # noqa: B018
    assert loud and not caught


def test_key_identifiers_on_an_ordered_chain_that_sends_its_trusted_root(
    tmp_path: object,
) -> None:
    """PKIXValidator validates the part below a sent trusted certificate with
    PKIXCertPathValidator, whose anchor selector takes the child's AKI: a trusted root whose
    SKI differs is not taken (jettycfg took it - accepted what Java rejects, as for a CA with
    an explicit SKI), and another anchor of the same name whose SKI matches is. Real Java 17
    (Harness.java) judges the same certificates."""
    import base64
    import gzip
    from pathlib import Path

    from tests.trust.peer_suite import java17_verdicts

    ski1, ski2 = x509.SubjectKeyIdentifier(b"\x01" * 20), x509.SubjectKeyIdentifier(b"\x02" * 20)
    root1 = _cert("Root", None, True, (ski1, False))
    root2 = _cert("Root", None, True, (ski2, False))  # same name, another key and SKI
    aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier
    wrong = _cert("u", root1, False, (CLIENT, False), (aki(ski2), False))  # root1's key
    right = _cert("u", root1, False, (CLIENT, False), (aki(ski1), False))
    by_two = _cert("u", root2, False, (CLIENT, False), (aki(ski2), False))
    cases = {
        "wrong-aki-root-sent": ([root1[0]], [wrong[0], root1[0]]),
        "right-aki-root-sent": ([root1[0]], [right[0], root1[0]]),
        "other-anchor-of-the-name": ([root1[0], root2[0]], [by_two[0], root1[0]]),
        "wrong-aki-leaf-alone": ([root1[0]], [wrong[0]]),
    }
    b64 = lambda c: base64.b64encode(c.public_bytes(Encoding.DER)).decode()  # noqa: E731
    epoch = int(NOW.timestamp())
    lines = [
        f"{cid}\t{epoch}\t{','.join(map(b64, roots))}\t{','.join(map(b64, sent))}"
        for cid, (roots, sent) in cases.items()
    ]
    path = Path(str(tmp_path)) / "cases.tsv.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    java = java17_verdicts(path)
    ours = {cid: judge(sent, Anchors(roots), PARAMS) for cid, (roots, sent) in cases.items()}
    assert {c: v[0] for c, v in java.items()} == {
        "wrong-aki-root-sent": "REJECT",
        "right-aki-root-sent": "ACCEPT",
        "other-anchor-of-the-name": "ACCEPT",
        "wrong-aki-leaf-alone": "REJECT",
    }
    assert {c: "ACCEPT" if v.accepted else "REJECT" for c, v in ours.items()} == {
        c: v[0] for c, v in java.items()
    }
    wrong_root = ours["wrong-aki-root-sent"]
    assert {p.rule for p in wrong_root.errors} == {"JC401"}
    assert "Java does not chain them" in wrong_root.errors[0].message
