"""Edits never leave a base Jetty refuses to start (issue 8): an ssl setting on a base without
a TLS connector is refused - real Jetty dies on what jettycfg used to write there - and
`client-auth off` on a base that never enabled client auth changes nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from jettycfg.cli import run

HTTP_ONLY = "--module=server\n--module=http\njetty.http.host=127.0.0.1\njetty.http.port=0\n"


def _snapshot(base: Path) -> dict[str, bytes]:
    return {str(p.relative_to(base)): p.read_bytes() for p in base.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    "argv",
    [
        ["client-auth", "need", "--jetty-version", "11"],
        ["client-auth", "want", "--jetty-version", "9.4.57"],
        ["ini", "set", "jetty.sslContext.needClientAuth=true"],
        ["ini", "set", "jetty.ssl.port=8443"],
    ],
)
def test_ssl_edit_on_a_base_without_tls_connector_is_refused(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "start.ini").write_text(HTTP_ONLY)
    before = _snapshot(tmp_path)
    capsys.readouterr()
    code = run(
        [*argv[:2], "--base", str(tmp_path), *argv[2:]]
        if argv[0] == "ini"
        else [argv[0], argv[1], "--base", str(tmp_path), *argv[2:]]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "no TLS connector" in err and "jettycfg init" in err
    assert _snapshot(tmp_path) == before


def test_a_non_ssl_setting_is_still_written(tmp_path: Path) -> None:
    (tmp_path / "start.ini").write_text(HTTP_ONLY)
    assert run(["ini", "set", "--base", str(tmp_path), "jetty.http.port=8081"]) == 0
    assert "jetty.http.port=8081" in (tmp_path / "start.ini").read_text()


@pytest.mark.jetty
def test_real_jetty_dies_on_what_used_to_be_written(jetty_home: Path, tmp_path: Path) -> None:
    """What jettycfg wrote before (start.d/ssl.ini with only --module=ssl on an http-only base):
    real Jetty refuses to start - the reason edits like that are now refused."""
    (tmp_path / "start.ini").write_text(HTTP_ONLY)
    (tmp_path / "start.d").mkdir()
    (tmp_path / "start.d" / "ssl.ini").write_text(
        "--module=ssl\njetty.sslContext.needClientAuth=true\n"
    )
    done = subprocess.run(
        [
            "java",
            "-jar",
            str(jetty_home / "start.jar"),
            f"jetty.home={jetty_home}",
            f"jetty.base={tmp_path}",
            "jetty.ssl.port=0",
        ],
        capture_output=True,
        text=True,
        timeout=90,
        cwd=tmp_path,
    )
    assert done.returncode != 0
    assert "No default protocol" in done.stdout + done.stderr


def test_client_auth_off_on_a_base_that_never_enabled_it_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "start.ini").write_text(
        "--module=ssl\n--module=https\njetty.sslContext.keyStorePath=etc/k.p12\n"
    )
    before = _snapshot(tmp_path)
    capsys.readouterr()
    assert run(["client-auth", "off", "--base", str(tmp_path), "--jetty-version", "11"]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert _snapshot(tmp_path) == before
    # once on, off writes the change - and then again nothing
    assert run(["client-auth", "want", "--base", str(tmp_path), "--jetty-version", "11"]) == 0
    assert run(["client-auth", "off", "--base", str(tmp_path), "--jetty-version", "11"]) == 0
    assert "jetty.sslContext.wantClientAuth=false" in (tmp_path / "start.ini").read_text()
    after = _snapshot(tmp_path)
    assert run(["client-auth", "off", "--base", str(tmp_path), "--jetty-version", "11"]) == 0
    assert _snapshot(tmp_path) == after
