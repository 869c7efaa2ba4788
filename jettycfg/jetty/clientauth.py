"""Switch a base between need / want / off client authentication, version-aware.

Jetty 9.4.15-9.4.18 check the *client* certificate's SubjectAltName against the client's
address unless ``jetty.sslContext.endpointIdentificationAlgorithm`` is set to the empty value
(jetty issues 3049, 3464, 3466, 3633). The empty value is harmless elsewhere, so it is written
whenever the version is in that range or unknown, and any non-empty value is replaced whenever
client auth is on.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from jettycfg.jetty.edit import Workspace
from jettycfg.jetty.schema import SC, is_true
from jettycfg.jetty.version import JettyVersion

NEED = SC + "needClientAuth"
WANT = SC + "wantClientAuth"
EIA = SC + "endpointIdentificationAlgorithm"


class ClientAuth(str, enum.Enum):
    """The client-auth mode, spelled one way everywhere (ini edits, lint, probe, JSON)."""

    NEED = "need"  # a client certificate is required
    WANT = "want"  # requested; clients without one still connect
    OFF = "off"  # never requested

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @classmethod
    def of(cls, need: bool, want: bool) -> ClientAuth:
        """What Jetty does with these two settings: need wins over want."""
        return cls.NEED if need else cls.WANT if want else cls.OFF


MODES: dict[str, tuple[str, str]] = {
    "need": ("true", "false"),
    "want": ("false", "true"),
    "off": ("false", "false"),
}

WORKAROUND_COMMENT = [
    "## Empty on purpose: Jetty 9.4.15-9.4.18 otherwise check the client certificate's",
    "## SubjectAltName against the client address and reject certificate logins",
    "## (jetty issue 3466). Harmless on other versions. Written by jettycfg.",
]


@dataclass(frozen=True)
class ClientAuthResult:
    mode: str
    changed: bool
    actions: tuple[str, ...]


def _current(ws: Workspace) -> ClientAuth:
    """The mode Jetty runs with now: the settings as its XML reads them, Boolean.valueOf."""
    config = ws.effective()

    return ClientAuth.of(
        is_true(config.xml(NEED), config.version), is_true(config.xml(WANT), config.version)
    )


def workaround_needed(version: JettyVersion | None) -> bool:
    """True when the empty endpointIdentificationAlgorithm must be written."""
    return version is None or version.needs_endpoint_workaround() is not False


def apply_client_auth(ws: Workspace, mode: str, version: JettyVersion | None) -> ClientAuthResult:
    """Edit ``ws`` in memory for ``mode``; the caller writes (or diffs) ``ws.changes()``."""
    need, want = MODES[mode]
    ws.version = version
    if mode == "off" and _current(ws) is ClientAuth.OFF:
        return ClientAuthResult(mode, False, ())  # never enabled: nothing to write
    actions = []
    if ws.set(NEED, need):
        actions.append(f"{NEED}={need}")
    if ws.set(WANT, want):
        actions.append(f"{WANT}={want}")
    if mode != "off":
        current = ws.effective().get(EIA)
        if workaround_needed(version):
            comment = None if ws.effective().active(EIA) else WORKAROUND_COMMENT
            if ws.set(EIA, "", comment):
                actions.append(f"{EIA}= (empty: Jetty 9.4.15-9.4.18 workaround)")
        elif current is not None and current.raw.strip():
            ws.set(EIA, "")
            actions.append(f"{EIA}= (was {current.raw!r}: breaks client certificates)")
    return ClientAuthResult(mode, bool(actions), tuple(actions))
