"""`make bench`: jettycfg against a peer run in the same run, reported as ratios.

Timings are medians of repeated whole-process runs (cold interpreter each time), the way a user
meets them. Nothing here asserts a time; it prints numbers to compare.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
JETTY_HOME = Path("/usr/share/jetty9")


def median_seconds(argv: Sequence[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(title: str, ours: float, peer: float, peer_name: str, size: str) -> None:
    print(f"{title} [{size}]")
    print(f"  jettycfg   {ours * 1000:8.1f} ms (median)")
    print(f"  {peer_name:<10} {peer * 1000:8.1f} ms (median)")
    print(f"  ratio      {peer / ours:8.2f}x  ({peer_name} time / jettycfg time)")


def bench_cold_start(runs: int) -> None:
    ours = median_seconds([str(BIN / "jettycfg"), "--version"], runs)
    peer = median_seconds([sys.executable, "-c", "pass"], runs)
    print(f"cold start [{runs} runs each]")
    print(f"  jettycfg --version {ours * 1000:8.1f} ms (median; goal < 100 ms)")
    print(f"  python3 -c pass    {peer * 1000:8.1f} ms (median)")
    print(f"  jettycfg overhead  {(ours - peer) * 1000:8.1f} ms")


def bench_ini_show(runs: int) -> None:
    if not (JETTY_HOME / "start.jar").exists() or shutil.which("java") is None:
        print("ini show vs start.jar: skipped (Debian jetty9 / java missing)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        shutil.copytree(REPO / "samples" / "joc-2.7" / "jetty_base", base)
        ours = median_seconds([str(BIN / "jettycfg"), "ini", "show", "--base", str(base)], runs)
        peer = median_seconds(
            [
                "java",
                "-jar",
                str(JETTY_HOME / "start.jar"),
                f"jetty.home={JETTY_HOME}",
                f"jetty.base={base}",
                "--list-config",
            ],
            runs,
        )
    files = len(list((REPO / "samples/joc-2.7/jetty_base/start.d").glob("*.ini")))
    report(
        "ini show vs start.jar --list-config",
        ours,
        peer,
        "start.jar",
        f"JOC 2.7 sample base, {files} ini files, {runs} runs each",
    )


def main() -> None:
    bench_cold_start(20)
    print()
    bench_ini_show(10)


if __name__ == "__main__":
    main()
