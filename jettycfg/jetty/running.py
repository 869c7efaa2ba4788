"""Jetty processes running on this machine for a JETTY_BASE (Linux /proc), and when they
started: a truststore changed after that start is not what the running Jetty uses."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class RunningJetty:
    pid: int
    started: float  # epoch seconds


def _boot_time() -> float | None:
    try:
        for line in (PROC / "stat").read_text().splitlines():
            if line.startswith("btime "):
                return float(line.split()[1])
    except OSError:
        return None
    return None


def _started(pid: str, boot: float) -> float | None:
    try:
        stat = (PROC / pid / "stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2 :].split()  # after "pid (comm) "
    return boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")


def _serves(pid: str, base: Path) -> bool:
    """A java process running start.jar for ``base`` (jetty.base=... or its working folder)."""
    try:
        args = (PROC / pid / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    text = [a.decode("utf-8", "replace") for a in args if a]
    if not any(a.endswith("start.jar") for a in text):
        return False
    for arg in text:
        if arg.startswith("jetty.base=") and os.path.realpath(arg[11:]) == str(base):
            return True
    if any(a.startswith("jetty.base=") for a in text):
        return False
    try:
        return os.path.realpath(os.readlink(PROC / pid / "cwd")) == str(base)
    except OSError:
        return False


def running_for(base: Path) -> list[RunningJetty]:
    """Jetty processes serving ``base`` (empty where /proc is not readable)."""
    boot = _boot_time()
    if boot is None:
        return []
    base = Path(os.path.realpath(base))  # realpath: a link loop is no crash
    found = []
    for entry in PROC.iterdir():
        if entry.name.isdigit() and _serves(entry.name, base):
            started = _started(entry.name, boot)
            if started is not None:
                found.append(RunningJetty(int(entry.name), started))
    return found
