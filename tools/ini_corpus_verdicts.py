"""Record real start.jar's view of every base in tests/corpus/ini (verdicts.json): for each Jetty
line, whether `--list-config` and `--dry-run` succeed, their first error line, and the properties
--list-config reports. Run after tools/ini_corpus_collect.py; needs the Jetty homes of
tests/conftest.py (`.cache/jettys`, /usr/share/jetty9)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import JETTY_LINES, find_jetty_home
from tests.jetty.corpus_startjar import CORPUS, run_start_jar
from tests.jetty.test_startjar_oracle import start_jar_properties


def main() -> int:
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["bases"]
    out: dict[str, dict[str, object]] = {}
    for item in manifest:
        base = CORPUS / item["base"]
        per_line: dict[str, object] = {}
        for line in JETTY_LINES:
            home = find_jetty_home(line)
            assert home is not None, line
            dry = run_start_jar(home, base, "--dry-run")
            verdict: dict[str, object] = {"dry_run": dry.ok, "dry_run_error": dry.error}
            try:
                props = start_jar_properties(home, base)
                verdict["list_config"] = {k: v for k, (_, v) in sorted(props.items())}
            except Exception as exc:  # StartJarRefused
                verdict["list_config_error"] = str(exc).strip().splitlines()[-1:]
            per_line[line] = verdict
        out[item["base"]] = per_line
    path = CORPUS / "verdicts.json"
    path.write_text(json.dumps({"bases": out}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
