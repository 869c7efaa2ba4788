"""The rule catalogue: one module per family, each rule declared once as a
:class:`jettycfg.findings.Rule` object (code, name, severities, documentation).

JC1xx ini files, JC2xx client auth and server settings, JC3xx stores, JC4xx client chains and
certificates, JC5xx probe. Detection code (lint checks, the trust engine, the server model,
probe) imports the objects it reports.
"""

from __future__ import annotations

from collections.abc import Iterable

from jettycfg.rules.model import CODES, RULES, Finding, Rule, Severity, declare

__all__ = [
    "CODES",
    "RULES",
    "Finding",
    "Rule",
    "Severity",
    "all_rules",
    "declare",
    "selection",
]


def all_rules() -> dict[str, Rule]:
    """Every declared rule, by code."""
    from jettycfg.rules import chains, clients, ini, probe, server, stores  # noqa: F401

    return RULES


def selection(values: Iterable[str], option: str) -> list[str]:
    """Rule codes or prefixes (``JC4`` = every JC4xx; comma-separated lists too), upper-cased;
    one no rule starts with is a UsageError (a typo would select nothing, silently)."""
    from jettycfg.errors import UsageError

    codes = [c.strip().upper() for v in values for c in v.split(",") if c.strip()]
    known = all_rules()
    for code in codes:
        if not any(name.startswith(code) for name in known):
            raise UsageError(f"{option} {code}: no rule has this code or prefix (jettycfg rules)")
    return codes
