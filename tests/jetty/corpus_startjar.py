"""Real start.jar on the ini corpus (tests/corpus/ini): one run, its verdict and first error."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "ini"


@dataclass(frozen=True)
class Run:
    ok: bool
    error: str
    output: str


def run_start_jar(home: Path, base: Path, *args: str) -> Run:
    argv = ["java", "-jar", str(home / "start.jar"), f"jetty.home={home}", f"jetty.base={base}"]
    done = subprocess.run(
        [*argv, *args], capture_output=True, text=True, timeout=120, cwd=str(base)
    )
    text = done.stdout + done.stderr
    errors = [ln for ln in text.splitlines() if "ERROR" in ln or "Exception" in ln]
    ok = done.returncode == 0
    return Run(ok, "" if ok else (errors[:1] or text.strip().splitlines()[-1:] or [""])[0], text)
