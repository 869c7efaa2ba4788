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

from collections.abc import Iterator
from dataclasses import dataclass

from cryptography import x509

from jettycfg.rules import Severity
from jettycfg.rules.chains import JC401, JC415, JC418, JC419, JC434, JC440
from jettycfg.rules.stores import JC320
from jettycfg.trust import algorithms
from jettycfg.trust.anchors import Anchors, signature_ok
from jettycfg.trust.checks import (
    anchor_problems,
    ca_problems,
    cert_problems,
    dates,
    identity,
    leaf_usage,
    self_issued,
)
from jettycfg.trust.names import issuer_of, same_name, subject_of
from jettycfg.trust.problem import Problem, TrustParams, name_of

BUILDER_MAX_INTERMEDIATES = 5


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
    cap = algorithms.chain_cap(params.java)
    if len(sent) > cap:
        pre.append(
            Problem(
                JC415,
                f"the client sends {len(sent)} certificates; Java "
                f"{params.java} accepts at most {cap}",
                "send a shorter chain",
            )
        )
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
    accepted = not any(p.severity is Severity.ERROR for p in problems)
    return ChainVerdict(accepted, problems, path, pinned)


def _ordered(
    sent: list[x509.Certificate], anchors: Anchors, params: TrustParams
) -> tuple[list[Problem], tuple[x509.Certificate, ...]] | None:
    """Steps 1-2 of PKIXValidator: None means 'go to the builder'."""
    for i in range(1, len(sent)):
        if subject_of(sent[i]) != issuer_of(sent[i - 1]):
            return None
        anchor = anchors.trusted(sent[i])
        if anchor is not None:
            path = sent[:i]
            return _validate(path, anchor, params), (*path, anchor)
    # "Apparently issued by a trust anchor": the validator tries each anchor of that name and
    # there is no fallback to the builder.
    candidates = anchors.issuers_of(sent[-1])
    if not candidates:
        return None
    best: tuple[list[Problem], tuple[x509.Certificate, ...]] | None = None
    for anchor in candidates:
        problems = _validate(sent, anchor, params)
        if not any(p.severity is Severity.ERROR for p in problems):
            return problems, (*sent, anchor)
        if best is None or _errors(problems) < _errors(best[0]):
            best = (problems, (*sent, anchor))
    return best


def _errors(problems: list[Problem]) -> int:
    return sum(1 for p in problems if p.severity is Severity.ERROR)


def _build(
    sent: list[x509.Certificate], anchors: Anchors, params: TrustParams
) -> tuple[list[Problem], tuple[x509.Certificate, ...]]:
    """Step 3: the path builder. Accept the first path that validates; else explain the best."""
    pool = sent[1:]
    best: tuple[list[Problem], tuple[x509.Certificate, ...]] | None = None
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
        errors = [p for p in problems if p.severity is Severity.ERROR]
        if not errors:
            return problems, (*path, anchor)
        if best is None or len(errors) < len([p for p in best[0] if p.severity is Severity.ERROR]):
            best = (problems, (*path, anchor))
    if best is not None:
        return best
    return _no_path(sent, pool, anchors, params), tuple(_longest_chain(sent[0], pool))


def _candidates(
    leaf: x509.Certificate, pool: list[x509.Certificate], anchors: Anchors
) -> Iterator[tuple[list[x509.Certificate], x509.Certificate]]:
    """Every name-chained path from ``leaf`` through ``pool`` to an anchor (anchors first)."""

    def walk(
        path: list[x509.Certificate],
    ) -> Iterator[tuple[list[x509.Certificate], x509.Certificate]]:
        top = path[-1]
        for anchor in anchors.by_subject(top.issuer):
            yield list(path), anchor
        if len(path) > 10:
            return
        for cert in pool:
            if any(cert is p for p in path) or not same_name(cert.subject, top.issuer):
                continue
            if anchors.trusted(cert) is not None:
                continue  # reached through the anchor itself
            yield from walk([*path, cert])

    yield from walk([leaf])


def _longest_chain(leaf: x509.Certificate, pool: list[x509.Certificate]) -> list[x509.Certificate]:
    chain = [leaf]
    while len(chain) <= 10:
        nxt = next(
            (
                c
                for c in pool
                if c not in chain
                and same_name(c.subject, chain[-1].issuer)
                and not self_issued(chain[-1])
            ),
            None,
        )
        if nxt is None:
            break
        chain.append(nxt)
    return chain


def _no_path(
    sent: list[x509.Certificate],
    pool: list[x509.Certificate],
    anchors: Anchors,
    params: TrustParams,
) -> list[Problem]:
    chain = _longest_chain(sent[0], pool)
    top = chain[-1]
    problems = _validate_partial(chain, params)
    issuer = top.issuer.rfc4514_string() or "(empty)"
    if self_issued(top) and len(chain) == 1:
        problems.append(
            Problem(
                JC418,
                f"self-signed certificate {name_of(top)} is not in the truststore",
                "import this certificate into the truststore (self-signed client certificates are "
                "trusted one by one)",
            )
        )
    elif self_issued(top):
        problems.append(
            Problem(
                JC401,
                f"the chain ends at root CA {name_of(top)}, which is not in the truststore",
                f"import CA {name_of(top)} into the truststore",
            )
        )
    else:
        problems.append(
            Problem(
                JC401,
                f"the issuer '{issuer}' of {name_of(top)} is neither sent by the client nor "
                "in the truststore (Java does not fetch missing intermediates)",
                "send the intermediate CA with the client certificate, or import CA "
                f"'{issuer}' into the truststore",
            )
        )
    return problems


def _validate_partial(chain: list[x509.Certificate], params: TrustParams) -> list[Problem]:
    """Problems visible without an anchor (dates, leaf usage), to report them all at once."""
    problems: list[Problem] = []
    for j, cert in enumerate(chain):
        problems += dates(cert, j, params)
    problems += leaf_usage(chain[0])
    return problems


def _validate(
    path: list[x509.Certificate], anchor: x509.Certificate, params: TrustParams
) -> list[Problem]:
    """Every PKIX problem of ``path`` (leaf first) under ``anchor``."""
    problems: list[Problem] = []
    problems += anchor_problems(anchor, params)
    for j, cert in enumerate(path):
        issuer = path[j + 1] if j + 1 < len(path) else anchor
        problems += cert_problems(cert, j, issuer, params)
        if j >= 1:
            problems += ca_problems(cert, path, j)
    problems += leaf_usage(path[0])
    return problems


__all__ = ["Anchors", "ChainVerdict", "Problem", "TrustParams", "judge", "name_of", "signature_ok"]
