"""The x509-limbo peer suite as client chains: cases, lint's verdict, and Java's reason classes.

A case line (tests/corpus/limbo/cases.tsv.gz) is ``id, epoch, roots, sent`` (tab-separated;
roots and sent are comma-separated base64 DER, sent leaf first). ``harness/Harness.java``
judges the same lines with the JDK's PKIX validator (TLS-client variant).
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from jettycfg.certs.lenient import load_cert
from jettycfg.errors import JettycfgError
from jettycfg.trust.algorithms import chain_cap
from jettycfg.trust.anchors import Anchors
from jettycfg.trust.pkix import judge
from jettycfg.trust.problem import TrustParams

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "limbo"
CASES = CORPUS / "cases.tsv.gz"
VERDICTS = CORPUS / "java-verdicts.tsv"
HARNESS = Path(__file__).resolve().parent / "harness" / "Harness.java"

# Java's reason (see Harness.java) -> the lint rules that name the same cause.
REASONS: dict[str, set[str]] = {
    "EKU": {"JC412"},
    "KU": {"JC411"},
    "CPV_EXPIRED": {"JC404"},
    "CPV_NOT_YET_VALID": {"JC405"},
    "CPV_INVALID_NAME": {"JC409"},
    "CRASH": {"JC409"},
    "CPV_NOT_CA_CERT": {"JC406"},
    "CPV_PATH_TOO_LONG": {"JC407"},
    "CPV_INVALID_KEY_USAGE": {"JC408"},
    "CPV_UNRECOGNIZED_CRIT_EXT": {"JC410"},
    "CPV_ALGORITHM_CONSTRAINED": {"JC414"},
    "CPV_NO_TRUST_ANCHOR": {"JC401", "JC418", "JC403"},
    "NO_PATH": {"JC401", "JC418", "JC403", "JC419"},
    "ANCHOR_NOT_CA": {"JC416"},
    "PARSE": {"JC463"},
}


LEAF_USAGE = {"JC411", "JC412", "JC413"}


def java17_verdicts(cases_gz: Path, variant: str = "tls-client") -> dict[str, tuple[str, str]]:
    """What the system Java 17 says of every case of ``cases_gz`` (id -> (verdict, reason)):
    Harness.java run as a source file, ``generic`` skipping the leaf's usage check."""
    from tests.conftest import _require

    java = shutil.which("java")
    _require("java and javac (17)", java is not None and shutil.which("javac") is not None)
    assert java is not None
    command = [java, "--add-exports", "java.base/sun.security.validator=ALL-UNNAMED"]
    command += [str(HARNESS), *(["generic"] if variant == "generic" else [])]
    out = subprocess.run(
        command,
        input=gzip.decompress(cases_gz.read_bytes()),
        capture_output=True,
        timeout=240,
        check=True,
    ).stdout.decode()
    seen = {}
    for line in out.splitlines():
        cid, verdict, reason, _ = line.split("\t", 3)
        seen[cid] = (verdict, reason)
    return seen


@dataclass(frozen=True)
class Case:
    id: str
    at: dt.datetime
    roots: tuple[bytes, ...]
    sent: tuple[bytes, ...]


def load_cases(path: Path = CASES) -> list[Case]:
    out = []
    for line in gzip.decompress(path.read_bytes()).decode().splitlines():
        cid, epoch, roots, sent = line.split("\t")
        out.append(
            Case(
                cid,
                dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc),
                tuple(base64.b64decode(b) for b in roots.split(",") if b),
                tuple(base64.b64decode(b) for b in sent.split(",") if b),
            )
        )
    return out


def load_verdicts(path: Path = VERDICTS) -> dict[str, dict[int, tuple[str, str]]]:
    """id -> {java major: (ACCEPT|REJECT, reason)}; header line ``# ...``, then
    ``id<TAB>17:ACCEPT:-<TAB>11:...``."""
    out: dict[str, dict[int, tuple[str, str]]] = {}
    for line in path.read_text().splitlines():
        if line.startswith("#") or not line:
            continue
        cid, *per = line.split("\t")
        out[cid] = {}
        for item in per:
            java, verdict, reason = item.split(":", 2)
            out[cid][int(java)] = (verdict, reason)
    return out


def lint_judge(case: Case, java: int, max_chain: int | None = None) -> tuple[str, set[str]]:
    """lint's verdict and the rules of its errors (``max_chain``: SunJSSE's cap, as set by
    jdk.tls.maxCertificateChainLength; None: the version's default)."""
    roots: list[x509.Certificate] = []
    for der in case.roots:
        try:
            roots.append(load_cert(der, anchor=True))
        except JettycfgError:
            continue  # keytool cannot import it either
    try:
        sent = [load_cert(der) for der in case.sent]
    except JettycfgError:
        return "REJECT", {"JC463"}
    v = judge(sent, Anchors(roots), TrustParams(at=case.at, java=java, max_chain=max_chain))
    if v.accepted:
        return "ACCEPT", set()
    return "REJECT", {p.rule for p in v.errors}


def agrees(
    case: Case,
    java: tuple[str, str],
    lint: tuple[str, set[str]],
    major: int,
    handshake: bool = True,
) -> tuple[bool, bool]:
    """(verdict agrees, reason agrees). The harness calls the trust manager directly; in a
    handshake SunJSSE refuses an over-long Certificate message first (JC415), which the Jetty
    oracle test (tests/trust/test_jetty_oracle.py) confirms. ``handshake=False``: lint was
    asked without that cap, as the harness is."""
    if java[0] != lint[0]:
        return False, False
    if java[0] == "ACCEPT":
        return True, True
    if handshake and len(case.sent) > chain_cap(major):
        return True, lint[1] == {"JC415"}
    expected = REASONS.get(java[1], set())
    if java[1] in ("EKU", "KU"):
        # Java checks the leaf's usage only after the path validated (EndEntityChecker).
        return True, bool(expected & lint[1]) and lint[1] <= LEAF_USAGE
    return True, bool(expected & lint[1])


def main() -> None:
    """Print agreement per Java version (``python -m tests.trust.peer_suite``)."""
    import sys

    cases = load_cases()
    verdicts = load_verdicts()
    for java in (11, 17, 25):
        n = verdict_ok = reason_ok = 0
        for case in cases:
            truth = verdicts.get(case.id, {}).get(java)
            if truth is None:
                continue
            v, r = agrees(case, truth, lint_judge(case, java), java)
            n, verdict_ok, reason_ok = n + 1, verdict_ok + v, reason_ok + r
            if "-v" in sys.argv and not r:
                print(case.id, truth, lint_judge(case, java))
        if n:
            print(
                f"Java {java}: {n} cases, verdict {verdict_ok}/{n}, verdict+reason {reason_ok}/{n}"
            )


if __name__ == "__main__":
    main()
