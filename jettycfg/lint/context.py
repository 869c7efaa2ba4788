"""What a lint run looks at: options, the modelled server, the ini files, the client certs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jettycfg.ini.model import IniDocument
from jettycfg.jetty.base import Assignment, Property
from jettycfg.jetty.server import ServerModel
from jettycfg.jetty.version import JettyVersion
from jettycfg.lint.findings import Finding, Severity
from jettycfg.lint.registry import check_severity
from jettycfg.trust.algorithms import DEFAULT_JAVA

if TYPE_CHECKING:
    from cryptography import x509

    from jettycfg.stores.model import Store


@dataclass
class LintOptions:
    base: Path
    client_certs: list[Path] = field(default_factory=list)
    client_p12: list[Path] = field(default_factory=list)
    client_pass: str | None = None
    accounts: set[str] | None = None
    jetty_version: JettyVersion | None = None
    java: int = DEFAULT_JAVA
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    expiry_days: int = 30
    client_ip: str | None = None
    jobs: int = 0  # worker processes for large certificate sets; 0: one per CPU


@dataclass
class ClientCert:
    file: Path
    chain: list[x509.Certificate] = field(default_factory=list)
    error: str | None = None
    bundle: Store | None = None  # the PKCS#12 store, when the client came as a bundle


@dataclass
class LintContext:
    options: LintOptions
    model: ServerModel
    docs: list[IniDocument]

    def finding(
        self,
        rule: str,
        severity: Severity,
        message: str,
        *,
        file: Path | str | None = None,
        line: int | None = None,
        fix: str = "",
        at: Property | Assignment | None = None,
        subject: str | None = None,
    ) -> Finding:
        """A finding located at ``file:line``, or at the line of ``at`` (a property or an
        assignment)."""
        if at is not None and at.origin is not None:
            file, line = at.origin.file, at.origin.line
        check_severity(rule, severity)
        return Finding(
            rule, severity, message, str(file) if file is not None else None, line, fix, subject
        )
