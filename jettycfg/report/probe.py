"""Text and JSON views of a probe result."""

from __future__ import annotations

import json
from typing import Any

import jettycfg
from jettycfg.jetty.clientauth import ClientAuth
from jettycfg.probe.run import ProbeResult
from jettycfg.report.json_report import finding_json


def as_dict(result: ProbeResult) -> dict[str, object]:
    return {
        "jettycfg_version": jettycfg.__version__,
        "target": result.target,
        "tls_version": result.tls_version,
        "cipher": result.cipher,
        "http_status": result.http_status,
        "client_auth": result.client_auth,
        "acceptable_ca_names": result.acceptable_ca_names,
        "server_certificates": [
            {**vars(c), "subject_alternative_names": sans}
            for c, sans in zip(result.server_certificates, result.server_sans, strict=True)
        ],
        "server_chain_valid": result.server_chain_valid,
        "hostname_matches": result.hostname_matches,
        "client_certificate": result.client_certificate,
        "prediction": result.prediction,
        "findings": [finding_json(f) for f in result.findings],
    }


def render_probe(result: ProbeResult, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(as_dict(result), indent=2) + "\n"
    yes_no = {True: "yes", False: "NO", None: "not checked"}
    lines = [
        f"probe {result.target}: {result.tls_version}, {result.cipher}",
        f"client auth: {result.client_auth}",
    ]
    if result.client_auth is not ClientAuth.OFF:
        lines.append("acceptable CA names:" + ("" if result.acceptable_ca_names else " (none)"))
        lines += [f"  - {n}" for n in result.acceptable_ca_names]
    lines.append("server certificate chain:")
    for cert, sans in zip(result.server_certificates, result.server_sans, strict=True):
        lines.append(
            f"  - {cert.subject}  (issuer {cert.issuer}; until {cert.not_after[:10]};"
            f" SAN {', '.join(sans) or '-'})"
        )
    lines.append(
        f"chain valid: {yes_no[result.server_chain_valid]}, host name matches: "
        f"{yes_no[result.hostname_matches]}"
    )
    client = result.client_certificate
    if client is not None:
        lines += _client_lines(client)
    if result.prediction is not None:
        p = result.prediction
        said = ""
        if "client_certificate_accepted" in p:
            verdict = "accepted" if p["client_certificate_accepted"] else "rejected"
            said = f", certificate {verdict}"
        lines.append(f"lint's prediction for {p['base']}: client auth {p['client_auth']}{said}")
    for f in result.findings:
        lines.append(f"{f.severity.label:<7} {f.rule} {f.message}")
    return "\n".join(lines) + "\n"


def _client_lines(client: dict[str, Any]) -> list[str]:
    """The server's verdict on the client certificate, then JOC's login stage."""
    if client["accepted"]:
        verdict = "ACCEPTED"
    elif client["sent"]:
        verdict = "REJECTED"
    else:  # nothing reached the server: not asked for, or no signature the key can make
        verdict = "NOT SENT by the TLS client"
    alert = f" (alert {client['alert']})" if client["alert"] and client["sent"] else ""
    account = client["joc_account"] or "none (JOC reads no CN from it)"
    lines = [f"client certificate {client['subject']}: {verdict}{alert}; JOC account: {account}"]
    lines += [f"  JOC login: {p}" for p in client["joc_login_problems"]]
    return lines
