"""Caches that live for one run (one lint, one probe, one library call), never for the process.

Judging thousands of client chains derives the same facts again and again (an intermediate's
canonical subject, whether a CA's key verifies it, its extension table). Those facts depend only
on certificate contents, so they are memoized by SHA-256 - but only inside :func:`scope`: the
runner opens one per run and every table goes away with it. Outside a scope nothing is cached.
Tables are bounded (cleared when they grow past ``limit``), so one huge run stays flat in memory.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any


class Memo:
    """The tables of one run, by name."""

    def __init__(self) -> None:
        self._tables: dict[str, dict[Any, Any]] = {}
        # per certificate object: [certificate, DER, SHA-256 or None, facts]
        # (jettycfg.certs; the object is held so that its id() is not reused)
        self.held: dict[int, list[Any]] = {}


CURRENT: contextvars.ContextVar[Memo | None] = contextvars.ContextVar(
    "jettycfg_memo", default=None
)  # read directly on hot paths (jettycfg.certs): one call less per lookup
_CURRENT = CURRENT


@contextlib.contextmanager
def scope() -> Iterator[Memo]:
    """Cache within the ``with`` block (re-entrant: an inner scope reuses the outer one)."""
    outer = _CURRENT.get()
    if outer is not None:
        yield outer
        return
    memo = Memo()
    token = _CURRENT.set(memo)
    try:
        yield memo
    finally:
        _CURRENT.reset(token)


def current() -> Memo | None:
    """The run's memo, or None outside a run."""
    return _CURRENT.get()


def table(name: str, limit: int = 100_000) -> dict[Any, Any]:
    """The run's table ``name``; outside a run a fresh, throw-away one (nothing is cached)."""
    memo = _CURRENT.get()
    if memo is None:
        return {}
    found = memo._tables.get(name)  # lint asks ~10 times per chain: no method call more
    if found is None or len(found) > limit:
        found = memo._tables[name] = {}
    return found
