"""The rule catalogue: one module per family, each rule declared once as a
:class:`jettycfg.findings.Rule` object (code, name, severities, documentation).

JC1xx ini files, JC2xx client auth and server settings, JC3xx stores, JC4xx client chains and
certificates, JC5xx probe. Detection code (lint checks, the trust engine, the server model,
probe) imports the objects it reports.
"""

from __future__ import annotations

from jettycfg.rules.model import CODES, RULES, Finding, Rule, Severity, declare

__all__ = ["CODES", "RULES", "Finding", "Rule", "Severity", "all_rules", "declare"]


def all_rules() -> dict[str, Rule]:
    """Every declared rule, by code."""
    from jettycfg.rules import chains, clients, ini, probe, server, stores  # noqa: F401

    return RULES
