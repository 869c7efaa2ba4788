"""kill -9 at every rename (issue 11), deterministically: JETTYCFG_TEST_KILL_AT_RENAME=N makes
jettycfg SIGKILL itself just before its N-th rename. Afterwards - once the next run has looked
at the base - no configuration is half-switched and no temporary file (passwords!) is left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from jettycfg.jetty.base import load_effective
from jettycfg.stores import files
from tests.pki import issue

JETTYCFG = [sys.executable, "-m", "jettycfg"]


def _killed_at(n: int, *argv: str) -> int:
    env = dict(os.environ, JETTYCFG_TEST_KILL_AT_RENAME=str(n))
    return subprocess.run([*JETTYCFG, *argv], env=env, capture_output=True, timeout=60).returncode


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.name.endswith(".tmp") or "journal" in p.name]


def _two_file_base(base: Path) -> None:
    (base / "start.d").mkdir(parents=True)
    (base / "start.ini").write_text(
        "--module=ssl\n--module=https\njetty.sslContext.needClientAuth=true\n"
    )
    (base / "start.d" / "ssl.ini").write_text("jetty.sslContext.wantClientAuth=false\n")


@pytest.mark.parametrize("kill_at", [1, 2])
def test_client_auth_across_two_files_is_all_or_nothing(kill_at: int, tmp_path: Path) -> None:
    _two_file_base(tmp_path)
    code = _killed_at(
        kill_at, "client-auth", "want", "--base", str(tmp_path), "--jetty-version", "11"
    )
    assert code == -signal.SIGKILL
    subprocess.run(
        [*JETTYCFG, "ini", "show", "--base", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=60,
    )  # the next run finishes the edit
    config = load_effective(tmp_path)
    need, want = (
        config.get("jetty.sslContext.needClientAuth"),
        config.get("jetty.sslContext.wantClientAuth"),
    )
    assert need is not None and want is not None
    assert (need.value, want.value) == ("false", "true")  # rolled forward, never half
    assert _leftovers(tmp_path) == []


def test_ini_set_killed_leaves_the_old_file_and_no_temp_after_the_next_run(
    tmp_path: Path,
) -> None:
    ini = tmp_path / "start.ini"
    ini.write_text("--module=ssl\n--module=https\njetty.sslContext.keyStorePassword=old-pw\n")
    before = ini.read_bytes()
    code = _killed_at(
        1, "ini", "set", "--base", str(tmp_path), "jetty.sslContext.keyStorePassword=new-pw"
    )
    assert code == -signal.SIGKILL
    assert ini.read_bytes() == before  # the rename never happened: old file, whole
    assert _leftovers(tmp_path)  # ...and the killed run's temporary file
    subprocess.run(
        [*JETTYCFG, "ini", "set", "--base", str(tmp_path), "jetty.ssl.port=1"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert _leftovers(tmp_path) == []


def test_store_import_killed_keeps_the_store_whole(tmp_path: Path) -> None:
    store = tmp_path / "trust.p12"
    first, second = (tmp_path / "a.pem", tmp_path / "b.pem")
    for path, name in ((first, "CA A"), (second, "CA B")):
        path.write_bytes(issue(name, ca=True).cert.public_bytes(serialization.Encoding.PEM))
    subprocess.run(
        [*JETTYCFG, "store", "import", str(store), str(first), "--storepass", "pw"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    before = store.read_bytes()
    code = _killed_at(1, "store", "import", str(store), str(second), "--storepass", "pw")
    assert code == -signal.SIGKILL
    assert store.read_bytes() == before and len(files.load(store, "pw").entries) == 1
    subprocess.run(
        [*JETTYCFG, "store", "import", str(store), str(second), "--storepass", "pw"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert len(files.load(store, "pw").entries) == 2
    assert _leftovers(tmp_path) == []
