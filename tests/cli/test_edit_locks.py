"""Edit locks between separate jettycfg processes: an ini file in a base's start.d is guarded by
the base's lock, and an edit of two folders (``store passwd --base``) takes the base's lock
before the store folder's - one order for every command, so two edits never wait on each other.
The CLI runs in a child process; this test holds the locks as another jettycfg would (flock)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.jettyrun import tls_base

PW = "lock-test-pw"


@contextlib.contextmanager
def _flocked(folder: Path) -> Iterator[None]:
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _free(folder: Path) -> bool:
    """Nobody holds ``folder``'s lock (taken and released at once)."""
    try:
        with _flocked(folder):
            return True
    except BlockingIOError:
        return False


def _jettycfg(*args: str, timeout: str, cwd: Path | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "JETTYCFG_LOCK_TIMEOUT": timeout, "LOCK_PW": PW, "NEW_PW": PW + "-2"}
    return subprocess.Popen(
        [sys.executable, "-m", "jettycfg", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
    )


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return tls_base(tmp_path, monkeypatch, "LOCK_PW", PW, layout="start.d")[0]


@pytest.mark.parametrize("how", ["--base", "--file", "--file relative, inside start.d"])
def test_a_start_d_file_is_guarded_by_its_base_lock(base: Path, how: str) -> None:
    ini = next((base / "start.d").glob("*.ini"))
    where = {
        "--base": ["--base", str(base)],
        "--file": ["--file", str(ini)],
        "--file relative, inside start.d": ["--file", ini.name],
    }[how]
    before = ini.read_bytes()
    with _flocked(base):
        child = _jettycfg(
            "ini", "set", *where, "jetty.ssl.port=9443", timeout="0.5", cwd=ini.parent
        )
        _, err = child.communicate(timeout=60)
    assert child.returncode == 2, err
    assert err.startswith("jettycfg: error: another jettycfg is editing files in")
    assert ini.read_bytes() == before
    # free again: the same edit goes through
    child = _jettycfg("ini", "set", *where, "jetty.ssl.port=9443", timeout="0.5", cwd=ini.parent)
    assert child.communicate(timeout=60) and child.returncode == 0
    assert b"9443" in ini.read_bytes()


def test_store_passwd_with_base_takes_the_base_lock_first(base: Path) -> None:
    """While it waits for the base, the store's folder stays free (the old order held it)."""
    store = base / "etc" / "keystore.p12"
    before = store.read_bytes()
    with _flocked(base):
        child = _jettycfg(
            "store",
            "passwd",
            str(store),
            "--base",
            str(base),
            "--storepass-env",
            "LOCK_PW",
            "--new-storepass-env",
            "NEW_PW",
            timeout="20",
        )
        time.sleep(1.5)  # the child is up and waiting for the base's lock
        assert child.poll() is None, child.communicate()
        assert _free(store.parent)
    _, err = child.communicate(timeout=60)  # the base is free now: the child goes on
    assert child.returncode == 0, err
    assert store.read_bytes() != before
