"""The cyclic collector during a large lint: judging 10,000 chains piles up results that hold no
cycles worth chasing, and the collector would rescan them over and over."""

from __future__ import annotations

import contextlib
import contextvars
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def rare_gc() -> Iterator[None]:
    """Results pile up and hold no cycles worth chasing: the cyclic collector would rescan
    them over and over (5-10 % of a 10,000-chain run); it runs less often meanwhile."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], 50_000), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


_SETTLING: contextvars.ContextVar[bool] = contextvars.ContextVar("settling", default=False)


@contextlib.contextmanager
def settling() -> Iterator[None]:
    """Within the block :func:`settled` takes what is already judged out of the collector's
    sight; everything goes back when it ends. For a process that ends after the run (the
    CLI): ``gc.freeze`` freezes every tracked object, a host's garbage cycles of the moment
    included, and those would then wait for a full collection. Not when something else has
    frozen objects already (they are left as they are)."""
    ours = gc.get_freeze_count() == 0
    token = _SETTLING.set(ours)
    try:
        yield
    finally:
        if ours:
            gc.unfreeze()
        _SETTLING.reset(token)


def settled() -> None:
    """Inside :func:`settling`: every object alive now (the results so far) is left out of
    later collections (``gc.freeze``) until the block ends, when they go back."""
    if _SETTLING.get():
        gc.freeze()
