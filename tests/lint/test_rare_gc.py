"""lint's collector settings for a large run (jettycfg.lint.gcsettle): the collector runs less
often during a run; in the CLI (a process that ends after the run) results judged so far are
kept out of later collections, and everything is as before afterwards - a caller's own frozen
objects included. A library run freezes nothing (a host's garbage of the moment would be
frozen with it)."""

from __future__ import annotations

import gc
import weakref

from jettycfg.lint.gcsettle import rare_gc, settled, settling
from tests.lint.conftest import LintBase


class _Node:
    me: object


def _cycle() -> weakref.ref[_Node]:
    node = _Node()
    node.me = node
    return weakref.ref(node)


def test_settled_results_leave_the_collectors_sight_until_the_block_ends() -> None:
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    with settling(), rare_gc():
        assert gc.get_threshold()[0] >= 50_000
        results = [{"n": i} for i in range(1000)]
        gone = _cycle()
        settled()
        assert gc.get_freeze_count() >= len(results)
        gc.collect()
        assert gone() is not None  # settled: out of the collector's sight
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before
    gc.collect()
    assert gone() is None  # back in sight after the block
    settled()  # outside the block: nothing happens
    assert gc.get_freeze_count() == 0


def test_a_library_run_freezes_nothing(lint_base: LintBase) -> None:
    from jettycfg.lint.context import LintOptions
    from jettycfg.lint.runner import run_lint

    gone = _cycle()  # a host's garbage when the run starts
    result = run_lint(LintOptions(base=lint_base.path, client_certs=[lint_base.client]))
    assert result.clients[0].accepted
    assert gc.get_freeze_count() == 0
    gc.collect(1)
    assert gone() is None


def test_a_callers_frozen_objects_stay_frozen() -> None:
    gc.freeze()
    try:
        mine = gc.get_freeze_count()
        with settling():
            fresh = [{"n": i} for i in range(1000)]
            settled()
            assert gc.get_freeze_count() <= mine  # nothing added (freed objects leave it)
        assert len(fresh) == 1000
        assert gc.get_freeze_count() > mine - 100  # not unfrozen
    finally:
        gc.unfreeze()
