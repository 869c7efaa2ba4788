"""Findings and the rules they come from.

A :class:`Rule` is one unit: its code, kebab-case name, default severity (and the other
severities its findings may carry) and its Why / Example / Fix documentation. Rules are declared
once, in the catalogue :mod:`jettycfg.rules` (one module per family); everything that detects a
problem refers to the rule object. A rule *is* its code string (``Rule`` subclasses ``str``), so
a finding's ``rule`` field, JSON output and selections by code need no conversion.

:data:`CODES` is the one code table: every code ever used, active or retired; a retired code
is never reused.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


class Rule(str):
    """A rule; its string value is its code (``"JC201"``)."""

    name: str
    severity: Severity
    doc: str
    also: frozenset[Severity]

    def __new__(
        cls,
        code: str,
        name: str = "",
        severity: Severity = Severity.ERROR,
        doc: str = "",
        also: Iterable[Severity] = (),
    ) -> Rule:
        self = super().__new__(cls, code)
        self.name = name
        self.severity = severity
        self.doc = inspect.cleandoc(doc)
        self.also = frozenset(also)
        return self

    def __reduce__(self) -> tuple[Any, tuple[str]]:  # one object per code, across processes
        return (rule_for, (str(self),))

    @property
    def code(self) -> str:
        return str(self)

    @property
    def severities(self) -> frozenset[Severity]:
        """Every severity a finding of this rule may carry; ``severity`` is the default."""
        return self.also | {self.severity}

    @property
    def summary(self) -> str:
        return " ".join(self.doc.split("\n\n")[0].split())

    def allows(self, severity: Severity) -> bool:
        return severity in self.severities


# Every code ever declared: "active", or "retired" (never to be reused).
CODES: dict[str, str] = {}
RETIRED: frozenset[str] = frozenset()
RULES: dict[str, Rule] = {}


def declare(
    code: str, name: str, severity: Severity, doc: str, also: Iterable[Severity] = ()
) -> Rule:
    """Declare a rule (the catalogue modules do this, once per code)."""
    if code in CODES:
        raise ValueError(f"rule code {code} declared twice (or retired)")
    rule = Rule(code, name, severity, doc, also)
    CODES[code] = "active"
    RULES[code] = rule
    return rule


def rule_for(code: str) -> Rule:
    """The declared rule of ``code`` (loads the catalogue if needed)."""
    if code not in RULES:
        from jettycfg.rules import all_rules  # the family modules declare on import

        all_rules()
    return RULES[code]


for _code in RETIRED:
    CODES[_code] = "retired"


@dataclass(frozen=True)
class Finding:
    rule: str  # a Rule (whose value is its code)
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    fix: str = ""
    subject: str | None = None  # the client certificate file a finding is about, if any
