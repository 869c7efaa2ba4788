"""The self-check after issuing or bundling: lint the new certificate against the JETTY_BASE it
is meant for - the handshake as Jetty does it, then JOC's login - and whether the truststore
holds the issuing CA (CA-signed) or the certificate itself (self-signed)."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from jettycfg.client.issue import Issued
from jettycfg.jetty.version import JettyVersion


@dataclass(frozen=True)
class SelfCheck:
    account: str
    handshake: bool
    login: bool
    problems: tuple[str, ...]  # "JC401 message" lines, errors first

    @property
    def ok(self) -> bool:
        return self.handshake and self.login


def truststore_holds(base: Path, version: JettyVersion | None, cert: x509.Certificate) -> bool:
    """Whether Java forms a trust anchor from ``cert`` out of the base's truststore."""
    from jettycfg.certs import cert_id
    from jettycfg.jetty.server import model_server

    model = model_server(base, version)
    # by identity: an anchor may be re-encoded as Java reads it (an extension dropped)
    return model.anchors is not None and any(
        cert_id(a) == cert_id(cert) for a in model.anchors.certs
    )


def self_check(
    issued: list[Issued],
    base: Path,
    version: JettyVersion | None,
    accounts: set[str] | None,
    at: dt.datetime | None = None,
) -> list[SelfCheck]:
    """Judge every new certificate in one lint run (leaf and chain, as the bundle makes the
    client send them)."""
    from jettycfg.api import LintOptions, lint

    with tempfile.TemporaryDirectory(prefix="jettycfg-check-") as tmp:
        files = []
        for n, item in enumerate(issued):
            pem = Path(tmp) / f"{n:06d}.pem"
            sent = (item.cert, *item.chain)
            pem.write_bytes(b"".join(c.public_bytes(Encoding.PEM) for c in sent))
            files.append(pem)
        report = lint(
            base,
            files,
            accounts if accounts is not None else {i.account for i in issued},
            LintOptions(
                jetty_version=str(version) if version else None,
                at=at or dt.datetime.now(dt.timezone.utc),
            ),
        )
    checks = []
    for item, client in zip(issued, report.clients, strict=True):
        problems = sorted(client.problems, key=lambda f: -f.severity)
        checks.append(
            SelfCheck(
                item.account,
                client.accepted,
                client.login is not None and client.login.possible,
                tuple(f"{f.rule} {f.message}" for f in problems),
            )
        )
    return checks
