"""Within a run the trust engine judges what follows the leaf once per tail (jettycfg.trust.pkix
_tail_plan / _tail_problems). Whatever depends on the leaf must still be judged per leaf: each
verdict in one run equals the verdict of the same chain judged alone."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from jettycfg import memo
from jettycfg.trust.anchors import Anchors
from jettycfg.trust.pkix import ChainVerdict, judge
from jettycfg.trust.problem import TrustParams

NOW = dt.datetime.now(dt.timezone.utc)
PARAMS = TrustParams(at=NOW)
CLIENT = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH])
Pair = tuple[x509.Certificate, ec.EllipticCurvePrivateKey]


def _cert(cn: str, issuer: Pair | None, *extensions: tuple[x509.ExtensionType, bool]) -> Pair:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    b = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer[0].subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=30))
    )
    for ext, critical in extensions:
        b = b.add_extension(ext, critical=critical)
    return b.sign(issuer[1] if issuer else key, hashes.SHA256()), key


def _ca(cn: str, issuer: Pair | None, *extra: tuple[x509.ExtensionType, bool]) -> Pair:
    return _cert(cn, issuer, (x509.BasicConstraints(ca=True, path_length=None), True), *extra)


def _leaf(cn: str, issuer: Pair) -> x509.Certificate:
    return _cert(cn, issuer, (CLIENT, False))[0]


def _shape(v: ChainVerdict) -> tuple[bool, list[tuple[str, str]]]:
    return v.accepted, [(p.rule, p.message) for p in v.problems]


def _alone_and_in_one_run(
    chains: list[list[x509.Certificate]],
    anchors: list[x509.Certificate],
    params: list[TrustParams] | None = None,
) -> tuple[list[ChainVerdict], list[ChainVerdict]]:
    each = params or [PARAMS] * len(chains)
    alone = [judge(c, Anchors(anchors), p) for c, p in zip(chains, each, strict=True)]
    with memo.scope():
        trusted = Anchors(anchors)
        together = [judge(c, trusted, p) for c, p in zip(chains, each, strict=True)]
    assert [_shape(v) for v in together] == [_shape(v) for v in alone]
    return alone, together


def test_name_constraints_judge_each_leaf() -> None:
    root = _ca("Root", None)
    nc = x509.NameConstraints([x509.DNSName("example.com")], None)
    ica = _ca("ICA", root, (nc, True))
    chains = [[_leaf(cn, ica), ica[0]] for cn in ("a.example.com", "apmacwin", "b.example.com")]
    _, together = _alone_and_in_one_run(chains, [root[0]])
    assert [v.accepted for v in together] == [True, False, True]
    assert {p.rule for p in together[1].errors} == {"JC409"}


def test_a_non_ca_intermediate_names_each_leaf() -> None:
    root = _ca("Root", None)
    not_ca = _cert("NotCA", root, (x509.BasicConstraints(ca=False, path_length=None), True))
    chains = [[_leaf(cn, not_ca), not_ca[0]] for cn in ("alice", "bob")]
    _, together = _alone_and_in_one_run(chains, [root[0]])
    messages = [[p.message for p in v.errors if p.rule == "JC406"] for v in together]
    assert "'alice'" in messages[0][0] and "'bob'" in messages[1][0]


def test_single_certificates_from_different_cas() -> None:
    roots = [_ca("Root A", None), _ca("Root B", None)]
    stranger = _ca("Stranger", None)
    chains = [[_leaf("a", roots[0])], [_leaf("b", roots[1])], [_leaf("c", stranger)]]
    _, together = _alone_and_in_one_run(chains, [r[0] for r in roots])
    assert [v.accepted for v in together] == [True, True, False]
    assert [v.path[-1] for v in together[:2]] == [roots[0][0], roots[1][0]]


def test_a_trusted_intermediate_and_a_leaf_of_another_issuer() -> None:
    root = _ca("Root", None)
    ica = _ca("ICA", root)
    other = _ca("Other", root)
    good, wrong = _leaf("good", ica), _leaf("wrong", other)  # 'wrong' names Other, sends ICA
    chains = [[good, ica[0]], [wrong, ica[0]], [good, ica[0]]]
    _, together = _alone_and_in_one_run(chains, [root[0], ica[0]])
    assert [v.accepted for v in together] == [True, False, True]
    assert together[0].path == (good, ica[0])


def test_the_same_tail_under_other_anchors() -> None:
    root = _ca("Root", None)
    ica = _ca("ICA", root)
    leaf = _leaf("a", ica)
    with memo.scope():
        yes = judge([leaf, ica[0]], Anchors([root[0]]), PARAMS)
        no = judge([leaf, ica[0]], Anchors([_ca("Root", None)[0]]), PARAMS)  # same name, new key
    assert yes.accepted and not no.accepted


def test_name_constraints_two_above_the_leaf() -> None:
    root = _ca("Root", None)
    nc = x509.NameConstraints([x509.DNSName("example.com")], None)
    upper = _ca("Upper", root, (nc, True))
    lower = _ca("ca.example.com", upper)  # its CN is judged too (Java: no SAN, CN as DNS)
    chains = [[_leaf(cn, lower), lower[0], upper[0]] for cn in ("a.example.com", "apmacwin")]
    _, together = _alone_and_in_one_run(chains, [root[0]])
    assert [v.accepted for v in together] == [True, False]


def test_the_same_tail_at_other_times_and_java_versions() -> None:
    root = _ca("Root", None)
    ica = _ca("ICA", root)  # valid for 30 days
    chain = [_leaf("a", ica), ica[0]]
    later = TrustParams(at=NOW + dt.timedelta(days=60))
    java11 = TrustParams(at=NOW, java=11)
    _, together = _alone_and_in_one_run([chain] * 4, [root[0]], [PARAMS, later, java11, PARAMS])
    assert [v.accepted for v in together] == [True, False, True, True]
    assert "JC404" in {p.rule for p in together[1].errors}


def test_the_order_breaking_after_the_first_intermediate() -> None:
    root = _ca("Root", None)
    ica = _ca("ICA", root)
    stray = _ca("Stray", None)  # trusted, but it did not issue ICA: the order breaks there
    chains = [[_leaf("a", ica), ica[0], stray[0]], [_leaf("b", ica), ica[0]]]
    _, together = _alone_and_in_one_run(chains, [root[0], stray[0]])
    assert [v.accepted for v in together] == [True, True]  # the builder finds the path
    assert together[0].path == (chains[0][0], ica[0], root[0])


def test_netscape_cert_type_on_the_leaf_and_above_it() -> None:
    """Critical Netscape cert type: the TLS end-entity checker reads it on the leaf (SSL client
    or not), PKIX refuses it on an intermediate."""
    ns_oid = x509.ObjectIdentifier("2.16.840.1.113730.1.1")
    client = x509.UnrecognizedExtension(ns_oid, bytes.fromhex("03020780"))  # SSL client
    server = x509.UnrecognizedExtension(ns_oid, bytes.fromhex("03020640"))  # SSL server only
    root = _ca("Root", None)
    ica = _ca("ICA", root)
    flagged = _ca("Flagged", root, (client, True))
    chains = [
        [_cert("ok", ica, (CLIENT, False), (client, True))[0], ica[0]],
        [_cert("server", ica, (CLIENT, False), (server, True))[0], ica[0]],
        [_leaf("under", flagged), flagged[0]],
        [_cert("ok2", ica, (CLIENT, False), (client, True))[0], ica[0]],
    ]
    _, together = _alone_and_in_one_run(chains, [root[0]])
    assert [v.accepted for v in together] == [True, False, False, True]
    assert {p.rule for p in together[1].errors} == {"JC413"}
    assert {p.rule for p in together[2].errors} == {"JC410"}


def test_same_name_anchors_under_one_run() -> None:
    old, new = _ca("Root", None), _ca("Root", None)  # a key rollover: same name, two keys
    under_old, under_new = _ca("ICA", old), _ca("ICA", new)
    chains = [[_leaf("a", under_old), under_old[0]], [_leaf("b", under_new), under_new[0]]]
    _, together = _alone_and_in_one_run(chains, [old[0], new[0]])
    assert [v.path[-1] for v in together] == [old[0], new[0]]
