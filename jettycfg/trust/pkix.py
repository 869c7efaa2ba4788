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

import datetime as dt
import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from jettycfg.certs import cert_id, common_name, fingerprint
from jettycfg.trust import algorithms
from jettycfg.trust.names import Canonical, canonical, issuer_of, same_name, subject_of

_E = TypeVar("_E", bound="x509.ExtensionType")

BUILDER_MAX_INTERMEDIATES = 5
NS_CERT_TYPE = "2.16.840.1.113730.1.1"
# Critical extensions Java's PKIX checkers process; any other critical one is fatal.
KNOWN_CRITICAL = {
    "2.5.29.15",  # key usage
    "2.5.29.37",  # extended key usage
    "2.5.29.17",  # subject alternative name
    "2.5.29.19",  # basic constraints
    "2.5.29.30",  # name constraints
    "2.5.29.32",  # certificate policies
    "2.5.29.33",  # policy mappings
    "2.5.29.36",  # policy constraints
    "2.5.29.54",  # inhibit any policy
}
CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"
ANY_EKU = "2.5.29.37.0"


@dataclass(frozen=True)
class Problem:
    rule: str
    message: str
    fix: str = ""
    severity: str = "error"  # "error" rejects the chain; "warning"/"info" do not


@dataclass(frozen=True)
class TrustParams:
    at: dt.datetime
    java: int = algorithms.DEFAULT_JAVA
    endpoint_identification: str | None = None  # non-empty: the client IP is checked
    client_ip: str | None = None


@dataclass(frozen=True)
class ChainVerdict:
    accepted: bool
    problems: tuple[Problem, ...]
    path: tuple[x509.Certificate, ...] = ()  # leaf first, anchor last (when one was reached)
    pinned: bool = False

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


def name_of(cert: x509.Certificate) -> str:
    cn = common_name(cert)
    return f"'{cn}'" if cn else f"'{cert.subject.rfc4514_string() or '(empty subject)'}'"


class Anchors:
    """The trust anchors Java forms from a truststore: name + key, looked up canonically."""

    def __init__(self, certs: list[x509.Certificate]):

        self.certs = certs
        self._ids = {cert_id(c) for c in certs}
        self._by_subject: dict[Canonical, list[x509.Certificate]] = {}
        for cert in certs:
            self._by_subject.setdefault(subject_of(cert), []).append(cert)

    def __len__(self) -> int:
        return len(self.certs)

    def by_subject(self, name: x509.Name) -> list[x509.Certificate]:
        return self._by_subject.get(canonical(name), [])

    def issuers_of(self, cert: x509.Certificate) -> list[x509.Certificate]:
        """Anchors whose subject is ``cert``'s issuer."""
        return self._by_subject.get(issuer_of(cert), [])

    def pinned(self, cert: x509.Certificate) -> bool:
        """This exact certificate is in the truststore."""
        return cert_id(cert) in self._ids

    def trusted(self, cert: x509.Certificate) -> x509.Certificate | None:
        """The anchor equal to ``cert`` (same DER, or same subject and key), if any."""
        if cert_id(cert) in self._ids:
            return cert
        same_subject = self._by_subject.get(subject_of(cert))
        if not same_subject:
            return None
        spki = _spki(cert)
        return next((a for a in same_subject if _spki(a) == spki), None)


def _spki(cert: x509.Certificate) -> bytes:

    return cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


_VERIFIED: dict[tuple[bytes, bytes], bool] = {}


def signature_ok(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether ``issuer``'s key verifies ``cert``'s signature (memoized: the intermediates of a
    CA recur in thousands of client chains)."""
    memo = (cert_id(cert), cert_id(issuer))
    found = _VERIFIED.get(memo)
    if found is None:
        if len(_VERIFIED) > 100_000:
            _VERIFIED.clear()
        found = _VERIFIED[memo] = _verify(cert, issuer)
    return found


def _verify(cert: x509.Certificate, issuer: x509.Certificate) -> bool:

    key = issuer.public_key()
    try:
        data, sig, digest = (
            cert.tbs_certificate_bytes,
            cert.signature,
            cert.signature_hash_algorithm,
        )
        if isinstance(key, rsa.RSAPublicKey):
            params = cert.signature_algorithm_parameters
            if digest is None or not isinstance(params, (padding.PSS, padding.PKCS1v15)):
                return False
            key.verify(sig, data, params, digest)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            if digest is None:
                return False
            key.verify(sig, data, ec.ECDSA(digest))
        elif isinstance(key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
            key.verify(sig, data)
        elif isinstance(key, dsa.DSAPublicKey) and digest is not None:
            key.verify(sig, data, digest)
        else:
            return False
        return True
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError):
        return False


def judge(sent: list[x509.Certificate], anchors: Anchors, params: TrustParams) -> ChainVerdict:
    """Decide a chain (leaf first, as the client sends it) the way Java's trust manager does."""
    if not sent:
        return ChainVerdict(False, (Problem("JC440", "the client sent no certificate"),))
    if len(anchors) == 0:
        problem = Problem(
            "JC320",
            "the truststore gives Java no trust anchors: every client certificate fails",
            "import the CA into the truststore",
        )
        return ChainVerdict(False, (problem,))
    pre: list[Problem] = []
    cap = algorithms.chain_cap(params.java)
    if len(sent) > cap:
        pre.append(
            Problem(
                "JC415",
                f"the client sends {len(sent)} certificates; Java "
                f"{params.java} accepts at most {cap}",
                "send a shorter chain",
            )
        )
    identity = _identity(sent[0], params)
    # Only the exact certificate pins a leaf (same subject and key counts for CAs higher up).
    if anchors.pinned(sent[0]):
        problems = tuple(
            pre
            + identity
            + [
                Problem(
                    "JC434",
                    "pinned: this exact certificate is in the truststore, so Java accepts it "
                    "with no further check (no dates, key usage or algorithms)",
                    severity="info",
                )
            ]
        )
        return _verdict(problems, (sent[0],), pinned=True)
    result = _ordered(sent, anchors, params)
    if result is None:
        result = _build(sent, anchors, params)
    found, path = result
    return _verdict(tuple(pre + found + identity), path)


def _verdict(
    problems: tuple[Problem, ...], path: tuple[x509.Certificate, ...], pinned: bool = False
) -> ChainVerdict:
    accepted = not any(p.severity == "error" for p in problems)
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
        if not any(p.severity == "error" for p in problems):
            return problems, (*sent, anchor)
        if best is None or _errors(problems) < _errors(best[0]):
            best = (problems, (*sent, anchor))
    return best


def _errors(problems: list[Problem]) -> int:
    return sum(1 for p in problems if p.severity == "error")


def _build(
    sent: list[x509.Certificate], anchors: Anchors, params: TrustParams
) -> tuple[list[Problem], tuple[x509.Certificate, ...]]:
    """Step 3: the path builder. Accept the first path that validates; else explain the best."""
    pool = sent[1:]
    best: tuple[list[Problem], tuple[x509.Certificate, ...]] | None = None
    for path, anchor in _candidates(sent[0], pool, anchors):
        problems = _validate(path, anchor, params)
        intermediates = sum(1 for c in path[1:] if not _self_issued(c))
        if intermediates > BUILDER_MAX_INTERMEDIATES:
            problems.append(
                Problem(
                    "JC419",
                    f"the path needs {intermediates} intermediates but the certificates are "
                    "not sent in order; Java's path builder stops at 5",
                    "send the chain in order: leaf, its issuer, that one's issuer, ...",
                )
            )
        errors = [p for p in problems if p.severity == "error"]
        if not errors:
            return problems, (*path, anchor)
        if best is None or len(errors) < len([p for p in best[0] if p.severity == "error"]):
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
                and not _self_issued(chain[-1])
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
    if _self_issued(top) and len(chain) == 1:
        problems.append(
            Problem(
                "JC418",
                f"self-signed certificate {name_of(top)} is not in the truststore",
                "import this certificate into the truststore (self-signed client certificates are "
                "trusted one by one)",
            )
        )
    elif _self_issued(top):
        problems.append(
            Problem(
                "JC401",
                f"the chain ends at root CA {name_of(top)}, which is not in the truststore",
                f"import CA {name_of(top)} into the truststore",
            )
        )
    else:
        problems.append(
            Problem(
                "JC401",
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
        problems += _dates(cert, j, params)
    problems += _leaf_usage(chain[0])
    return problems


def _self_issued(cert: x509.Certificate) -> bool:
    return same_name(cert.subject, cert.issuer)


def _role(j: int) -> str:
    return "the client certificate" if j == 0 else "intermediate"


def _dates(cert: x509.Certificate, j: int, params: TrustParams) -> list[Problem]:
    def who() -> str:  # named only when there is a problem to report
        return f"{_role(j)} {name_of(cert)}"

    if params.at > cert.not_valid_after_utc:
        return [
            Problem(
                "JC404",
                f"{who()} expired on {cert.not_valid_after_utc:%Y-%m-%d}",
                "issue a new certificate" if j == 0 else "send the renewed intermediate",
            )
        ]
    if params.at < cert.not_valid_before_utc:
        return [
            Problem(
                "JC405",
                f"{who()} is not valid before {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC",
                "check the clocks of the CA and the server",
            )
        ]
    return []


def _validate(
    path: list[x509.Certificate], anchor: x509.Certificate, params: TrustParams
) -> list[Problem]:
    """Every PKIX problem of ``path`` (leaf first) under ``anchor``."""
    problems: list[Problem] = []
    problems += _anchor_problems(anchor, params)
    for j, cert in enumerate(path):
        issuer = path[j + 1] if j + 1 < len(path) else anchor
        problems += _cert_problems_memo(cert, j, issuer, params)
        if j >= 1:
            problems += _ca_problems(cert, path, j)
    problems += _leaf_usage(path[0])
    return problems


_ANCHOR_MEMO: dict[tuple[bytes, int], list[Problem]] = {}


def _anchor_problems(anchor: x509.Certificate, params: TrustParams) -> list[Problem]:
    key = (cert_id(anchor), params.java)
    found = _ANCHOR_MEMO.get(key)
    if found is None:
        found = _ANCHOR_MEMO[key] = _anchor_checks(anchor, params)
    return list(found)


def _anchor_checks(anchor: x509.Certificate, params: TrustParams) -> list[Problem]:

    problems = [
        Problem("JC414", f"trust anchor {name_of(anchor)}: {i.message}", "replace the CA")
        for i in algorithms.key_issues(anchor, params.java)
        if i.disabled
    ]
    if anchor.version is x509.Version.v1:
        return problems
    bc = _ext(anchor, x509.BasicConstraints)
    ku = _ext(anchor, x509.KeyUsage)
    if bc is None or not bc.ca:
        problems.append(
            Problem(
                "JC416",
                f"truststore certificate {name_of(anchor)} is not a CA (no BasicConstraints "
                "CA:TRUE), so Java does not accept certificates it issued",
                "import the real CA certificate, or the client certificate itself",
            )
        )
    elif ku is not None and not ku.key_cert_sign:
        problems.append(
            Problem(
                "JC416",
                f"truststore certificate {name_of(anchor)} has KeyUsage without "
                "keyCertSign, so it cannot issue certificates",
                "import a proper CA certificate",
            )
        )
    return problems


_EXTS: dict[bytes, dict[type, object]] = {}


def _ext(cert: x509.Certificate, kind: type[_E]) -> _E | None:
    """The value of extension ``kind``, from a per-certificate table built once."""
    key = cert_id(cert)
    table = _EXTS.get(key)
    if table is None:
        if len(_EXTS) > 100_000:
            _EXTS.clear()
        table = _EXTS[key] = {type(e.value): e.value for e in cert.extensions}
    found = table.get(kind)
    return found if isinstance(found, kind) else None


_CERT_MEMO: dict[tuple[bytes, bytes, int, TrustParams], list[Problem]] = {}


def _cert_problems_memo(
    cert: x509.Certificate, j: int, issuer: x509.Certificate, params: TrustParams
) -> list[Problem]:
    """Intermediates recur in thousands of chains: judge each (cert, issuer) pair once."""
    if j == 0:
        return _cert_problems(cert, j, issuer, params)
    key = (cert_id(cert), cert_id(issuer), j, params)
    found = _CERT_MEMO.get(key)
    if found is None:
        if len(_CERT_MEMO) > 50_000:
            _CERT_MEMO.clear()
        found = _CERT_MEMO[key] = _cert_problems(cert, j, issuer, params)
    return list(found)


def _cert_problems(
    cert: x509.Certificate, j: int, issuer: x509.Certificate, params: TrustParams
) -> list[Problem]:
    def who() -> str:  # named only when there is a problem to report
        return f"{_role(j)} {name_of(cert)}"

    problems = _dates(cert, j, params)
    sig = algorithms.signature_issues(cert, params.java)
    disabled = [i for i in sig if i.disabled]
    problems += [
        Problem("JC414", f"{who()}: {i.message}", "re-issue it with SHA-256") for i in disabled
    ]
    problems += [
        Problem("JC430", f"{who()}: {i.message}", "re-issue it with SHA-256", "warning")
        for i in sig
        if not i.disabled
    ]
    if not disabled and not signature_ok(cert, issuer):
        problems.append(
            Problem(
                "JC403",
                f"the signature of {who()} does not verify with the key of "
                f"{name_of(issuer)} (right name, wrong key: forged, or issued by another CA of the "
                "same name)",
                "import the CA that really issued it",
            )
        )
    keys = algorithms.key_issues(cert, params.java)
    problems += [
        Problem("JC414", f"{who()}: {i.message}", "use RSA >= 2048 or EC P-256")
        for i in keys
        if i.disabled
    ]
    problems += [
        Problem("JC430", f"{who()}: {i.message}", "use RSA >= 2048 or EC P-256", "warning")
        for i in keys
        if not i.disabled
    ]
    allowed = KNOWN_CRITICAL | ({NS_CERT_TYPE} if j == 0 else set())
    for ext in cert.extensions:
        if ext.critical and ext.oid.dotted_string not in allowed:
            name = getattr(ext.oid, "_name", "Unknown OID")
            problems.append(
                Problem(
                    "JC410",
                    f"{who()} has a critical extension Java does not process: "
                    f"{name} ({ext.oid.dotted_string})",
                    "issue it without that critical extension",
                )
            )
    return problems


def _ca_problems(cert: x509.Certificate, path: list[x509.Certificate], j: int) -> list[Problem]:

    def who() -> str:
        return f"intermediate {name_of(cert)}"

    problems: list[Problem] = []
    bc = _ext(cert, x509.BasicConstraints)
    if bc is None or not bc.ca:
        problems.append(
            Problem(
                "JC406",
                f"{who()} issued {name_of(path[j - 1])} but is not a CA "
                "(no BasicConstraints CA:TRUE)",
                "issue from a real CA",
            )
        )
    else:
        below = sum(1 for c in path[1:j] if not _self_issued(c))
        limit = bc.path_length
        if limit is not None and below > limit:
            problems.append(
                Problem(
                    "JC407",
                    f"{who()} allows {limit} intermediate(s) below it, the path has {below}",
                    "shorten the chain",
                )
            )
    ku = _ext(cert, x509.KeyUsage)
    if ku is not None and not ku.key_cert_sign:
        problems.append(
            Problem(
                "JC408",
                f"{who()} has KeyUsage without keyCertSign",
                "issue the intermediate with keyCertSign",
            )
        )
    nc = _ext(cert, x509.NameConstraints)
    if nc is not None:
        for below_cert in path[:j]:
            reason = _name_constraint_violation(nc, below_cert)
            if reason:
                problems.append(
                    Problem(
                        "JC409",
                        f"{name_of(below_cert)} violates the name constraints of {who()}: {reason}",
                        "issue the certificate inside the permitted names",
                    )
                )
    return problems


def _leaf_usage(leaf: x509.Certificate) -> list[Problem]:

    problems = []
    ku = _ext(leaf, x509.KeyUsage)
    if ku is not None and not ku.digital_signature:
        problems.append(
            Problem(
                "JC411",
                "the client certificate's KeyUsage lacks "
                "digitalSignature, which TLS client authentication needs",
                "issue it with KeyUsage digitalSignature",
            )
        )
    eku = _ext(leaf, x509.ExtendedKeyUsage)
    if eku is not None:
        oids = {o.dotted_string for o in eku}
        if CLIENT_AUTH not in oids and ANY_EKU not in oids:
            problems.append(
                Problem(
                    "JC412",
                    "the client certificate's ExtendedKeyUsage lacks clientAuth",
                    "issue it with ExtendedKeyUsage clientAuth",
                )
            )
    for ext in leaf.extensions:
        if ext.oid.dotted_string == NS_CERT_TYPE and not _ns_ssl_client(ext.value):
            problems.append(
                Problem(
                    "JC413",
                    "the client certificate's Netscape cert type lacks SSL client",
                    "issue it without that extension",
                )
            )
    return problems


def _ns_ssl_client(value: object) -> bool:
    raw = getattr(value, "value", b"")
    # BIT STRING: tag, length, unused-bits count, then the bits; SSL client is the first bit.
    return len(raw) >= 4 and bool(raw[3] & 0x80)


def _identity(leaf: x509.Certificate, params: TrustParams) -> list[Problem]:
    """Endpoint identification on the server side checks the *client's* address."""

    algorithm = (params.endpoint_identification or "").strip()
    if not algorithm:
        return []
    san = _ext(leaf, x509.SubjectAlternativeName)
    ips = [str(i) for i in san.get_values_for_type(x509.IPAddress)] if san is not None else []
    if params.client_ip is not None and any(
        ipaddress.ip_address(params.client_ip) == ipaddress.ip_address(i) for i in ips
    ):
        return []
    where = f"the client's address {params.client_ip}" if params.client_ip else "each client's IP"
    return [
        Problem(
            "JC417",
            f"endpointIdentificationAlgorithm={algorithm} makes Java match the "
            f"client certificate's SubjectAltName against {where}; it has "
            f"{'IP ' + ', '.join(ips) if ips else 'no IP entry'}",
            "set jetty.sslContext.endpointIdentificationAlgorithm= (empty)",
        )
    ]


def _name_constraint_violation(nc: object, cert: x509.Certificate) -> str:

    permitted = getattr(nc, "permitted_subtrees", None) or []
    excluded = getattr(nc, "excluded_subtrees", None) or []
    subject = cert.subject
    san = _ext(cert, x509.SubjectAlternativeName)
    names: list[object] = list(san) if san is not None else []
    if len(subject.rdns):
        names.append(x509.DirectoryName(subject))
    for name in names:
        same_type = [p for p in permitted if type(p) is type(name)]
        if same_type and not any(_within(name, p) for p in same_type):
            return f"{_show(name)} is outside the permitted names"
        if any(type(e) is type(name) and _within(name, e) for e in excluded):
            return f"{_show(name)} is in the excluded names"
    return ""


def _show(name: object) -> str:
    value = getattr(name, "value", name)
    return value.rfc4514_string() if hasattr(value, "rfc4514_string") else str(value)


def _within(name: object, base: object) -> bool:

    if isinstance(name, x509.DirectoryName) and isinstance(base, x509.DirectoryName):
        own, prefix = canonical(name.value), canonical(base.value)
        return own[: len(prefix)] == prefix
    if isinstance(name, x509.DNSName) and isinstance(base, x509.DNSName):
        n, b = name.value.lower().rstrip("."), base.value.lower().lstrip(".").rstrip(".")
        return n == b or n.endswith("." + b) or not b
    if isinstance(name, x509.RFC822Name) and isinstance(base, x509.RFC822Name):
        n, b = name.value.lower(), base.value.lower()
        return n == b or (b.startswith(".") and n.endswith(b)) or n.endswith("@" + b)
    if isinstance(name, x509.IPAddress) and isinstance(base, x509.IPAddress):
        net = base.value
        return isinstance(net, (ipaddress.IPv4Network, ipaddress.IPv6Network)) and (
            name.value in net
        )
    return True


__all__ = ["Anchors", "ChainVerdict", "Problem", "TrustParams", "fingerprint", "judge"]
