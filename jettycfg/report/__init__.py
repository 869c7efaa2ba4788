"""Output formats of a lint result, each a pure function of the result: text, json, sarif, junit."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jettycfg.lint.runner import LintResult


class OutputFormat(str, enum.Enum):
    """The formats a lint report renders to."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"

    def __str__(self) -> str:
        return self.value


def render(result: LintResult, fmt: str | OutputFormat, *, color: bool = False) -> str:
    """The report as text, json, sarif or junit (unknown names: ValueError)."""
    fmt = OutputFormat(fmt)
    if fmt == "json":
        from jettycfg.report.json_report import render_json

        return render_json(result)
    if fmt == "sarif":
        from jettycfg.report.sarif import render_sarif

        return render_sarif(result)
    if fmt == "junit":
        from jettycfg.report.junit import render_junit

        return render_junit(result)
    from jettycfg.report.text import render_text

    return render_text(result, color=color)
