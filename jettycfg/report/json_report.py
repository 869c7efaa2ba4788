"""The JSON report: a documented, stable schema (see README, "lint --format json")."""

from __future__ import annotations

import json

import jettycfg
from jettycfg.lint.findings import Finding
from jettycfg.lint.registry import RULES
from jettycfg.lint.runner import ClientResult, LintResult

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
    doc = _head(result)
    doc["client_certificates"] = [{**_client(c), "chain": _chain(c)} for c in result.clients]
    doc["summary"] = result.summary()
    return doc


def _head(result: LintResult) -> dict[str, object]:
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
    }


def _client(c: ClientResult) -> dict[str, object]:
    """One client certificate's entry, without its chain (which comes last)."""
    return {
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
    }


def _chain(c: ClientResult) -> list[dict[str, object]]:
    return [vars(s) for s in c.chain]


def render_json(result: LintResult) -> str:
    """Indented for people; past 200 certificates compact (json's C encoder), and each chain
    certificate's summary encoded once: the intermediates recur in thousands of entries. The
    text is what ``json.dumps(as_dict(result))`` gives (tests/lint/test_json_report.py)."""
    if len(result.clients) <= 200:
        return json.dumps(as_dict(result), indent=2) + "\n"
    encoded: dict[int, str] = {}  # id(summary) -> its JSON; the summaries live in ``result``

    def summary(s: object) -> str:
        found = encoded.get(id(s))
        if found is None:
            found = encoded[id(s)] = json.dumps(vars(s))
        return found

    entries = ", ".join(
        json.dumps(_client(c))[:-1] + ', "chain": [' + ", ".join(map(summary, c.chain)) + "]}"
        for c in result.clients
    )
    doc = _head(result)
    doc["client_certificates"] = []
    doc["summary"] = result.summary()
    # the first '"client_certificates": []' is the key: in a string, json escapes the quotes
    before, key, after = json.dumps(doc).partition('"client_certificates": []')
    return before + key[:-1] + entries + "]" + after + "\n"
