"""Numeric ssl properties: Jetty's XML converts them with Java's parser (Integer.valueOf and
the like), and a value it cannot convert - or a port the socket refuses - stops Jetty (JC107).

Checked against real Jetty 9.4, 10.0 and 12.1 starts: ``+18443``, ``018443`` and ``18443 `` (a
trailing blank) start; ``abc``, ``0x10``, ``2147483648``, ``99999`` and ``-1``
("port out of range") do not.
"""

from __future__ import annotations

import re

from jettycfg.jetty.base import EffectiveConfig
from jettycfg.rules import Finding, Severity
from jettycfg.rules.ini import JC107

SSL_PREFIXES = ("jetty.ssl.", "jetty.sslcontext.")
INTEGERS = {
    "port",
    "idletimeout",
    "acceptors",
    "selectors",
    "acceptqueuesize",
    "renegotiationlimit",
    "sslsessioncachesize",
    "sslsessiontimeout",
    "stsmaxageseconds",
    "connecttimeout",
}
_JAVA_NUMBER = re.compile(r"[+-]?\d+")  # \d: Unicode decimal digits, as Character.digit
_PORT = range(0, 65536)  # 0: any free port


def numeric_findings(config: EffectiveConfig) -> list[Finding]:
    """JC107 for each numeric jetty.ssl.* / jetty.sslContext.* property set in a file that Jetty
    cannot use."""
    found = []
    for prop in config.properties.values():
        lower = prop.key.lower()
        name = lower.rsplit(".", 1)[-1]
        if prop.origin is None or not lower.startswith(SSL_PREFIXES) or name not in INTEGERS:
            continue
        problem = _problem(prop.value.strip(), name)
        if problem is not None:
            found.append(
                Finding(
                    JC107,
                    Severity.ERROR,
                    f"{prop.key}={prop.value} {problem}: Jetty does not start",
                    str(prop.origin.file),
                    prop.origin.line,
                    "write a plain integer" + (" from 0 to 65535" if name == "port" else ""),
                )
            )
    return found


def _problem(text: str, name: str) -> str | None:
    if not _JAVA_NUMBER.fullmatch(text):
        return "is not a number"
    if name == "port" and int(text) not in _PORT:
        return "is not a port (0-65535)"
    return None
