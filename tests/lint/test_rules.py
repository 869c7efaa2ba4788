"""Each rule on a base broken in exactly the way it describes, and a clean base with none."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from jettycfg.cli import run
from jettycfg.lint.findings import Severity
from jettycfg.lint.registry import check_severity
from jettycfg.rules import all_rules as load_catalog
from tests.lint.conftest import LintBase

FIXTURES = Path(__file__).parent / "fixtures"


def codes(doc: dict) -> set[str]:  # type: ignore[type-arg]
    found = {f["rule"] for f in doc["findings"]}
    for cert in doc["client_certificates"]:
        found |= {p["rule"] for p in cert["problems"]}
    return found


def test_clean_base_has_no_errors_or_warnings(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = lint_base.lint(capsys, "--client-cert", str(lint_base.client), "--account", "root")
    assert code == 0
    assert {f["severity"] for f in doc["findings"]} <= {"info"}
    assert doc["client_certificates"][0]["accepted"] is True
    assert doc["client_certificates"][0]["problems"] == []


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("JC*.ini")))
def test_ini_fixture_triggers_its_rule(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str], fixture: str
) -> None:
    rule = fixture.removesuffix(".ini")
    # start.ini sets needClientAuth=true; the fixture decides the client-auth mode itself.
    text = (
        (lint_base.path / "start.ini")
        .read_text()
        .replace("jetty.sslContext.needClientAuth=true\n", "")
    )
    (lint_base.path / "start.ini").write_text(text)
    target = lint_base.path / "start.d" / fixture
    target.parent.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / fixture, target)
    _, doc = lint_base.lint(capsys, "--select", rule)
    hits = [f for f in doc["findings"] if f["rule"] == rule]
    assert hits, f"{rule} not reported"
    assert any(f["file"] in (None, str(target)) for f in hits)


@pytest.mark.parametrize(
    ("rule", "version", "setup"),
    [
        ("JC204", "9.4.16", lambda b: None),
        ("JC204", "", lambda b: None),
        (
            "JC206",
            "9.4.30",
            lambda b: b.ini("jetty.sslContext.trustStorePath=/etc/truststore.p12\n"),
        ),
        ("JC207", "11", "trustStore"),
        ("JC208", "9.4.57", "trustStorePassword"),
        ("JC212", "", lambda b: None),
        ("JC301", "9.4.57", lambda b: b.ini("jetty.sslContext.trustStorePath=etc/missing.p12\n")),
        ("JC302", "9.4.57", lambda b: b.ini("jetty.sslContext.trustStorePassword=wrong\n")),
        ("JC306", "9.4.57", lambda b: b.ini("jetty.sslContext.keyManagerPassword=other\n")),
        ("JC331", "9.4.57", lambda b: (b.path / "etc" / "keystore.p12").chmod(0o644)),
    ],
)
def test_config_rules(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str], rule: str, version: str, setup: object
) -> None:
    if isinstance(setup, str):  # drop the start.ini lines that mention it
        text = (lint_base.path / "start.ini").read_text()
        kept = [line for line in text.splitlines() if setup not in line]
        (lint_base.path / "start.ini").write_text("\n".join(kept) + "\n")
    else:
        setup(lint_base)  # type: ignore[operator]
    _, doc = lint_base.lint(capsys, "--client-cert", str(lint_base.client), version=version)
    assert rule in codes(doc)


def test_jetty_does_not_start_means_every_certificate_rejected(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str]
) -> None:
    lint_base.ini("jetty.sslContext.trustStorePassword=wrong\n")
    code, doc = lint_base.lint(capsys, "--client-cert", str(lint_base.client))
    assert code == 1 and doc["summary"]["jetty_starts"] is False
    (cert,) = doc["client_certificates"]
    assert cert["accepted"] is False and cert["problems"][0]["rule"] == "JC450"


def test_every_registered_rule_is_documented() -> None:
    rules = load_catalog()
    assert len(rules) >= 50
    for code, r in rules.items():
        assert code.startswith("JC") and len(code) == 5
        for part in ("Why:", "Example:", "Fix:"):
            assert part in r.doc, (code, part)


def test_validate_peer_certificates_on_jetty_12_1(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str]
) -> None:
    lint_base.ini("jetty.sslContext.validatePeerCertificates=true\n")
    _, doc = lint_base.lint(capsys, "--client-cert", str(lint_base.client), version="12.1.0")
    assert "JC209" in codes(doc) and doc["client_certificates"][0]["accepted"] is False
    _, doc = lint_base.lint(capsys, "--client-cert", str(lint_base.client), version="12.0.8")
    assert "JC209" not in codes(doc)  # before 12.1 it is not an ini property


def test_rules_declare_every_severity_they_emit() -> None:
    rules = load_catalog()
    assert rules["JC108"].severities == {Severity.WARNING, Severity.ERROR}
    assert (
        rules["JC204"].severity is Severity.ERROR and Severity.WARNING in rules["JC204"].severities
    )
    assert rules["JC330"].severities == {Severity.WARNING, Severity.ERROR}
    with pytest.raises(AssertionError):
        check_severity(
            "JC201",
            Severity.INFO if rules["JC201"].severity is not Severity.INFO else Severity.ERROR,
        )


def test_sarif_default_levels_are_the_rules_defaults(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str]
) -> None:
    lint_base.ini("jetty.ssl.needClientAuth=true\n")
    capsys.readouterr()
    run(["lint", "--base", str(lint_base.path), "--jetty-version", "11", "--format", "sarif"])
    doc = json.loads(capsys.readouterr().out)
    driver = doc["runs"][0]["tool"]["driver"]
    levels = {"error": Severity.ERROR, "warning": Severity.WARNING, "note": Severity.INFO}
    rules = load_catalog()
    for r in driver["rules"]:
        assert levels[r["defaultConfiguration"]["level"]] is rules[r["id"]].severity, r["id"]
    emitted = {(res["ruleId"], res["level"]) for res in doc["runs"][0]["results"]}
    assert ("JC108", "error") in emitted  # ignored by Jetty 11: above the rule's default
    assert not any(code == "JC109" for code, _ in emitted)  # said once (JC108), not twice
    for code, level in emitted:
        assert levels[level] in rules[code].severities


def test_docs_rules_md_is_in_sync(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(["rules", "--format", "markdown"]) == 0
    generated = capsys.readouterr().out
    checked_in = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text("utf-8")
    assert generated == checked_in, "regenerate: jettycfg rules --format markdown > docs/rules.md"
    for code in load_catalog():
        assert f"### {code} " in generated


def test_one_rule_as_markdown_is_its_section_of_docs_rules_md(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`rules JC201 --format markdown` ignored --format."""
    capsys.readouterr()
    assert run(["rules", "JC201", "--format", "markdown"]) == 0
    section = capsys.readouterr().out
    checked_in = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text("utf-8")
    assert section.startswith("### JC201 `client-auth-off`") and section in checked_in
