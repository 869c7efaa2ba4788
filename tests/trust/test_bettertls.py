"""Netflix BetterTLS (path building, name constraints) as client chains, judged by real Java
(the recorded verdicts, re-checked on the system Java 17) and by lint's trust engine.

Two records (tests/corpus/bettertls/README.md): the harness's TLS-client variant, what Jetty's
trust manager does (BetterTLS's leaves are serverAuth-only, so every chain that validates is
then refused on its EKU), and its generic variant (no leaf-usage check), where the
path-building and name-constraint verdicts show. Java checks the leaf's usage only after a path
validated, so lint's generic verdict is its TLS-client verdict without the leaf-usage rules.
The harness calls the validator directly, with no SunJSSE cap on the chain length, so lint is
asked without the cap too; the cap itself has its own test here.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest

from jettycfg.rules.chains import JC415
from jettycfg.trust.algorithms import chain_cap
from tests.trust import peer_suite as ps

CORPUS = ps.CORPUS.parent / "bettertls"
CASES = ps.load_cases(CORPUS / "cases.tsv.gz")
VARIANTS = {"tls-client": "java-verdicts.tsv", "generic": "java-verdicts-generic.tsv"}
VERDICTS = {variant: ps.load_verdicts(CORPUS / name) for variant, name in VARIANTS.items()}
NO_CAP = 1000  # as with jdk.tls.maxCertificateChainLength=1000

# (Java major, variant) -> {case id: why lint differs}. Each entry must still disagree, so the
# list cannot go stale silently.
KNOWN: dict[tuple[int, str], dict[str, str]] = {}


def lint_verdicts(case: ps.Case, java: int) -> dict[str, tuple[str, set[str]]]:
    verdict, rules = ps.lint_judge(case, java, max_chain=NO_CAP)
    generic = rules - ps.LEAF_USAGE
    return {
        "tls-client": (verdict, rules),
        "generic": ("REJECT" if generic else "ACCEPT", generic),
    }


def agreement(java: int) -> tuple[Counter[str], dict[str, list[tuple[str, object, object]]]]:
    """Agreement counts per variant and the cases whose verdict or reason differs."""
    counts: Counter[str] = Counter()
    wrong: dict[str, list[tuple[str, object, object]]] = {v: [] for v in VARIANTS}
    for case in CASES:
        start = time.perf_counter()
        lint = lint_verdicts(case, java)
        took = time.perf_counter() - start
        assert took < 1.0, f"{case.id} took {took:.2f} s"
        for variant, verdicts in VERDICTS.items():
            truth = verdicts[case.id][java]
            same_verdict, same_reason = ps.agrees(case, truth, lint[variant], java, handshake=False)
            counts[f"{variant} verdict"] += same_verdict
            counts[f"{variant} reason"] += same_reason
            if not same_reason:
                wrong[variant].append((case.id, truth, sorted(lint[variant][1])))
    return counts, wrong


def test_corpus_is_complete() -> None:
    suites = Counter(case.id.split("::")[0] for case in CASES)
    assert suites == {"nameconstraints": 5117, "pathbuilding": 81}
    for verdicts in VERDICTS.values():
        assert set(verdicts) == {case.id for case in CASES}
        assert all(set(per) == {11, 17, 25} for per in verdicts.values())


@pytest.mark.parametrize("java", [11, 17, 25])
def test_lint_agrees_with_java(java: int) -> None:
    counts, wrong = agreement(java)
    print(f"Java {java}, {len(CASES)} cases: {dict(counts)}")
    for variant in VARIANTS:
        known = KNOWN.get((java, variant), {})
        assert sorted(w[0] for w in wrong[variant]) == sorted(known), wrong[variant][:10]


@pytest.mark.parametrize("java", [11, 17, 25])
def test_longer_chains_are_refused_before_the_trust_manager(java: int) -> None:
    """BetterTLS's 36-certificate chains exceed SunJSSE's cap: refused in the handshake."""
    over = [case for case in CASES if len(case.sent) > chain_cap(java)]
    assert len(over) == 20
    assert all(ps.lint_judge(case, java) == ("REJECT", {JC415}) for case in over)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_java17_record_is_what_java_says(variant: str) -> None:
    """Re-run the harness on the system Java 17 so the checked-in record stays honest."""
    seen = ps.java17_verdicts(CORPUS / "cases.tsv.gz", variant)
    assert seen == {cid: v[17] for cid, v in VERDICTS[variant].items()}


if __name__ == "__main__":  # python -m tests.trust.test_bettertls: the agreement counts
    for major in (11, 17, 25):
        found, _ = agreement(major)
        print(f"Java {major}, {len(CASES)} cases: {dict(found)}")
