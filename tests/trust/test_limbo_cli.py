"""`jettycfg lint` end to end on x509-limbo material that used to crash it (exit 3): a client
certificate with duplicate extensions, anchors with extensions cryptography cannot read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jettycfg.cli import run
from tests.trust import peer_suite as ps
from tests.trust.test_limbo_jetty import _base, _pem


def _lint(
    case_id: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, dict]:  # type: ignore[type-arg]
    case = next(c for c in ps.load_cases() if c.id == case_id)
    base = _base(tmp_path, case, 8443, monkeypatch)
    client = tmp_path / "client.pem"
    client.write_bytes(b"".join(_pem(d) for d in case.sent))
    capsys.readouterr()
    code = run(
        [
            "lint",
            "--base",
            str(base),
            "--jetty-version",
            "9.4.57",
            "--format",
            "json",
            "--client-cert",
            str(client),
        ]
    )
    return code, json.loads(capsys.readouterr().out)


def test_duplicate_extensions_are_jc463_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = _lint("rfc5280::duplicate-extensions", tmp_path, monkeypatch, capsys)
    assert code in (1, 2)
    found = [f for f in doc["client_certificates"][0]["problems"] if f["rule"] == "JC463"]
    assert found and "Duplicate extensions" in found[0]["message"]


@pytest.mark.parametrize(
    "case_id",
    [
        "rfc5280::nc::invalid-ipv4-address",
        "webpki::aki::root-with-aki-authoritycertissuer",
        "webpki::malformed-aia",
        "rfc5280::san::malformed",
    ],
)
def test_malformed_extensions_judged_as_java_does(
    case_id: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Java: the path validates; only the leaf's serverAuth-only EKU rejects it."""
    assert ps.load_verdicts()[case_id][17] == ("REJECT", "EKU")
    code, doc = _lint(case_id, tmp_path, monkeypatch, capsys)
    assert code == 1
    client = doc["client_certificates"][0]
    assert client["accepted"] is False
    findings = doc["findings"] + client["problems"]
    rules = {f["rule"] for f in findings if f["severity"] == "error"}
    assert "JC412" in rules and not rules & {"JC320", "JC390", "JC401", "JC463"}, rules
