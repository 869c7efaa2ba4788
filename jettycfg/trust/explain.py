"""Why a client chain has no trusted path, in words: the longest chain the sent certificates
make, what is visible on it without an anchor, and what is missing above it."""

from __future__ import annotations

from cryptography import x509

from jettycfg.rules.chains import JC401, JC418
from jettycfg.trust.anchors import Anchors
from jettycfg.trust.checks import dates, leaf_usage, self_issued
from jettycfg.trust.names import same_name
from jettycfg.trust.problem import Problem, TrustParams, name_of

KEY_ID_FIX = "issue it with its CA's own key identifier (or import the CA whose key id it names)"


def longest_chain(leaf: x509.Certificate, pool: list[x509.Certificate]) -> list[x509.Certificate]:
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


def no_path(
    sent: list[x509.Certificate],
    pool: list[x509.Certificate],
    anchors: Anchors,
    params: TrustParams,
) -> list[Problem]:
    chain = longest_chain(sent[0], pool)
    top = chain[-1]
    problems = validate_partial(chain, params)
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
    elif anchors.issuers_of(top):  # a CA of that name is there, but not the one it names
        problems.append(
            Problem(
                JC401,
                f"the truststore holds CA '{issuer}', but its SubjectKeyIdentifier differs from "
                f"the AuthorityKeyIdentifier of {name_of(top)}: Java does not chain them",
                KEY_ID_FIX,
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


def validate_partial(chain: list[x509.Certificate], params: TrustParams) -> list[Problem]:
    """Problems visible without an anchor (dates, leaf usage), to report them all at once."""
    problems: list[Problem] = []
    for j, cert in enumerate(chain):
        problems += dates(cert, j, params)
    problems += leaf_usage(chain[0])
    return problems
