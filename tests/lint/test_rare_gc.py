"""lint's collector settings for a large run (jettycfg.lint.gcsettle.rare_gc / settled): results
judged so far are kept out of later collections during the run, and everything is as before
afterwards - a caller's own frozen objects included."""

from __future__ import annotations

import gc
import weakref

from jettycfg.lint.gcsettle import rare_gc, settled


class _Node:
    me: object


def test_settled_results_leave_the_collectors_sight_until_the_block_ends() -> None:
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    with rare_gc():
        assert gc.get_threshold()[0] >= 50_000
        results = [{"n": i} for i in range(1000)]
        settled()
        frozen = gc.get_freeze_count()
        assert frozen >= len(results)
        cycle = _Node()
        cycle.me = cycle
        gone = weakref.ref(cycle)
        settled()
        del cycle
        gc.collect()
        assert gone() is not None  # settled: out of the collector's sight
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gone() is None  # back in sight after the block
    assert gc.get_threshold() == before
    settled()  # outside the block: nothing happens
    assert gc.get_freeze_count() == 0


def test_a_callers_frozen_objects_stay_frozen() -> None:
    gc.freeze()
    try:
        mine = gc.get_freeze_count()
        with rare_gc():
            fresh = [{"n": i} for i in range(1000)]
            settled()
            assert gc.get_freeze_count() <= mine  # nothing added (freed objects leave it)
        assert len(fresh) == 1000
        assert gc.get_freeze_count() > mine - 100  # not unfrozen
    finally:
        gc.unfreeze()
