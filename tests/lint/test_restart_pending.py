"""JC213: a real running Jetty 9.4 for the base, and files changed after it started."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from jettycfg.cli import run
from jettycfg.rules.server import JC213
from tests.jettyrun import free_port, init_base, running_jetty
from tests.pki import make_pki, write_stores

pytestmark = pytest.mark.jetty


def restart_findings(base: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    capsys.readouterr()
    run(["lint", "--base", str(base), "--jetty-version", "9.4.57", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return [f["message"] for f in report["findings"] if f["rule"] == JC213]


def test_restart_pending_only_after_a_change_while_jetty_runs(
    jetty_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = tmp_path / "base"
    write_stores(make_pki(), base / "etc", b"rs-pass-1")
    monkeypatch.setenv("RS_PW", "rs-pass-1")
    port = free_port()
    init_base(base, port, mode="need", password_env="RS_PW")
    old = time.time() - 60  # everything written well before the start
    for path in (
        base / "start.ini",
        base / "etc" / "truststore.p12",
        base / "etc" / "keystore.p12",
    ):
        os.utime(path, (old, old))
    assert restart_findings(base, capsys) == []  # nothing running
    with running_jetty(jetty_home, base, port):
        assert restart_findings(base, capsys) == []  # running, nothing changed since
        time.sleep(1.2)
        (base / "etc" / "truststore.p12").touch()
        found = restart_findings(base, capsys)
    assert len(found) == 1 and found[0].startswith("the truststore changed after the running")
    assert restart_findings(base, capsys) == []  # stopped: nothing to restart
