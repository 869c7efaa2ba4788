"""Bad Jetty homes and version strings (issue 9): every command that takes them answers with one
line on stderr and exit 2 - never a traceback, never exit 3, never a written file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from jettycfg.cli import run


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "no-such-jetty"


def _empty(tmp_path: Path) -> Path:
    home = tmp_path / "empty-home"
    home.mkdir()
    return home


def _garbage_jar(tmp_path: Path) -> Path:
    home = tmp_path / "garbage-home"
    home.mkdir()
    (home / "start.jar").write_bytes(b"PK\x03\x04 not really a zip" * 10)
    return home


def _future_version(tmp_path: Path) -> Path:
    home = tmp_path / "future-home"
    home.mkdir()
    with zipfile.ZipFile(home / "start.jar", "w") as jar:
        jar.writestr(
            "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nImplementation-Version: 13.0.1\n"
        )
    return home


HOMES = [_missing, _empty, _garbage_jar, _future_version]
VERSIONS = ["8.1", "13", "9.2", "twelve", "", "12.x.y"]


def _commands(base: Path) -> list[list[str]]:
    return [
        ["ini", "show", "--base", str(base)],
        ["client-auth", "need", "--base", str(base)],
        ["lint", "--base", str(base)],
    ]


def _assert_one_line_exit_2(code: int, capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("make_home", HOMES, ids=lambda f: f.__name__.strip("_"))
def test_bad_jetty_home(
    make_home: object, sample_base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = make_home(tmp_path)  # type: ignore[operator]
    before = {p: p.read_bytes() for p in sample_base.rglob("*") if p.is_file()}
    for args in _commands(sample_base):
        line = _assert_one_line_exit_2(run([*args, "--jetty-home", str(home)]), capsys)
        assert "jetty" in line.lower(), line
    after = {p: p.read_bytes() for p in sample_base.rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.parametrize("version", VERSIONS)
def test_unknown_version_string(
    version: str, sample_base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {p: p.read_bytes() for p in sample_base.rglob("*") if p.is_file()}
    for args in _commands(sample_base):
        _assert_one_line_exit_2(run([*args, "--jetty-version", version]), capsys)
    target = tmp_path / "new-base"
    _assert_one_line_exit_2(
        run(["init", "--base", str(target), "--jetty-version", version]), capsys
    )
    assert not target.exists() or not any(target.rglob("*"))
    after = {p: p.read_bytes() for p in sample_base.rglob("*") if p.is_file()}
    assert after == before
