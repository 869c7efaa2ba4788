"""The rule registry: every rule a stable code, a kebab-case name, a default severity and a
one-screen explanation (what it checks, why it matters, example, fix).

Check functions register with :func:`rule`; rules whose findings come from the trust engine or
the server model register with :func:`documented`. `jettycfg rules`, SARIF rule metadata and the
docs all read this registry. Never reuse a retired code.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jettycfg.lint.findings import Finding, Severity

if TYPE_CHECKING:
    from jettycfg.lint.context import LintContext

Check = Callable[["LintContext"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    doc: str
    check: Check | None = None
    also: frozenset[Severity] = frozenset()  # further severities a finding of it may carry

    @property
    def severities(self) -> frozenset[Severity]:
        """Every severity a finding of this rule may carry; ``severity`` is the default."""
        return self.also | {self.severity}

    @property
    def summary(self) -> str:
        return " ".join(self.doc.strip().split("\n\n")[0].split())


RULES: dict[str, Rule] = {}


def _register(
    code: str,
    name: str,
    severity: Severity,
    doc: str,
    check: Check | None,
    also: Iterable[Severity] = (),
) -> Rule:
    if code in RULES:
        raise ValueError(f"rule code {code} registered twice")
    rule_ = Rule(code, name, severity, inspect.cleandoc(doc), check, frozenset(also))
    RULES[code] = rule_
    return rule_


def rule(
    code: str, name: str, severity: Severity, also: Iterable[Severity] = ()
) -> Callable[[Check], Check]:
    """Register a check function; its docstring is the rule's documentation. ``also``: the
    other severities its findings may carry (the default ``severity`` is what SARIF shows)."""

    def decorate(func: Check) -> Check:
        _register(code, name, severity, func.__doc__ or "", func, also)
        return func

    return decorate


def documented(
    code: str, name: str, severity: Severity, doc: str, also: Iterable[Severity] = ()
) -> None:
    """Register a rule whose findings another component produces."""
    _register(code, name, severity, doc, None, also)


def check_severity(code: str, severity: Severity) -> None:
    """An internal invariant: a finding carries a severity its rule declares."""
    registered = RULES.get(code)
    if registered is not None and severity not in registered.severities:
        raise AssertionError(f"{code} emitted as {severity.label}, declared {registered.severity}")


def load_all() -> dict[str, Rule]:
    """Import every lint rule module (registration happens on import). The whole catalogue,
    probe's JC5xx included, is :func:`jettycfg.catalog.load_catalog`; lint never imports probe."""
    from jettycfg.lint.rules import certs, clientauth, ini, stores, trust  # noqa: F401

    return RULES
