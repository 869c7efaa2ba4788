"""Which ``--module=`` names start.jar knows, per Jetty line (issue 8's "Unknown module").

start.jar refuses to start a base that enables a module neither its Jetty home nor the base's
own ``modules/`` folder defines ("ERROR : Unknown module='logging'" on 9.4, "Unknown
modules=[jsp, jstl]" on 12: Jetty 12 moved the servlet modules into ``ee8-`` / ``ee9-`` /
``ee10-`` families, 12.1 renamed ``deploy``). The names of each home JOC ships are recorded in
``modules.json`` from the real homes (``tools/record_modules.py``); a base's own modules count
too. For a Jetty line not recorded nothing is predicted.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path

from jettycfg.jetty.base import EffectiveConfig, Origin
from jettycfg.jetty.version import JettyVersion
from jettycfg.rules.ini import JC111, JC112, JC113, JC114
from jettycfg.rules.model import Finding, Severity

RECORD = Path(__file__).with_name("modules.json")
MAX_MODULE_FILES = 10_000  # a base's modules/ folder: more is not a Jetty base


def names_in(folder: Path) -> set[str]:
    """The module names of ``folder``: each .mod file's path below it, without the suffix."""
    found: set[str] = set()
    if not folder.is_dir():
        return found
    for root, _dirs, files in os.walk(folder):
        for name in files:
            if name.endswith(".mod"):
                rel = Path(root, name).relative_to(folder).as_posix()
                found.add(rel[: -len(".mod")])
                if len(found) >= MAX_MODULE_FILES:
                    return found
    return found


@lru_cache(maxsize=1)
def _record() -> dict[str, dict[str, object]]:
    data: dict[str, dict[str, object]] = json.loads(RECORD.read_text("utf-8"))
    return data


def line_of(version: JettyVersion) -> str | None:
    """ "9.4", "10.0", ... ("12" alone could be 12.0 or 12.1: None)."""
    if version.major == 9:
        return "9.4" if version.minor == 4 else None
    return None if version.minor is None else f"{version.major}.{version.minor}"


def known_modules(version: JettyVersion) -> tuple[str, frozenset[str]] | None:
    """(recorded home version, its module names) for ``version``'s line, or None."""
    line = line_of(version)
    entry = _record().get(line) if line is not None else None
    if entry is None:
        return None
    names = entry["modules"]
    assert isinstance(names, list)
    return str(entry["version"]), frozenset(str(n) for n in names)


def unknown_modules(
    config: EffectiveConfig, version: JettyVersion
) -> tuple[str, list[tuple[str, Origin]]] | None:
    """(recorded home version, the enabled modules start.jar of that line does not know, each
    with the line enabling it first); None when the line is not recorded."""
    known = known_modules(version)
    if known is None:
        return None
    recorded, names = known
    own = names_in(config.base / "modules")
    seen: set[str] = set()
    unknown = []
    for name, origin in config.modules:
        if name in names or name in own or name in seen:
            continue
        seen.add(name)
        unknown.append((name, origin))
    return recorded, unknown


# the stock modules that are, or depend on, ``ssl`` (their [depend] closure, Jetty 9.4-12.1)
TLS_MODULES = frozenset(
    {"ssl", "https", "http2", "http3", "alpn", "conscrypt", "bouncycastle", "ssl-reload"}
    | {"proxy-protocol-ssl", "jmx-remote-ssl", "test-keystore"}
)


def module_findings(config: EffectiveConfig, version: JettyVersion) -> list[Finding]:
    """JC112 for each ``--modules=`` line start.jar of ``version`` does not take, JC111 for
    each module it does not know, JC114 when nothing is enabled, JC113 when nothing brings in
    TLS."""
    out = [
        Finding(
            JC112,
            Severity.ERROR,
            f"--modules={name}: Jetty {version}'s start.jar takes only --module= (the plural "
            "came with Jetty 12) and passes this line to the JVM: the module is not enabled",
            str(origin.file),
            origin.line,
            f"write --module={name}",
        )
        for name, origin in config.jvm_modules
    ]
    names = {name for name, _ in config.modules}
    if not names:
        stop = "Nothing to start, exiting" if version.major < 10 else "No enabled jetty modules"
        out.append(
            Finding(
                JC114,
                Severity.ERROR,
                f"no module is enabled: start.jar stops ({stop}) and Jetty does not run",
                fix="enable --module=ssl and --module=https (jettycfg init writes them)",
            )
        )
    elif not names & TLS_MODULES and _all_stock(names, version):
        out.append(
            Finding(
                JC113,
                Severity.ERROR,
                f"no enabled module brings in TLS ({', '.join(sorted(names))}): Jetty serves no "
                "TLS and never asks for a client certificate",
                fix="enable --module=ssl and --module=https",
            )
        )
    return out + _unknown_findings(config, version)


def _unknown_findings(config: EffectiveConfig, version: JettyVersion) -> list[Finding]:
    """JC111 for each module start.jar of ``version``'s line does not know."""
    found = unknown_modules(config, version)
    if found is None:
        return []
    recorded, unknown = found
    return [
        Finding(
            JC111,
            Severity.ERROR,
            f"--module={name}: Jetty {version} has no module '{name}' (checked against the "
            f"modules of Jetty {recorded}): start.jar refuses to start",
            str(origin.file),
            origin.line,
            _fix(name, known_modules(version)),
        )
        for name, origin in unknown
    ]


def _fix(name: str, known: tuple[str, frozenset[str]] | None) -> str:
    """Name the successors this Jetty has (Jetty 12: ``ee10-jsp``, 12.1: ``core-deploy``)."""
    pattern = re.compile(rf"(?:ee\d+|core)-{re.escape(name)}")
    found = sorted((n for n in known[1] if pattern.fullmatch(n)), key=_ee_order) if known else []
    if found:
        return f"this Jetty has {', '.join(found)}: enable the one your webapps use, or remove it"
    return "enable it under its name on this Jetty (start.jar --list-modules), or remove it"


def _ee_order(name: str) -> tuple[int, str]:
    digits = re.match(r"ee(\d+)-", name)
    return (int(digits.group(1)) if digits else 0, name)


def _all_stock(names: set[str], version: JettyVersion) -> bool:
    """Every module is one of the recorded Jetty line's own (whose dependencies are known)."""
    known = known_modules(version)
    return known is not None and names <= known[1]
