"""The whole rule catalogue: lint's rules and the rules of every other component that reports
findings (probe's JC5xx). Components register into :mod:`jettycfg.lint.registry` on import;
this module is the one place that imports them all, so lint never imports probe."""

from __future__ import annotations

from jettycfg.lint.registry import RULES, Rule, load_all


def load_catalog() -> dict[str, Rule]:
    """Every registered rule, by code."""
    load_all()
    from jettycfg.probe import rules as probe_rules  # noqa: F401  (JC5xx register on import)

    return RULES
