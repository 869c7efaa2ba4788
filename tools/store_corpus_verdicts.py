"""Regenerate keytool's verdicts for the store corpus (tests/corpus/stores/manifest.json).

Runs the real `keytool -list -v` (Java 17) on every store with its known password and records
alias, entry kind, chain length and the SHA-256 of the first certificate as
tests/corpus/stores/verdicts.json - the truth the corpus test compares jettycfg with.
Usage: .venv/bin/python tools/store_corpus_verdicts.py
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "stores"
KIND = {
    "trustedCertEntry": "trusted-certificate",
    "PrivateKeyEntry": "private-key",
    "SecretKeyEntry": "secret-key",
}


def keytool_verdict(store: Path, password: str) -> dict[str, object]:
    run = subprocess.run(
        [
            "keytool",
            "-J-Duser.language=en",
            "-list",
            "-v",
            "-keystore",
            str(store),
            "-storepass",
            password,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if run.returncode != 0:
        return {"error": (run.stdout + run.stderr).strip().splitlines()[-1]}
    entries = []
    for block in run.stdout.split("Alias name: ")[1:]:
        kind = re.search(r"Entry type: (\w+)", block)
        chain = re.search(r"Certificate chain length: (\d+)", block)
        sha = re.search(r"SHA256: ([0-9A-F:]+)", block)
        entries.append(
            {
                "alias": block.splitlines()[0].strip(),
                "kind": KIND[kind.group(1)] if kind else "?",
                "chain_length": int(chain.group(1)) if chain else (1 if sha else 0),
                "sha256": sha.group(1) if sha else None,
            }
        )
    return {"entries": sorted(entries, key=lambda e: str(e["alias"]))}


def main() -> int:
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    verdicts = {"java": java.splitlines()[0] if java else "?", "stores": {}}
    for item in manifest["stores"]:
        verdicts["stores"][item["file"]] = keytool_verdict(CORPUS / item["file"], item["password"])
    (CORPUS / "verdicts.json").write_text(json.dumps(verdicts, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(manifest['stores'])} stores, verdicts in {CORPUS / 'verdicts.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
