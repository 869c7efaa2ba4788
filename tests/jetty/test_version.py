"""Jetty versions: parsing, the endpoint-identification workaround range, detection."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from jettycfg.errors import UsageError
from jettycfg.jetty.version import JettyVersion, detect_version


@pytest.mark.parametrize(
    ("text", "family", "workaround"),
    [
        ("9.4.14.v20181114", "9.4", False),
        ("9.4.15.v20190215", "9.4", True),
        ("9.4.18", "9.4", True),
        ("9.4.19", "9.4", False),
        ("9.4", "9.4", None),
        ("9", "9.4", None),
        ("9.3.29", "9.4", False),
        ("10.0.20", "10", False),
        ("11", "11", False),
        ("jetty-12.1.0", "12", False),
    ],
)
def test_parse_and_workaround(text: str, family: str, workaround: bool | None) -> None:
    version = JettyVersion.parse(text)
    assert version.family == family
    assert version.needs_endpoint_workaround() is workaround


@pytest.mark.parametrize("bad", ["", "8.1", "13", "nine", "9.2.1", "12.x.y", "9.4-beta"])
def test_bad_versions(bad: str) -> None:
    with pytest.raises(UsageError):
        JettyVersion.parse(bad)


def test_detect_from_debian_jetty(jetty_home: Path) -> None:
    version = detect_version(jetty_home)
    assert (version.major, version.minor) == (9, 4) and version.micro is not None


def test_detect_from_manifest_version_txt_and_lib(tmp_path: Path) -> None:
    home = tmp_path / "a"
    home.mkdir()
    with zipfile.ZipFile(home / "start.jar", "w") as jar:
        jar.writestr("META-INF/MANIFEST.MF", "Implementation-Version: 9.4.16.v20190411\n")
    assert str(detect_version(home)) == "9.4.16"
    home_b = tmp_path / "b"
    home_b.mkdir()
    (home_b / "VERSION.txt").write_text("jetty-10.0.15 - 21 April 2023\n")
    assert str(detect_version(home_b)) == "10.0.15"
    home_c = tmp_path / "c"
    (home_c / "lib").mkdir(parents=True)
    (home_c / "lib" / "jetty-server-12.0.8.jar").write_bytes(b"")
    assert str(detect_version(home_c)) == "12.0.8"
    with pytest.raises(UsageError):
        detect_version(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="cannot tell"):
        detect_version(tmp_path / "empty")
