"""x509-limbo judged by real Java (the recorded verdicts, re-checked on the system Java 17)
and by lint's trust engine: verdict and reason must agree, each case within a second."""

from __future__ import annotations

import time

import pytest

from tests.trust import peer_suite as ps

CASES = ps.load_cases()
VERDICTS = ps.load_verdicts()

# Where lint does not (yet) model a Java version's own behaviour; each entry must still
# disagree, so the list cannot go stale silently.
KNOWN: dict[int, dict[str, str]] = {
    11: {
        # Java 11.0.13 applies the root's name constraints and tries the competing
        # intermediates in another order (ForwardBuilder); lint follows 17/25.
        "rfc5280::nc::intermediate-with-san-rejected-by-root-nc": "anchor NC on Java 11",
        "rfc5280::nc::nc-forbids-alternate-chain-ica": "builder order on Java 11",
    },
}


def test_corpus_is_complete() -> None:
    assert len(CASES) == 193
    assert {c.id for c in CASES} == set(VERDICTS)


@pytest.mark.parametrize("java", [11, 17, 25])
def test_lint_agrees_with_java(java: int) -> None:
    known = KNOWN.get(java, {})
    wrong = []
    for case in CASES:
        truth = VERDICTS[case.id][java]
        start = time.perf_counter()
        lint = ps.lint_judge(case, java)
        took = time.perf_counter() - start
        assert took < 1.0, f"{case.id} took {took:.2f} s"
        verdict_ok, reason_ok = ps.agrees(case, truth, lint, java)
        if not reason_ok:
            wrong.append((case.id, truth, sorted(lint[1]), verdict_ok))
    assert sorted(w[0] for w in wrong) == sorted(known), wrong


def test_java17_record_is_what_java_says(tmp_path: pytest.TempPathFactory) -> None:
    """Re-run the harness on the system Java 17 so the checked-in record stays honest."""
    seen = ps.java17_verdicts(ps.CASES)
    assert seen == {cid: v[17] for cid, v in VERDICTS.items()}
