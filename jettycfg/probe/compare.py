"""probe --base: lint's prediction for a JETTY_BASE beside what the running server did (JC504)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from cryptography import x509

from jettycfg.jetty.clientauth import ClientAuth
from jettycfg.rules import Finding, Severity
from jettycfg.rules.probe import JC504
from jettycfg.trust.names import canonical, name_from_der

if TYPE_CHECKING:
    from jettycfg.jetty.server import ServerModel
    from jettycfg.probe.run import ProbeOptions, ProbeResult


def _compare_client(
    model: ServerModel,
    client: list[x509.Certificate],
    result: ProbeResult,
    prediction: dict[str, object],
    java: int,
) -> list[str]:
    """The base's verdict on the client certificate beside the server's."""
    from jettycfg.jetty.server import verdict
    from jettycfg.trust.pkix import TrustParams

    params = TrustParams(
        at=dt.datetime.now(dt.timezone.utc),
        java=java,
        endpoint_identification=model.endpoint_identification,
    )
    v = verdict(model, client, params)
    prediction["client_certificate_accepted"] = v.accepted
    prediction["problems"] = [f"{p.rule} {p.message}" for p in v.problems]
    observed = result.client_certificate["accepted"] if result.client_certificate else None
    if v.accepted == observed:
        return []
    return [
        f"the client certificate: base says "
        f"{'accepted' if v.accepted else 'rejected'}, server "
        f"{'accepted' if observed else 'rejected'} it"
    ]


def compare(result: ProbeResult, options: ProbeOptions, client: list[x509.Certificate]) -> None:
    """lint's prediction for --base beside what the server did."""
    from jettycfg.jetty.base import resolve_base
    from jettycfg.jetty.server import model_server

    base = resolve_base(options.base)
    model = model_server(base, options.jetty_version, options.java)
    predicted_names = sorted(
        canonical(c.subject) for c in (model.anchors.certs if model.anchors else [])
    )
    observed_names = sorted(canonical(name_from_der(n)) for n in result.ca_der)
    prediction: dict[str, object] = {
        "base": str(base),
        "jetty_starts": model.starts,
        "client_auth": model.client_auth,
        "acceptable_ca_names": sorted(
            {c.subject.rfc4514_string() for c in (model.anchors.certs if model.anchors else [])}
        ),
    }
    differences = []
    if model.starts and model.client_auth != result.client_auth:
        differences.append(
            f"client auth: base says {model.client_auth}, server does {result.client_auth}"
        )
    if (
        model.starts
        and result.client_auth is not ClientAuth.OFF
        and sorted(set(predicted_names)) != sorted(set(observed_names))
    ):
        differences.append("the acceptable CA names differ from the base's truststore")
    sent = result.client_certificate is not None and result.client_certificate["sent"]
    if client and sent and model.starts:  # unsent, the server's verdict is not known
        differences += _compare_client(model, client, result, prediction, options.java)
    if not model.starts:
        differences.append("with this base Jetty would not start, yet the server runs")
    prediction["differences"] = differences
    result.prediction = prediction
    if differences:
        result.findings.append(
            Finding(
                JC504,
                Severity.ERROR,
                "the running server does not use this configuration: " + "; ".join(differences),
                str(base),
                None,
                "restart the server, or lint the JETTY_BASE it really uses",
            )
        )
