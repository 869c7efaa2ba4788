"""SARIF 2.1.0 for code-scanning dashboards; rule metadata comes from the rule registry."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import jettycfg
from jettycfg.lint.findings import Finding, Severity
from jettycfg.lint.registry import RULES
from jettycfg.lint.runner import LintResult

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _location(path: str, base: str) -> dict[str, str]:
    """SARIF's artifactLocation: inside the base a percent-encoded relative reference to
    JETTY_BASE (``#``, ``%``, blanks), else an absolute file URI."""
    p = Path(path)
    try:
        relative = p.resolve().relative_to(Path(base).resolve()).as_posix()
    except ValueError:
        return {"uri": p.resolve().as_uri()}
    encoded = quote(relative.encode("utf-8", "surrogateescape"), safe="/")
    return {"uri": encoded, "uriBaseId": "JETTY_BASE"}


def _result(f: Finding, index: dict[str, int], base: str) -> dict[str, object]:
    text = f.message + (f" Fix: {f.fix}" if f.fix else "")
    out: dict[str, object] = {
        "ruleId": f.rule,
        "level": LEVEL[f.severity],
        "message": {"text": text},
    }
    if f.rule in index:
        out["ruleIndex"] = index[f.rule]
    if f.file:
        location: dict[str, object] = {"artifactLocation": _location(f.file, base)}
        if f.line:
            location["region"] = {"startLine": f.line}
        out["locations"] = [{"physicalLocation": location}]
    return out


def render_sarif(result: LintResult) -> str:
    codes = sorted(RULES)
    index = {code: i for i, code in enumerate(codes)}
    rules = []
    for code in codes:
        r = RULES[code]
        rules.append(
            {
                "id": code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.doc},
                "help": {"text": r.doc},
                "defaultConfiguration": {"level": LEVEL[r.severity]},
            }
        )
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "jettycfg",
                        "version": jettycfg.__version__,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {
                    "JETTY_BASE": {"uri": Path(result.base).resolve().as_uri() + "/"}
                },
                "results": [_result(f, index, result.base) for f in result.all_findings],
            }
        ],
    }
    return json.dumps(doc, indent=2) + "\n"
