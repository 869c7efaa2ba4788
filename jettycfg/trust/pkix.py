"""Java's server-side check of a client certificate chain (X509TrustManagerImpl + PKIXValidator).

The decision procedure follows ``sun.security.validator.PKIXValidator.engineValidate``:

1. A leaf whose exact certificate is in the truststore is *pinned*: accepted with no further
   check. (Same subject and key is not enough for the leaf: a re-issued, expired copy is judged
   like any other certificate - seen on Jetty 9.4.57 / Java 17.)
2. The chain is read in order. A later certificate that is itself trusted (same DER, or same
   subject and public key as a truststore certificate) ends it: the part below it is validated
   against it. An ordered chain whose last certificate names a truststore certificate as its
   issuer is validated against the anchors of that name, with no fallback.
3. Anything else goes to the path builder: any order, only the certificates the client sent and
   the truststore (no AIA), at most 5 intermediates.

Validation reports every problem, not just the first, each with its rule code and a fix.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from dataclasses import dataclass

from cryptography import x509

from jettycfg import memo
from jettycfg.certs import cert_id
from jettycfg.rules import Severity
from jettycfg.rules.chains import JC401, JC411, JC412, JC413, JC415, JC419, JC434, JC440
from jettycfg.rules.stores import JC320
from jettycfg.trust import algorithms
from jettycfg.trust.anchors import Anchors, key_ids_match, signature_ok
from jettycfg.trust.checks import (
    anchor_problems,
    ca_problems,
    cert_problems,
    extension,
    identity,
    leaf_usage,
    self_issued,
)
from jettycfg.trust.explain import KEY_ID_FIX, longest_chain, no_path, validate_partial
from jettycfg.trust.names import issuer_of, same_name, subject_of
from jettycfg.trust.problem import Problem, TrustParams, name_of

BUILDER_MAX_INTERMEDIATES = 5
LEAF_RULES = frozenset({JC411, JC412, JC413})  # EndEntityChecker, after path validation


@dataclass(frozen=True)
class ChainVerdict:
    accepted: bool
    problems: tuple[Problem, ...]
    path: tuple[x509.Certificate, ...] = ()  # leaf first, anchor last (when one was reached)
    pinned: bool = False

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)


def judge(sent: list[x509.Certificate], anchors: Anchors, params: TrustParams) -> ChainVerdict:
    """Decide a chain (leaf first, as the client sends it) the way Java's trust manager does."""
    if not sent:
        return ChainVerdict(False, (Problem(JC440, "the client sent no certificate"),))
    if len(anchors) == 0:
        problem = Problem(
            JC320,
            "the truststore gives Java no trust anchors: every client certificate fails",
            "import the CA into the truststore",
        )
        return ChainVerdict(False, (problem,))
    pre: list[Problem] = []
    cap = params.max_chain or algorithms.chain_cap(params.java)
    if len(sent) > cap:
        # SunJSSE refuses the Certificate message itself (jdk.tls.maxCertificateChainLength,
        # sun.security.ssl.CertificateMessage): the trust manager never sees the chain.
        problem = Problem(
            JC415,
            f"the client sends {len(sent)} certificates; Java {params.java} accepts at most {cap}",
            "send a shorter chain",
        )
        return ChainVerdict(False, (problem,))
    ident = identity(sent[0], params)
    # Only the exact certificate pins a leaf (same subject and key counts for CAs higher up).
    if anchors.pinned(sent[0]):
        problems = tuple(
            pre
            + ident
            + [
                Problem(
                    JC434,
                    "pinned: this exact certificate is in the truststore, so Java accepts it "
                    "with no further check (no dates, key usage or algorithms)",
                    severity=Severity.INFO,
                )
            ]
        )
        return _verdict(problems, (sent[0],), pinned=True)
    result = _ordered(sent, anchors, params)
    if result is None:
        result = _build(sent, anchors, params)
    found, path = result
    return _verdict(tuple(pre + found + ident), path)


def _verdict(
    problems: tuple[Problem, ...], path: tuple[x509.Certificate, ...], pinned: bool = False
) -> ChainVerdict:
    accepted = not problems or not any(p.severity is Severity.ERROR for p in problems)
    return ChainVerdict(accepted, problems, path, pinned)


def _ordered(
    sent: list[x509.Certificate], anchors: Anchors, params: TrustParams
) -> tuple[list[Problem], tuple[x509.Certificate, ...]] | None:
    """Steps 1-2 of PKIXValidator: None means 'go to the builder'."""
    if len(sent) > 1 and subject_of(sent[1]) != issuer_of(sent[0]):
        return None
    end, candidates = _tail_plan(sent, anchors)
    if end is not None:
        return None if end < 0 else _anchored(sent, end, anchors, params)
    if not candidates:
        return None
    return _first_valid(sent, candidates, params)


def _first_valid(
    path: list[x509.Certificate],
    candidates: tuple[x509.Certificate, ...],
    params: TrustParams,
) -> tuple[list[Problem], tuple[x509.Certificate, ...]]:
    """The first anchor ``path`` validates under, as PKIXCertPathValidator tries them; none:
    the one with the fewest errors, to explain."""
    best: tuple[list[Problem], tuple[x509.Certificate, ...]] | None = None
    for anchor in candidates:
        problems = _validate(path, anchor, params)
        if not problems or _errors(problems) == 0:  # (most chains: no problem at all)
            return problems, (*path, anchor)
        if best is None or _errors(problems) < _errors(best[0]):
            best = (problems, (*path, anchor))
    assert best is not None
    return best


def _tail_plan(
    sent: list[x509.Certificate], anchors: Anchors
) -> tuple[int | None, tuple[x509.Certificate, ...]]:
    """What steps 1-2 find after the leaf (whose issuer names ``sent[1]``), from ``sent[1:]``
    alone: (i, ()) - ``sent[i]`` is trusted; (-1, ()) - the order breaks (the builder's turn);
    (None, anchors the last certificate names as issuer, key ids matching). The same
    intermediates come with thousands of leaves: once per tail in a run."""
    if len(sent) == 1:
        return _plan(sent, anchors)
    key = _ids(sent, id(anchors))
    table = memo.table("tail_plan", 50_000)
    found = table.get(key)
    if found is None or found[0]() is not anchors:  # a freed one's id may be reused
        found = table[key] = (weakref.ref(anchors), _plan(sent, anchors))
    plan: tuple[int | None, tuple[x509.Certificate, ...]] = found[1]
    return plan


def _plan(
    sent: list[x509.Certificate], anchors: Anchors
) -> tuple[int | None, tuple[x509.Certificate, ...]]:
    for i in range(1, len(sent)):
        if i > 1 and subject_of(sent[i]) != issuer_of(sent[i - 1]):
            return -1, ()
        if anchors.trusted(sent[i]) is not None:
            return i, ()
    # "Apparently issued by a trust anchor": the validator tries each anchor of that name and
    # there is no fallback to the builder.
    last = sent[-1]
    return None, tuple(a for a in anchors.issuers_of(last) if key_ids_match(last, a))


def _anchored(
    sent: list[x509.Certificate], i: int, anchors: Anchors, params: TrustParams
) -> tuple[list[Problem], tuple[x509.Certificate, ...]]:
    """Step 2: ``sent[i]`` is trusted; the part below it is validated against the anchors
    PKIXCertPathValidator's selector takes (the name ``sent[i-1]`` gives as issuer and, when it
    has an AKI, that key identifier) - the trusted certificate first. None taken: Java finds
    no anchor ("Path does not chain with any of the trust anchors") and does not build."""
    anchor = anchors.trusted(sent[i])
    assert anchor is not None
    path = sent[:i]
    child = path[-1]
    candidates = [a for a in (anchor, *anchors.issuers_of(child)) if key_ids_match(child, a)]
    if not candidates:
        problem = Problem(
            JC401,
            f"{name_of(sent[i])} is in the truststore, but the AuthorityKeyIdentifier of "
            f"{name_of(child)} differs from its SubjectKeyIdentifier: Java does not chain them",
            KEY_ID_FIX,
        )
        return [*validate_partial(path, params), problem], (*path, anchor)
    return _first_valid(path, tuple(dict.fromkeys(candidates)), params)


def _errors(problems: list[Problem]) -> int:
    return sum(1 for p in problems if p.severity is Severity.ERROR)


def _build(
    sent: list[x509.Certificate], anchors: Anchors, params: TrustParams
) -> tuple[list[Problem], tuple[x509.Certificate, ...]]:
    """Step 3: the path builder. Accept the first path that validates; else explain the best."""
    pool = sent[1:]
    best: tuple[list[Problem], tuple[x509.Certificate, ...]] | None = None
    best_errors = 0
    for path, anchor in _candidates(sent[0], pool, anchors):
        problems = _validate(path, anchor, params)
        intermediates = sum(1 for c in path[1:] if not self_issued(c))
        if intermediates > BUILDER_MAX_INTERMEDIATES:
            problems.append(
                Problem(
                    JC419,
                    f"the path needs {intermediates} intermediates but the certificates are "
                    "not sent in order; Java's path builder stops at 5",
                    "send the chain in order: leaf, its issuer, that one's issuer, ...",
                )
            )
        # The builder validates the path; the leaf's usage is checked after it (EndEntityChecker).
        errors = [p for p in problems if p.severity is Severity.ERROR and p.rule not in LEAF_RULES]
        if not errors:
            return problems, (*path, anchor)
        if best is None or len(errors) < best_errors:
            best, best_errors = (problems, (*path, anchor)), len(errors)
    if best is not None:
        return [_builder_failed(best[0]), *best[0]], best[1]
    return no_path(sent, pool, anchors, params), tuple(longest_chain(sent[0], pool))


def _builder_failed(problems: list[Problem]) -> Problem:
    """Java's SunCertPathBuilder reports only 'unable to find valid certification path' when
    every candidate path fails validation; the reasons below say why each one failed."""
    first = next(p for p in problems if p.severity is Severity.ERROR and p.rule not in LEAF_RULES)
    return Problem(
        JC401,
        "Java's path builder finds no valid certification path (the best candidate fails: "
        f"{first.message})",
        first.fix,
    )


# Work cap of the path search: Java's builder gives up after a bounded search (maxPathLength 5
# intermediates; SunCertPathBuilder visits each candidate once per state); same-name
# certificates otherwise make the number of name-chained paths exponential.
MAX_BUILDER_STEPS = 2000


def _candidates(
    leaf: x509.Certificate, pool: list[x509.Certificate], anchors: Anchors
) -> Iterator[tuple[list[x509.Certificate], x509.Certificate]]:
    """Name-chained paths from ``leaf`` through ``pool`` to an anchor (anchors first), at most
    :data:`MAX_BUILDER_STEPS` search steps; certificates are compared by content."""
    unique: dict[bytes, x509.Certificate] = {}
    for cert in pool:
        unique.setdefault(cert_id(cert), cert)
    steps = [0]

    def walk(
        path: list[x509.Certificate],
    ) -> Iterator[tuple[list[x509.Certificate], x509.Certificate]]:
        top = path[-1]
        steps[0] += 1
        for anchor in anchors.by_subject(top.issuer):
            if key_ids_match(top, anchor):
                yield list(path), anchor
        if len(path) > BUILDER_MAX_INTERMEDIATES + 1 or steps[0] > MAX_BUILDER_STEPS:
            return
        used = {cert_id(p) for p in path}
        for key, cert in unique.items():
            if key in used or not same_name(cert.subject, top.issuer):
                continue
            if not key_ids_match(top, cert):
                continue
            if anchors.trusted(cert) is not None:
                continue  # reached through the anchor itself
            yield from walk([*path, cert])

    yield from walk([leaf])


def _validate(
    path: list[x509.Certificate], anchor: x509.Certificate, params: TrustParams
) -> list[Problem]:
    """Every PKIX problem of ``path`` (leaf first) under ``anchor``."""
    problems = anchor_problems(anchor, params)
    problems += cert_problems(path[0], 0, path[1] if len(path) > 1 else anchor, params)
    if len(path) > 1:
        problems += _tail_problems(path, anchor, params)
    problems += leaf_usage(path[0])
    return problems


def _tail_problems(
    path: list[x509.Certificate], anchor: x509.Certificate, params: TrustParams
) -> list[Problem]:
    """The problems of ``path[1:]`` (each certificate, then its CA checks), once per tail in a
    run when they cannot depend on the leaf: no name constraints above it (they judge the
    leaf's names) and ``path[1]`` a CA (JC406 names the certificate it issued)."""
    key = _ids(path, cert_id(anchor), params)
    table = memo.table("tail_problems", 50_000)
    found: tuple[Problem, ...] | None = table.get(key)
    if found is not None:
        return list(found)
    problems: list[Problem] = []
    for j in range(1, len(path)):
        issuer = path[j + 1] if j + 1 < len(path) else anchor
        problems += cert_problems(path[j], j, issuer, params)
        problems += ca_problems(path[j], path, j)
    if _leaf_free(path):
        table[key] = tuple(problems)
    return problems


def _ids(chain: list[x509.Certificate], *head: object) -> tuple[object, ...]:
    """``head`` and the ids of ``chain[1:]``: a memo key for what follows the leaf (one
    intermediate, the usual chain, without a generator)."""
    if len(chain) == 2:
        return (*head, cert_id(chain[1]))
    return (*head, *(cert_id(c) for c in chain[1:]))


def _leaf_free(path: list[x509.Certificate]) -> bool:
    """The tail's problems do not mention or judge ``path[0]``."""
    bc = extension(path[1], x509.BasicConstraints)
    if bc is None or not bc.ca:
        return False
    return all(extension(c, x509.NameConstraints) is None for c in path[1:])


__all__ = ["Anchors", "ChainVerdict", "Problem", "TrustParams", "judge", "name_of", "signature_ok"]
