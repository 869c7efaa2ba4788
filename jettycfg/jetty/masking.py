"""Password values kept out of findings: a setting whose value takes a password in through
``${…}`` (``jetty.ssl.port=${jetty.sslContext.keyStorePassword}``) would otherwise put the
password into the message that quotes that value (JC107, a store path or type, ...)."""

from __future__ import annotations

import contextlib
import dataclasses

from jettycfg.errors import PasswordError
from jettycfg.jetty.base import EffectiveConfig
from jettycfg.jetty.obf import reveal
from jettycfg.rules import Finding

MASK = "********"
SHORTEST = 3  # a shorter value is no password worth the name, and would mask ordinary words


def secret_values(config: EffectiveConfig) -> list[str]:
    """The values of the base's password settings (and their OBF-revealed text), longest
    first."""
    found: set[str] = set()
    for prop in config.properties.values():
        if prop.secret and prop.value:
            found.add(prop.value)
            if prop.value.startswith("OBF:"):
                with contextlib.suppress(PasswordError):
                    found.add(reveal(prop.value))
    return sorted((v for v in found if len(v) >= SHORTEST), key=len, reverse=True)


def scrubbed(findings: list[Finding], secrets: list[str]) -> list[Finding]:
    """``findings`` with every password value in their text masked."""
    if not secrets:
        return findings
    out = []
    for finding in findings:
        message, fix = finding.message, finding.fix
        for secret in secrets:
            message, fix = message.replace(secret, MASK), fix.replace(secret, MASK)
        same = (message, fix) == (finding.message, finding.fix)
        out.append(finding if same else dataclasses.replace(finding, message=message, fix=fix))
    return out
