"""Run every rule over a JETTY_BASE and judge every client certificate."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm

import jettycfg
from jettycfg import memo
from jettycfg.certs import (
    CertSummary,
    as_java_reads,
    common_name,
    facts,
    intern,
    intern_der,
    load_pem_all,
    quiet_parsing,
)
from jettycfg.errors import JettycfgError, StoreError, WrongPasswordError
from jettycfg.jetty.base import load_documents, resolve_base
from jettycfg.jetty.masking import scrubbed, secret_values
from jettycfg.jetty.server import model_server, verdict
from jettycfg.lint.context import ClientCert, LintContext, LintOptions
from jettycfg.lint.findings import Finding, Severity
from jettycfg.lint.gcsettle import rare_gc, settled
from jettycfg.lint.registry import CHECKS, check_severity, load_all
from jettycfg.lint.rules.bundles import bundle_problems
from jettycfg.lint.rules.certs import client_problems, login_problems
from jettycfg.rules.clients import JC463
from jettycfg.rules.stores import JC390
from jettycfg.stores import files
from jettycfg.stores.model import EntryKind, StoreFormat
from jettycfg.trust.pkix import Problem, TrustParams


@dataclass(frozen=True)
class LoginResult:
    """JOC's login stage: whether the certificate logs in, as which account, and why not."""

    possible: bool
    account: str | None
    problems: list[Finding] = field(default_factory=list)


@dataclass
class ClientResult:
    file: str
    subject: str | None
    common_name: str | None
    accepted: bool
    pinned: bool = False
    problems: list[Finding] = field(default_factory=list)
    chain: list[CertSummary] = field(default_factory=list)
    unreadable: bool = False
    login: LoginResult | None = None  # None: unreadable


@dataclass
class LintResult:
    base: str
    jetty_version: str
    jetty_version_known: bool
    java_version: int
    at: dt.datetime
    client_auth: str
    starts: bool
    findings: list[Finding]
    clients: list[ClientResult]

    @property
    def all_findings(self) -> list[Finding]:
        return self.findings + [p for c in self.clients for p in c.problems]

    def worst(self) -> Severity | None:
        levels = [f.severity for f in self.all_findings]
        return max(levels) if levels else None

    @property
    def unreadable_input(self) -> bool:
        return any(c.unreadable for c in self.clients)

    def summary(self) -> dict[str, object]:
        counts = {s: sum(1 for f in self.all_findings if f.severity is s) for s in Severity}
        accepted = sum(1 for c in self.clients if c.accepted)
        logins = sum(1 for c in self.clients if c.login is not None and c.login.possible)
        return {
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "infos": counts[Severity.INFO],
            "certificates": len(self.clients),
            "accepted": accepted,
            "rejected": len(self.clients) - accepted,
            "logins_possible": logins,
            "jetty_starts": self.starts,
        }


def selected(code: str, select: list[str], ignore: list[str]) -> bool:
    """--select / --ignore take codes or prefixes (JC4 = every JC4xx)."""
    if select and not any(code.startswith(s) for s in select):
        return False
    return not any(code.startswith(i) for i in ignore)


def load_client(path: Path, password: str | None, data: bytes | None = None) -> ClientCert:
    """A client certificate file: PEM (leaf first, then chain), DER, or PKCS#12 / JKS
    (``data``: its bytes when already read)."""
    try:
        if data is None:
            data = files.read_bytes(path)
        fmt = files.detect(data)
        if fmt in (StoreFormat.PEM, StoreFormat.DER):
            return _parsable(ClientCert(path, _certificates(data, fmt)))
        store = files.parse(data, password)
    except WrongPasswordError:
        return ClientCert(path, error="wrong password (--client-pass)")
    except StoreError as exc:
        return ClientCert(path, error=str(exc))
    keys = [e for e in store.entries if e.kind is EntryKind.KEY]
    certs = list(keys[0].certs) if keys else [c for e in store.entries for c in e.certs]
    if not certs:
        if password is None:
            what = f"a {fmt.value} file without a readable certificate"
            return ClientCert(path, error=f"{what}: give its password (--client-pass…)")
        return ClientCert(path, error="no certificate in this file")
    bundle = store if fmt is StoreFormat.PKCS12 else None
    return _parsable(ClientCert(path, certs, bundle=bundle))


READ_AHEAD_BYTES = 64 * 1024  # a client file larger than this is read when its turn comes


def read_ahead(paths: list[Path]) -> list[bytes | None]:
    """The bytes of each of ``paths`` that is small and readable, read one after the other
    before any is judged (10,000 files: a read in a row took about a third of the time one
    between judgements took, 10 against 28 us); None for the rest, which :func:`load_client`
    reads - and reports - itself."""
    found: list[bytes | None] = []
    for path in paths:
        try:
            found.append(files.read_bytes(path, READ_AHEAD_BYTES))
        except StoreError:
            found.append(None)
    return found


def _parsable(client: ClientCert) -> ClientCert:
    """A file whose certificates cryptography cannot fully parse is reported, not judged."""
    chain = []
    for cert in client.chain:
        try:
            chain.append(as_java_reads(intern(cert)))
        except (ValueError, UnsupportedAlgorithm) as exc:
            return ClientCert(client.file, error=f"malformed or unsupported certificate ({exc})")
    return ClientCert(client.file, chain, bundle=client.bundle)


def _certificates(data: bytes, fmt: StoreFormat) -> list[x509.Certificate]:
    """The certificates of a PEM bundle (in file order) or a DER file."""
    try:
        if fmt is StoreFormat.PEM:
            return load_pem_all(data)
        return [intern_der(data)]
    except (ValueError, x509.InvalidVersion) as exc:
        raise StoreError(f"no readable certificate in this {fmt.value} data") from exc


def _summary(cert: x509.Certificate, at: dt.datetime | None) -> CertSummary:
    """CertSummary at ``at``, memoized: the same intermediates come with thousands of client
    chains."""
    table = facts(cert)
    found: CertSummary | None = table.get(("summary", at))
    if found is None:
        found = table[("summary", at)] = CertSummary.of(cert, at)
    return found


def _to_finding(problem: Problem, subject: str) -> Finding:
    return Finding(
        problem.rule,
        problem.severity,
        problem.message,
        subject,
        None,
        problem.fix,
        subject,
    )


def run_lint(
    options: LintOptions,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> LintResult:
    """The whole lint: configuration rules, then a verdict per client certificate. Caches
    live for this run only (:mod:`jettycfg.memo`)."""
    with memo.scope():
        return _run(options, select or [], ignore or [], progress)


def _run(
    options: LintOptions,
    select: list[str],
    ignore: list[str],
    progress: Callable[[int], None] | None,
) -> LintResult:
    load_all()
    base = resolve_base(options.base)
    options.base = base
    docs = load_documents(base)
    model = model_server(base, options.jetty_version, options.java, docs)
    ctx = LintContext(options, model, docs)
    findings = [f for f in model.findings if selected(f.rule, select, ignore)]
    for code, check in sorted(CHECKS.items()):
        if selected(code, select, ignore):
            try:
                findings.extend(check(ctx))
            except (ValueError, UnsupportedAlgorithm) as exc:  # a certificate cryptography
                # parses lazily turned out malformed: report it, keep the rest of the report
                findings.append(
                    Finding(
                        JC390,
                        Severity.ERROR,
                        f"{code} could not check a certificate in a store: {exc}",
                    )
                )
    findings = scrubbed(findings, secret_values(model.config))  # values quoting a password
    params = TrustParams(
        at=options.at,
        java=options.java,
        endpoint_identification=model.endpoint_identification,
        client_ip=options.client_ip,
    )
    # one option takes every format: a PKCS#12 / JKS given as --client-cert opens with the
    # --client-pass as well (PEM and DER need none)
    paths = [(p, options.client_pass) for p in [*options.client_certs, *options.client_p12]]
    job = _Job(ctx, params, select, ignore)
    with rare_gc():
        clients = _judge_all(job, paths, options.jobs, progress)
    for f in findings + [p for c in clients for p in c.problems]:
        check_severity(f.rule, f.severity)
    return LintResult(
        str(base),
        str(model.version),
        model.version_known,
        options.java,
        options.at,
        model.client_auth,
        model.starts,
        findings,
        clients,
    )


PARALLEL_FROM = 400  # certificates; below that a process pool costs more than it saves
CHUNK = 250


@dataclass
class _Job:
    ctx: LintContext
    params: TrustParams
    select: list[str]
    ignore: list[str]

    def run(self, chunk: list[tuple[Path, str | None]]) -> list[ClientResult]:
        # a forked worker inherits the run's scope; a spawned one opens its own
        with memo.scope(), quiet_parsing():
            read = read_ahead([path for path, _ in chunk])
            return [
                _judge(
                    self.ctx,
                    load_client(path, password, data),
                    self.params,
                    self.select,
                    self.ignore,
                )
                for (path, password), data in zip(chunk, read, strict=True)
            ]


_FORKED_JOB: _Job | None = None  # what forked workers inherit


def _run_forked(chunk: list[tuple[Path, str | None]]) -> list[ClientResult]:
    assert _FORKED_JOB is not None
    return _FORKED_JOB.run(chunk)


def _forkable() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _judge_all(
    job: _Job,
    paths: list[tuple[Path, str | None]],
    jobs: int,
    progress: Callable[[int], None] | None,
) -> list[ClientResult]:
    """Judge every file; large sets in forked worker processes (results keep input order)."""
    global _FORKED_JOB
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    chunks = [paths[i : i + CHUNK] for i in range(0, len(paths), CHUNK)]
    results: list[ClientResult] = []
    if workers <= 1 or len(paths) < PARALLEL_FROM or not _forkable():
        for chunk in chunks:
            results.extend(job.run(chunk))
            settled()
            if progress is not None:
                progress(len(results))
        return results
    _FORKED_JOB = job
    try:
        import multiprocessing  # one process (most runs) does not import the pool machinery
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for done in pool.map(_run_forked, chunks):
                results.extend(done)
                settled()
                if progress is not None:
                    progress(len(results))
    finally:
        _FORKED_JOB = None
    return results


def _judge(
    ctx: LintContext, client: ClientCert, params: TrustParams, select: list[str], ignore: list[str]
) -> ClientResult:
    file = str(client.file)
    if client.error is not None or not client.chain:
        problem = Finding(
            JC463,
            Severity.ERROR,
            f"cannot read {file}: {client.error}",
            file,
            None,
            "give a PEM, DER or PKCS#12 file (and its password)",
            file,
        )
        return ClientResult(file, None, None, False, problems=[problem], unreadable=True)
    v = verdict(ctx.model, client.chain, params)
    check, joc = login_problems(ctx, client, v.accepted)
    problems = list(v.problems) + joc + client_problems(ctx, client)
    if client.bundle is not None:
        problems += bundle_problems(client, check.account, ctx.options.client_pass)
    leaf = client.chain[0]
    summaries = [_summary(c, ctx.options.at) for c in client.chain]
    login_findings = [_to_finding(p, file) for p in joc if selected(p.rule, select, ignore)]
    refusing = any(p.severity is Severity.ERROR for p in joc)
    possible = v.accepted and check.possible and not refusing
    return ClientResult(
        file,
        summaries[0].subject,
        common_name(leaf),
        v.accepted,
        v.pinned,
        [_to_finding(p, file) for p in problems if selected(p.rule, select, ignore)],
        summaries,
        login=LoginResult(possible, check.account, login_findings),
    )


__all__ = ["JettycfgError", "LintResult", "jettycfg", "run_lint"]
