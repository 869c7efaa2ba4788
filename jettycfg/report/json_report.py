"""The JSON report: a documented, stable schema (see README, "lint --format json")."""

from __future__ import annotations

import json

import jettycfg
from jettycfg.lint.findings import Finding
from jettycfg.lint.registry import RULES
from jettycfg.lint.runner import LintResult

SCHEMA_VERSION = 1


def finding_json(f: Finding, with_location: bool = True) -> dict[str, object]:
    out: dict[str, object] = {
        "rule": f.rule,
        "name": RULES[f.rule].name if f.rule in RULES else None,
        "severity": f.severity.label,
        "message": f.message,
    }
    if with_location:
        out.update({"file": f.file, "line": f.line})
    out["fix"] = f.fix or None
    return out


def as_dict(result: LintResult) -> dict[str, object]:
    return {
        "schema_version": SCHEMA_VERSION,
        "jettycfg_version": jettycfg.__version__,
        "base": result.base,
        "jetty_version": result.jetty_version,
        "jetty_version_known": result.jetty_version_known,
        "java_version": result.java_version,
        "at": result.at.isoformat(),
        "client_auth": result.client_auth,
        "findings": [finding_json(f) for f in result.findings],
        "client_certificates": [
            {
                "file": c.file,
                "subject": c.subject,
                "common_name": c.common_name,
                "accepted": c.accepted,
                "pinned": c.pinned,
                "problems": [finding_json(p, with_location=False) for p in c.problems],
                "login": None
                if c.login is None
                else {
                    "possible": c.login.possible,
                    "account": c.login.account,
                    "problems": [finding_json(p, with_location=False) for p in c.login.problems],
                },
                "chain": [vars(s) for s in c.chain],
            }
            for c in result.clients
        ],
        "summary": result.summary(),
    }


def render_json(result: LintResult) -> str:
    # Indented for people; past 200 certificates compact, so that json's C encoder does it.
    indent = 2 if len(result.clients) <= 200 else None
    return json.dumps(as_dict(result), indent=indent) + "\n"
