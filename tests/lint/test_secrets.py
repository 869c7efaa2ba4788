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


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_a_value_that_takes_a_password_in_is_masked_too(
    fmt: str, lint_base: LintBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`copy=${…Password}`: its expanded value is the password. ini get/show printed it, and
    a finding quoting such a value (JC107, a store type) put the password in the report and in
    the start guard's refusal."""
    text = (
        f"jetty.sslContext.trustStorePassword={CANARY}\n"
        "my.copy=${jetty.sslContext.trustStorePassword}\n"
        "my.chain=x-${my.copy}\n"
    )
    lint_base.ini(text)
    base = str(lint_base.path)
    capsys.readouterr()
    refused = run(["ini", "set", "--base", base, "jetty.ssl.port=${my.chain}", "--dry-run"])
    assert refused == 2  # the start guard names JC107 and the value, masked
    lint_base.ini(
        text + "jetty.ssl.port=${my.chain}\n" + "jetty.sslContext.trustStoreType=${my.copy}\n"
    )
    out = tmp_path / f"report.{fmt}"
    run(
        ["lint", "--base", base, "--jetty-version", "9.4.57", "--format", fmt, "--output", str(out)]
    )
    report = out.read_text()
    assert "JC107" in report and "********" in report  # the finding is there, masked
    assert run(["ini", "get", "--base", base, "my.chain"]) == 2  # needs --show-secrets
    assert run(["ini", "show", "--base", base, "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "JC107" in captured.err
    assert CANARY not in report + captured.out + captured.err
    assert run(["ini", "get", "--base", base, "my.chain", "--show-secrets"]) == 0
    assert capsys.readouterr().out.strip() == f"x-{CANARY}"  # asked for: shown
