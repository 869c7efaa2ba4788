"""Findings never quote a password (issue 11): JC102 (blanks around '=') and JC110 (a line
start.jar cannot read) in every report format."""

from __future__ import annotations

from pathlib import Path

import pytest

from jettycfg.cli import run
from tests.lint.conftest import LintBase

CANARY = "Canary-Secret-4711"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_no_finding_quotes_a_password(
    fmt: str, lint_base: LintBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lint_base.ini(
        f"jetty.sslContext.trustStorePassword = {CANARY}\n"
        f"jetty.sslContext.keyManagerPassword {CANARY}\n"
        f"jetty.sslContext.keyStorePassword:{CANARY}\n"
    )
    out = tmp_path / f"report.{fmt}"
    capsys.readouterr()
    run(["lint", "--base", str(lint_base.path), "--format", fmt, "--output", str(out)])
    captured = capsys.readouterr()
    report = out.read_text()
    assert "JC102" in report and "JC110" in report  # the findings are there...
    assert CANARY not in report + captured.out + captured.err  # ...without the password
