"""What the trust engine reports: problems with rule codes, and the parameters of a check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509

from jettycfg.certs import common_name
from jettycfg.rules import Rule, Severity
from jettycfg.trust import algorithms


@dataclass(frozen=True)
class Problem:
    rule: Rule
    message: str
    fix: str = ""
    severity: Severity = Severity.ERROR  # ERROR rejects the chain; WARNING / INFO do not


@dataclass(frozen=True)
class TrustParams:
    at: dt.datetime
    java: int = algorithms.DEFAULT_JAVA
    endpoint_identification: str | None = None  # non-empty: the client IP is checked
    client_ip: str | None = None
    # jdk.tls.maxCertificateChainLength (SunJSSE's cap on the client's Certificate message);
    # None: the Java version's default (algorithms.chain_cap).
    max_chain: int | None = None


def name_of(cert: x509.Certificate) -> str:
    cn = common_name(cert)
    return f"'{cn}'" if cn else f"'{cert.subject.rfc4514_string() or '(empty subject)'}'"
