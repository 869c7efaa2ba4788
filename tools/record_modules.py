"""Record the module names of every Jetty line JOC ships (jettycfg/jetty/modules.json), from
the real homes: Debian's jetty9 (9.4) and `make jettys` (10.0 / 11.0 / 12.0 / 12.1). A module's
name is its .mod file's path below modules/ without the suffix, as start.jar names it.
`make modules`; tests/jetty/test_modules.py checks the record against the homes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jettycfg.jetty.modules import RECORD, names_in  # noqa: E402
from jettycfg.jetty.version import detect_version  # noqa: E402
from tests.conftest import JETTY_LINES, find_jetty_home  # noqa: E402


def main() -> int:
    record: dict[str, dict[str, object]] = {}
    for line in JETTY_LINES:
        home = find_jetty_home(line)
        if home is None:
            print(f"Jetty {line}: no home (make jettys)", file=sys.stderr)
            return 1
        names = sorted(names_in(home / "modules"))
        record[line] = {"version": str(detect_version(home)), "modules": names}
        print(f"Jetty {line} ({record[line]['version']}): {len(names)} modules", file=sys.stderr)
    RECORD.write_text(json.dumps(record, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
