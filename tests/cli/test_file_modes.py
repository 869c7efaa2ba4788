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


def test_password_values_from_env_file_or_prompt_never_from_argv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    canary = "Argv-Canary-99"
    (tmp_path / "start.ini").write_text("--module=ssl\n--module=https\n")
    monkeypatch.setenv("KS_PW", canary)
    key = "jetty.sslContext.keyStorePassword"
    assert run(["ini", "set", "--base", str(tmp_path), key, "--value-env", "KS_PW"]) == 0
    assert f"{key}={canary}" in (tmp_path / "start.ini").read_text()
    secret_file = tmp_path / "pw.txt"
    secret_file.write_text(canary + "-2\n")
    key2 = "jetty.sslContext.trustStorePassword"
    assert run(["ini", "set", "--base", str(tmp_path), key2, "--value-file", str(secret_file)]) == 0
    assert f"{key2}={canary}-2" in (tmp_path / "start.ini").read_text()
    capsys.readouterr()
    # mistakes never echo what was typed
    assert run(["ini", "set", "--base", str(tmp_path), f"{key}:{canary}"]) == 2
    assert run(["ini", "get", "--base", str(tmp_path), "x", canary]) == 2
    captured = capsys.readouterr()
    assert canary not in captured.out + captured.err


def test_a_killed_writers_temp_file_is_removed_on_the_next_write(tmp_path: Path) -> None:
    (tmp_path / "start.ini").write_text("--module=ssl\n--module=https\n")
    stale = tmp_path / ".start.ini.abc12345.tmp"
    stale.write_text("jetty.sslContext.keyStorePassword=left-behind\n")
    fresh = tmp_path / ".start.ini.fresh999.tmp"  # maybe another writer's, right now
    fresh.write_text("x")
    old = stale.stat().st_mtime - 3600
    os.utime(stale, (old, old))
    from jettycfg.fsio import write_atomic

    write_atomic(tmp_path / "start.ini", b"--module=ssl\n--module=https\n")  # no edit lock:
    assert not stale.exists() and fresh.exists()  # only the old one can be a dead writer's
    assert run(["ini", "set", "--base", str(tmp_path), "jetty.ssl.port=8443"]) == 0
    assert not fresh.exists()  # under the edit lock no other jettycfg is writing: all go


def test_a_value_a_password_refers_to_is_secret_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    canary = "Ref-Canary-7"
    (tmp_path / "start.ini").write_text(
        f"--module=ssl\n--module=https\nmy.pw=${{my.inner}}\nmy.inner={canary}\n"
        "jetty.sslContext.keyStorePassword=${my.pw}\n"
    )
    capsys.readouterr()
    assert run(["ini", "show", "--base", str(tmp_path)]) == 0
    assert run(["ini", "show", "--base", str(tmp_path), "--format", "json"]) == 0
    assert run(["ini", "get", "--base", str(tmp_path), "my.inner"]) == 2
    assert run(["ini", "set", "--base", str(tmp_path), "my.inner=Other-Canary-8", "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert canary not in captured.out + captured.err
    assert "Other-Canary-8" not in captured.out + captured.err
    assert run(["ini", "get", "--base", str(tmp_path), "my.inner", "--show-secrets"]) == 0
    assert capsys.readouterr().out.strip() == canary


def test_a_file_whose_name_is_near_the_limit_is_still_written_atomically(tmp_path: Path) -> None:
    """A 250-character name: the temporary file beside it (".NAME.xxxxxxxx.tmp") was longer
    than the file system allows, so the file could not be edited at all."""
    from jettycfg.fsio import temp_prefix, write_atomic

    target = tmp_path / ("k" * 250)
    target.write_bytes(b"old\n")
    stale = tmp_path / f"{temp_prefix(target.name)}abc12345.tmp"  # a killed writer's
    stale.write_text("left-behind")
    old = stale.stat().st_mtime - 3600
    os.utime(stale, (old, old))
    write_atomic(target, b"new\n")
    assert target.read_bytes() == b"new\n" and not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
