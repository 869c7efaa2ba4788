"""Lint's check functions, each attached to the rule (:mod:`jettycfg.rules`) it reports.

A rule's code, name, severities and documentation live in its :class:`Rule` object; this module
only records which function checks it. `jettycfg rules`, SARIF rule metadata and docs/rules.md
read the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from jettycfg.rules import RULES, Finding, Rule, Severity, all_rules

if TYPE_CHECKING:
    from jettycfg.lint.context import LintContext

Check = Callable[["LintContext"], Iterable[Finding]]
CHECKS: dict[str, Check] = {}

__all__ = ["CHECKS", "RULES", "Check", "Rule", "check", "check_severity", "load_all"]


def check(rule: Rule) -> Callable[[Check], Check]:
    """Attach a check function to ``rule``."""

    def decorate(func: Check) -> Check:
        if rule in CHECKS:
            raise ValueError(f"rule {rule} has two check functions")
        CHECKS[rule] = func
        return func

    return decorate


def load_all() -> dict[str, Rule]:
    """The whole catalogue, with every lint check function attached."""
    from jettycfg.lint.rules import certs, clientauth, ini, running, stores  # noqa: F401

    return all_rules()


def check_severity(code: str, severity: Severity) -> None:
    """An internal invariant: a finding carries a severity its rule declares."""
    registered = RULES.get(code)
    if registered is not None and severity not in registered.severities:
        raise AssertionError(f"{code} emitted as {severity.label}, declared {registered.severity}")
