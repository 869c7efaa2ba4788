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
    them over and over (5-10 % of a 10,000-chain run); it runs less often meanwhile, and
    :func:`settled` takes what is already judged out of its sight until the block ends."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], 50_000), *thresholds[1:])
    ours = gc.get_freeze_count() == 0  # a caller's own frozen objects are left as they are
    token = _SETTLING.set(ours)
    try:
        yield
    finally:
        _SETTLING.reset(token)
        if ours:
            gc.unfreeze()
        gc.set_threshold(*thresholds)


_SETTLING: contextvars.ContextVar[bool] = contextvars.ContextVar("settling", default=False)


def settled() -> None:
    """Inside :func:`rare_gc`: every object alive now (the results so far) is left out of
    later collections (``gc.freeze``) until the block ends, when they go back."""
    if _SETTLING.get():
        gc.freeze()
