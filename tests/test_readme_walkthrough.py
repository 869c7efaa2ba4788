"""The README walkthrough runs as written: every `$` command of its block, against Debian's real
Jetty 9.4, with the output lines the README shows (``...`` stands for lines left out)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.jettyrun import running_jetty

pytestmark = pytest.mark.jetty
WALK = Path("/tmp/walk")


def _steps() -> list[tuple[str, list[str]]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Walkthrough", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block, "no walkthrough block in README"
    steps: list[tuple[str, list[str]]] = []
    for line in block.group(1).splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return steps


def _shown_in(expected: list[str], actual: list[str]) -> None:
    """The README's lines appear in this order; ``...`` skips any number of lines."""
    position = 0
    skipping = False
    for want in expected:
        if want == "...":
            skipping = True
            continue
        if skipping:
            while position < len(actual) and actual[position] != want:
                position += 1
        assert position < len(actual) and actual[position] == want, (want, actual)
        position += 1
        skipping = False
    assert skipping or position == len(actual), ("unexpected output", actual[position:])


def test_walkthrough_runs_as_written(jetty_home: Path) -> None:
    if jetty_home != Path("/usr/share/jetty9"):
        pytest.skip("the README names Debian's jetty9 home")
    shutil.rmtree(WALK, ignore_errors=True)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    steps = _steps()
    assert [cmd.split()[0] for cmd, _ in steps] == [
        "cp",
        "jettycfg",
        "jettycfg",
        "jettycfg",
        "java",
        "jettycfg",
    ]
    try:
        for cmd, expected in steps[:4]:
            done = subprocess.run(
                shlex.split(cmd), cwd=REPO, env=env, capture_output=True, text=True, timeout=60
            )
            assert done.returncode == 0, (cmd, done.stderr)
            _shown_in(expected, done.stdout.splitlines())
        java_cmd, _ = steps[4]
        assert java_cmd.endswith(" &")
        home = Path(re.search(r"jetty\.home=(\S+)", java_cmd).group(1))  # type: ignore[union-attr]
        assert home == jetty_home
        with running_jetty(home, WALK, 4443):
            probe_cmd, expected = steps[5]
            done = subprocess.run(
                shlex.split(probe_cmd),
                cwd=REPO,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert done.returncode == 0, done.stderr
            _shown_in(expected, done.stdout.splitlines())
    finally:
        shutil.rmtree(WALK, ignore_errors=True)
