"""The real Jetty homes the version tests run against: every line JOC ships is present (CI), and
jettycfg's version detection (files only, no Java) agrees with what start.jar itself reports."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from jettycfg.jetty.version import detect_version

pytestmark = pytest.mark.jetty


def test_detection_agrees_with_start_jar(any_jetty_home: Path, tmp_path: Path) -> None:
    home = any_jetty_home
    out = subprocess.run(
        [
            "java",
            "-jar",
            str(home / "start.jar"),
            f"jetty.home={home}",
            f"jetty.base={tmp_path}",
            "--list-config",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr[-500:]
    reported = re.search(r"^ jetty\.version = (\d+\.\d+\.\d+)", out.stdout, re.M)
    assert reported, out.stdout[-800:]
    assert str(detect_version(home)) == reported.group(1)
