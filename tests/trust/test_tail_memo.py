"""Within a run the trust engine judges what follows the leaf once per tail (jettycfg.trust.pkix
_tail_plan / _tail_problems). Whatever depends on the leaf must still be judged per leaf: each
verdict in one run equals the verdict of the same chain judged alone."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from jettycfg import memo
from jettycfg.trust.anchors import Anchors
from jettycfg.trust.pkix import ChainVerdict, judge
from jettycfg.trust.problem import TrustParams
from tests import chains as mint

NOW = dt.datetime.now(dt.timezone.utc)
PARAMS = TrustParams(at=NOW)
CLIENT = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH])
END = NOW + dt.timedelta(days=30)


def _ca(cn: str, issuer: mint.CA | None, *extra: tuple[x509.ExtensionType, bool]) -> mint.CA:
    return mint.new_ca(cn, issuer, extra=list(extra), end=END)


def _cert(cn: str, issuer: mint.CA, *extra: tuple[x509.ExtensionType, bool]) -> x509.Certificate:
    return mint.make(mint.name(cn), mint.ec_key(), issuer, bc=False, extra=list(extra), end=END)


def _leaf(cn: str, issuer: mint.CA) -> x509.Certificate:
    return _cert(cn, issuer, (CLIENT, False))


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
    chains = [[_leaf(cn, ica), ica.cert] for cn in ("a.example.com", "apmacwin", "b.example.com")]
    _, together = _alone_and_in_one_run(chains, [root.cert])
    assert [v.accepted for v in together] == [True, False, True]
    assert {p.rule for p in together[1].errors} == {"JC409"}


def test_a_non_ca_intermediate_names_each_leaf() -> None:
    root = _ca("Root", None)
    key = mint.ec_key()
    not_ca = mint.CA(mint.make(mint.name("NotCA"), key, root, end=END), key)  # CA:FALSE
    chains = [[_leaf(cn, not_ca), not_ca.cert] for cn in ("alice", "bob")]
    _, together = _alone_and_in_one_run(chains, [root.cert])
    messages = [[p.message for p in v.errors if p.rule == "JC406"] for v in together]
    assert "'alice'" in messages[0][0] and "'bob'" in messages[1][0]


def test_single_certificates_from_different_cas() -> None:
    roots = [_ca("Root A", None), _ca("Root B", None)]
    stranger = _ca("Stranger", None)
    chains = [[_leaf("a", roots[0])], [_leaf("b", roots[1])], [_leaf("c", stranger)]]
    _, together = _alone_and_in_one_run(chains, [r.cert for r in roots])
    assert [v.accepted for v in together] == [True, True, False]
    assert [v.path[-1] for v in together[:2]] == [roots[0].cert, roots[1].cert]


def test_a_trusted_intermediate_and_a_leaf_of_another_issuer() -> None:
    root = _ca("Root", None)
    ica = _ca("ICA", root)
    other = _ca("Other", root)
    good, wrong = _leaf("good", ica), _leaf("wrong", other)  # 'wrong' names Other, sends ICA
    chains = [[good, ica.cert], [wrong, ica.cert], [good, ica.cert]]
    _, together = _alone_and_in_one_run(chains, [root.cert, ica.cert])
    assert [v.accepted for v in together] == [True, False, True]
    assert together[0].path == (good, ica.cert)


def test_the_same_tail_under_other_anchors() -> None:
    root = _ca("Root", None)
    ica = _ca("ICA", root)
    leaf = _leaf("a", ica)
    with memo.scope():
        yes = judge([leaf, ica.cert], Anchors([root.cert]), PARAMS)
        no = judge(
            [leaf, ica.cert], Anchors([_ca("Root", None).cert]), PARAMS
        )  # same name, new key
    assert yes.accepted and not no.accepted


def test_name_constraints_two_above_the_leaf() -> None:
    root = _ca("Root", None)
    nc = x509.NameConstraints([x509.DNSName("example.com")], None)
    upper = _ca("Upper", root, (nc, True))
    lower = _ca("ca.example.com", upper)  # its CN is judged too (Java: no SAN, CN as DNS)
    chains = [[_leaf(cn, lower), lower.cert, upper.cert] for cn in ("a.example.com", "apmacwin")]
    _, together = _alone_and_in_one_run(chains, [root.cert])
    assert [v.accepted for v in together] == [True, False]


def test_the_same_tail_at_other_times_and_java_versions() -> None:
    root = _ca("Root", None)
    ica = _ca("ICA", root)  # valid for 30 days
    chain = [_leaf("a", ica), ica.cert]
    later = TrustParams(at=NOW + dt.timedelta(days=60))
    java11 = TrustParams(at=NOW, java=11)
    _, together = _alone_and_in_one_run([chain] * 4, [root.cert], [PARAMS, later, java11, PARAMS])
    assert [v.accepted for v in together] == [True, False, True, True]
    assert "JC404" in {p.rule for p in together[1].errors}


def test_the_order_breaking_after_the_first_intermediate() -> None:
    root = _ca("Root", None)
    ica = _ca("ICA", root)
    stray = _ca("Stray", None)  # trusted, but it did not issue ICA: the order breaks there
    chains = [[_leaf("a", ica), ica.cert, stray.cert], [_leaf("b", ica), ica.cert]]
    _, together = _alone_and_in_one_run(chains, [root.cert, stray.cert])
    assert [v.accepted for v in together] == [True, True]  # the builder finds the path
    assert together[0].path == (chains[0][0], ica.cert, root.cert)


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
        [_cert("ok", ica, (CLIENT, False), (client, True)), ica.cert],
        [_cert("server", ica, (CLIENT, False), (server, True)), ica.cert],
        [_leaf("under", flagged), flagged.cert],
        [_cert("ok2", ica, (CLIENT, False), (client, True)), ica.cert],
    ]
    _, together = _alone_and_in_one_run(chains, [root.cert])
    assert [v.accepted for v in together] == [True, False, False, True]
    assert {p.rule for p in together[1].errors} == {"JC413"}
    assert {p.rule for p in together[2].errors} == {"JC410"}


def test_same_name_anchors_under_one_run() -> None:
    old, new = _ca("Root", None), _ca("Root", None)  # a key rollover: same name, two keys
    under_old, under_new = _ca("ICA", old), _ca("ICA", new)
    chains = [[_leaf("a", under_old), under_old.cert], [_leaf("b", under_new), under_new.cert]]
    _, together = _alone_and_in_one_run(chains, [old.cert, new.cert])
    assert [v.path[-1] for v in together] == [old.cert, new.cert]
