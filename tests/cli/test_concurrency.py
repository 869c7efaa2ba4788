"""Two edits at once never lose one (issue 11): pairs of concurrent `ini set` on one base and
`store import` into one store, as separate processes; every update must be there afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from jettycfg.stores import files
from tests.pki import issue

PAIRS = int(os.environ.get("JETTYCFG_CONCURRENCY_PAIRS", "15"))  # `make fuzz`: 200
JETTYCFG = [sys.executable, "-m", "jettycfg"]


def _both(a: list[str], b: list[str]) -> None:
    procs = [
        subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for argv in (a, b)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()


def test_concurrent_ini_sets_lose_nothing(tmp_path: Path) -> None:
    (tmp_path / "start.ini").write_text("--module=ssl\n--module=https\n")
    for n in range(PAIRS):
        _both(
            [*JETTYCFG, "ini", "set", "--base", str(tmp_path), f"left.{n}=L{n}"],
            [*JETTYCFG, "ini", "set", "--base", str(tmp_path), f"right.{n}=R{n}"],
        )
    text = (tmp_path / "start.ini").read_text()
    lost = [
        n for n in range(PAIRS) if f"left.{n}=L{n}" not in text or f"right.{n}=R{n}" not in text
    ]
    assert lost == []
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_concurrent_store_imports_lose_nothing(tmp_path: Path) -> None:
    store = tmp_path / "trust.p12"
    pems = []
    for n in range(2 * PAIRS):
        pem = tmp_path / f"ca{n}.pem"
        pem.write_bytes(issue(f"CA {n}", ca=True).cert.public_bytes(serialization.Encoding.PEM))
        pems.append(pem)
    for n in range(PAIRS):
        _both(
            [*JETTYCFG, "store", "import", str(store), str(pems[2 * n]), "--storepass", "pw"],
            [*JETTYCFG, "store", "import", str(store), str(pems[2 * n + 1]), "--storepass", "pw"],
        )
    entries = files.load(store, "pw").entries
    assert len(entries) == 2 * PAIRS
