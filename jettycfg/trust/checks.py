"""The per-certificate checks of Java's PKIX validation and its TLS-client end-entity check:
dates, signatures, algorithms, critical extensions, CA constraints, leaf key usage. Each problem
carries its rule code and a fix."""

from __future__ import annotations

import ipaddress
from typing import TypeVar

from cryptography import x509

from jettycfg import memo
from jettycfg.certs import cert_id, critical_oids, extension_table, facts, validity
from jettycfg.rules import Severity
from jettycfg.rules.chains import (
    JC403,
    JC404,
    JC405,
    JC406,
    JC407,
    JC408,
    JC409,
    JC410,
    JC411,
    JC412,
    JC413,
    JC414,
    JC416,
    JC417,
    JC430,
)
from jettycfg.trust import algorithms
from jettycfg.trust.anchors import signature_ok
from jettycfg.trust.constraints import name_constraint_violation
from jettycfg.trust.names import same_name
from jettycfg.trust.problem import Problem, TrustParams, name_of

_E = TypeVar("_E", bound="x509.ExtensionType")


NS_CERT_TYPE = "2.16.840.1.113730.1.1"
# Critical extensions Java's PKIX checkers process; any other critical one is fatal.


KNOWN_CRITICAL = frozenset(
    {
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
)
KNOWN_CRITICAL_LEAF = KNOWN_CRITICAL | {NS_CERT_TYPE}  # the TLS end-entity checker reads it


CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"


ANY_EKU = "2.5.29.37.0"


def self_issued(cert: x509.Certificate) -> bool:
    return same_name(cert.subject, cert.issuer)


def role(j: int) -> str:
    return "the client certificate" if j == 0 else "intermediate"


def dates(cert: x509.Certificate, j: int, params: TrustParams) -> list[Problem]:
    def who() -> str:  # named only when there is a problem to report
        return f"{role(j)} {name_of(cert)}"

    not_before, not_after = validity(cert)
    if params.at > not_after:
        return [
            Problem(
                JC404,
                f"{who()} expired on {not_after:%Y-%m-%d}",
                "issue a new certificate" if j == 0 else "send the renewed intermediate",
            )
        ]
    if params.at < not_before:
        return [
            Problem(
                JC405,
                f"{who()} is not valid before {not_before:%Y-%m-%d %H:%M} UTC",
                "check the clocks of the CA and the server",
            )
        ]
    return []


def anchor_problems(anchor: x509.Certificate, params: TrustParams) -> list[Problem]:
    table = memo.table("anchor_problems")
    key = (cert_id(anchor), params.java)
    found: list[Problem] | None = table.get(key)
    if found is None:
        found = table[key] = _anchor_checks(anchor, params)
    return list(found)


def _anchor_checks(anchor: x509.Certificate, params: TrustParams) -> list[Problem]:

    problems = [
        Problem(JC414, f"trust anchor {name_of(anchor)}: {i.message}", "replace the CA")
        for i in algorithms.key_issues(anchor, params.java)
        if i.disabled
    ]
    if anchor.version is x509.Version.v1:
        return problems
    bc = extension(anchor, x509.BasicConstraints)
    ku = extension(anchor, x509.KeyUsage)
    if bc is None or not bc.ca:
        problems.append(
            Problem(
                JC416,
                f"truststore certificate {name_of(anchor)} is not a CA (no BasicConstraints "
                "CA:TRUE), so Java does not accept certificates it issued",
                "import the real CA certificate, or the client certificate itself",
            )
        )
    elif ku is not None and not ku.key_cert_sign:
        problems.append(
            Problem(
                JC416,
                f"truststore certificate {name_of(anchor)} has KeyUsage without "
                "keyCertSign, so it cannot issue certificates",
                "import a proper CA certificate",
            )
        )
    return problems


def extension(cert: x509.Certificate, kind: type[_E]) -> _E | None:
    """The value of extension ``kind``, from a per-certificate table built once (keyed by the
    value's exact type, so a hit is a ``kind``)."""
    found: _E | None = extension_table(cert).get(kind)
    return found


def cert_problems(
    cert: x509.Certificate, j: int, issuer: x509.Certificate, params: TrustParams
) -> list[Problem]:
    """Intermediates recur in thousands of chains: judge each (cert, issuer) pair once."""
    if j == 0:
        return _cert_checks(cert, j, issuer, params)
    table = memo.table("cert_problems", 50_000)
    key = (cert_id(cert), cert_id(issuer), j, params)
    found: list[Problem] | None = table.get(key)
    if found is None:
        found = table[key] = _cert_checks(cert, j, issuer, params)
    return list(found)


def _cert_checks(
    cert: x509.Certificate, j: int, issuer: x509.Certificate, params: TrustParams
) -> list[Problem]:
    def who() -> str:  # named only when there is a problem to report
        return f"{role(j)} {name_of(cert)}"

    problems = dates(cert, j, params)
    sig = algorithms.signature_issues(cert, params.java)
    disabled = [i for i in sig if i.disabled] if sig else sig
    if sig:  # (most certificates have none: no comprehension to run)
        problems += [
            Problem(JC414, f"{who()}: {i.message}", "re-issue it with SHA-256") for i in disabled
        ]
        problems += [
            Problem(JC430, f"{who()}: {i.message}", "re-issue it with SHA-256", Severity.WARNING)
            for i in sig
            if not i.disabled
        ]
    if not disabled and not signature_ok(cert, issuer):
        problems.append(
            Problem(
                JC403,
                f"the signature of {who()} does not verify with the key of "
                f"{name_of(issuer)} (right name, wrong key: forged, or issued by another CA of the "
                "same name)",
                "import the CA that really issued it",
            )
        )
    keys = algorithms.key_issues(cert, params.java)
    if keys:
        problems += [
            Problem(JC414, f"{who()}: {i.message}", "use RSA >= 2048 or EC P-256")
            for i in keys
            if i.disabled
        ]
        problems += [
            Problem(JC430, f"{who()}: {i.message}", "use RSA >= 2048 or EC P-256", Severity.WARNING)
            for i in keys
            if not i.disabled
        ]
    allowed = KNOWN_CRITICAL_LEAF if j == 0 else KNOWN_CRITICAL
    for oid in critical_oids(cert):
        dotted = oid.dotted_string
        if dotted not in allowed:
            name = getattr(oid, "_name", "Unknown OID")
            problems.append(
                Problem(
                    JC410,
                    f"{who()} has a critical extension Java does not process: {name} ({dotted})",
                    "issue it without that critical extension",
                )
            )
    return problems


def ca_problems(cert: x509.Certificate, path: list[x509.Certificate], j: int) -> list[Problem]:

    def who() -> str:
        return f"intermediate {name_of(cert)}"

    problems: list[Problem] = []
    bc = extension(cert, x509.BasicConstraints)
    if bc is None or not bc.ca:
        problems.append(
            Problem(
                JC406,
                f"{who()} issued {name_of(path[j - 1])} but is not a CA "
                "(no BasicConstraints CA:TRUE)",
                "issue from a real CA",
            )
        )
    else:
        below = sum(1 for c in path[1:j] if not self_issued(c))
        limit = bc.path_length
        if limit is not None and below > limit:
            problems.append(
                Problem(
                    JC407,
                    f"{who()} allows {limit} intermediate(s) below it, the path has {below}",
                    "shorten the chain",
                )
            )
    ku = extension(cert, x509.KeyUsage)
    if ku is not None and not ku.key_cert_sign:
        problems.append(
            Problem(
                JC408,
                f"{who()} has KeyUsage without keyCertSign",
                "issue the intermediate with keyCertSign",
            )
        )
    nc = extension(cert, x509.NameConstraints)
    if nc is not None:
        for below_cert in path[:j]:
            reason = name_constraint_violation(nc, below_cert)
            if reason:
                problems.append(
                    Problem(
                        JC409,
                        f"{name_of(below_cert)} violates the name constraints of {who()}: {reason}",
                        "issue the certificate inside the permitted names",
                    )
                )
    return problems


def leaf_usage(leaf: x509.Certificate) -> list[Problem]:

    problems = []
    values = extension_table(leaf)
    ku: x509.KeyUsage | None = values.get(x509.KeyUsage)
    if ku is not None and not ku.digital_signature:
        problems.append(
            Problem(
                JC411,
                "the client certificate's KeyUsage lacks "
                "digitalSignature, which TLS client authentication needs",
                "issue it with KeyUsage digitalSignature",
            )
        )
    eku: x509.ExtendedKeyUsage | None = values.get(x509.ExtendedKeyUsage)
    if eku is not None:
        oids = {o.dotted_string for o in eku}
        if CLIENT_AUTH not in oids and ANY_EKU not in oids:
            problems.append(
                Problem(
                    JC412,
                    "the client certificate's ExtendedKeyUsage lacks clientAuth",
                    "issue it with ExtendedKeyUsage clientAuth",
                )
            )
    for value in _netscape_cert_types(leaf) if x509.UnrecognizedExtension in values else ():
        if not _ns_ssl_client(value):
            problems.append(
                Problem(
                    JC413,
                    "the client certificate's Netscape cert type lacks SSL client",
                    "issue it without that extension",
                )
            )
    return problems


def _netscape_cert_types(cert: x509.Certificate) -> tuple[object, ...]:
    """The values of ``cert``'s Netscape cert type extensions (cryptography does not know the
    type; usually none), once per certificate in a run."""
    if x509.UnrecognizedExtension not in extension_table(cert):
        return ()
    known = facts(cert)
    found: tuple[object, ...] | None = known.get("netscape_cert_types")
    if found is None:
        found = known["netscape_cert_types"] = tuple(
            e.value for e in cert.extensions if e.oid.dotted_string == NS_CERT_TYPE
        )
    return found


def _ns_ssl_client(value: object) -> bool:
    raw = getattr(value, "value", b"")
    # BIT STRING: tag, length, unused-bits count, then the bits; SSL client is the first bit.
    return len(raw) >= 4 and bool(raw[3] & 0x80)


def identity(leaf: x509.Certificate, params: TrustParams) -> list[Problem]:
    """Endpoint identification on the server side checks the *client's* address."""

    algorithm = (params.endpoint_identification or "").strip()
    if not algorithm:
        return []
    if algorithm.upper() not in ("HTTPS", "LDAP", "LDAPS"):
        # X509TrustManagerImpl.checkIdentity: "Unknown identification algorithm"
        return [
            Problem(
                JC417,
                f"endpointIdentificationAlgorithm={algorithm} is none Java knows (HTTPS, LDAP, "
                "LDAPS): it refuses every client certificate (Unknown identification algorithm)",
                "set jetty.sslContext.endpointIdentificationAlgorithm= (empty)",
            )
        ]
    san = extension(leaf, x509.SubjectAlternativeName)
    ips = [str(i) for i in san.get_values_for_type(x509.IPAddress)] if san is not None else []
    if params.client_ip is not None and any(
        ipaddress.ip_address(params.client_ip) == ipaddress.ip_address(i) for i in ips
    ):
        return []
    where = f"the client's address {params.client_ip}" if params.client_ip else "each client's IP"
    return [
        Problem(
            JC417,
            f"endpointIdentificationAlgorithm={algorithm} makes Java match the "
            f"client certificate's SubjectAltName against {where}; it has "
            f"{'IP ' + ', '.join(ips) if ips else 'no IP entry'}",
            "set jetty.sslContext.endpointIdentificationAlgorithm= (empty)",
        )
    ]
