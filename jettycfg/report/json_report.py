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
    return {
        **_head(result),
        "client_certificates": [_client(c) for c in result.clients],
        **_tail(result),
    }


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


def _tail(result: LintResult) -> dict[str, object]:
    return {"summary": result.summary()}


def _client(c: ClientResult, chain: bool = True) -> dict[str, object]:
    out: dict[str, object] = {
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
    if chain:
        out["chain"] = [vars(s) for s in c.chain]
    return out


def render_json(result: LintResult) -> str:
    # Indented for people; past 200 certificates compact, so that json's C encoder does it.
    if len(result.clients) <= 200:
        return json.dumps(as_dict(result), indent=2) + "\n"
    return _compact(result)


def _compact(result: LintResult) -> str:
    """``json.dumps(as_dict(result))`` and a line break, with each distinct chain
    certificate's summary encoded once (an intermediate comes with thousands of clients);
    joined once, so that the report is held twice at most (its pieces, then the text)."""
    encode = json.JSONEncoder().encode
    known: dict[int, str] = {}  # id of a summary (held by the result) -> its JSON

    def summary(s: object) -> str:
        found = known.get(id(s))
        if found is None:
            found = known[id(s)] = encode(vars(s))
        return found

    head = ", ".join(f"{encode(k)}: {encode(v)}" for k, v in _head(result).items())
    tail = ", ".join(f"{encode(k)}: {encode(v)}" for k, v in _tail(result).items())
    pieces = ["{", head, ', "client_certificates": [']
    for i, c in enumerate(result.clients):
        # a client's dict is never empty and "chain" is its last key
        pieces += [", " if i else "", encode(_client(c, chain=False))[:-1], ', "chain": [']
        pieces += [", ".join(map(summary, c.chain)), "]}"]
    pieces += ["], ", tail, "}\n"]
    return "".join(pieces)
