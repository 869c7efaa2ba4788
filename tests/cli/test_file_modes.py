"""Files holding (OBF) passwords or reports are created 0600; the umask only ever makes a new
file stricter (issue 11)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from jettycfg.cli import run


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> object:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_init_with_passwords_writes_0600(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask_022: object
) -> None:
    monkeypatch.setenv("INIT_PW", "init-secret")
    base = tmp_path / "base"
    assert (
        run(
            [
                "init",
                "--base",
                str(base),
                "--jetty-version",
                "11",
                "--keystore-password-env",
                "INIT_PW",
            ]
        )
        == 0
    )
    assert _mode(base / "start.d" / "ssl.ini") == 0o600
    plain = tmp_path / "plain"
    assert run(["init", "--base", str(plain), "--jetty-version", "11"]) == 0
    assert _mode(plain / "start.d" / "ssl.ini") == 0o644


def test_ini_set_new_file_with_a_password_is_0600(tmp_path: Path, umask_022: object) -> None:
    secret = tmp_path / "secret.ini"
    assert (
        run(
            [
                "ini",
                "set",
                "--file",
                str(secret),
                "jetty.sslContext.keyStorePassword=OBF:1v2j1uum1xtv1zej1zer1xtn1uvk1v1v",
            ]
        )
        == 0
    )
    assert _mode(secret) == 0o600
    other = tmp_path / "other.ini"
    assert run(["ini", "set", "--file", str(other), "jetty.ssl.port=8443"]) == 0
    assert _mode(other) == 0o644


def test_lint_report_is_0600_and_umask_only_tightens(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    (base / "start.ini").write_text("--module=ssl\n--module=https\n")
    report = tmp_path / "report.json"
    run(["lint", "--base", str(base), "--format", "json", "--output", str(report)])
    assert _mode(report) == 0o600
    old = os.umask(0o077)
    try:
        strict = tmp_path / "strict.ini"
        assert run(["ini", "set", "--file", str(strict), "jetty.ssl.port=8443"]) == 0
        assert _mode(strict) == 0o600
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="needs root to chown")
def test_rewrite_as_root_keeps_owner_group_and_mode(tmp_path: Path) -> None:
    ini = tmp_path / "start.ini"
    ini.write_text("--module=ssl\n--module=https\njetty.ssl.port=1\n")
    os.chown(ini, 4321, 4322)
    ini.chmod(0o640)
    assert run(["ini", "set", "--base", str(tmp_path), "jetty.ssl.port=2"]) == 0
    st = ini.stat()
    assert (st.st_uid, st.st_gid, _mode(ini)) == (4321, 4322, 0o640)
    assert "jetty.ssl.port=2" in ini.read_text()
