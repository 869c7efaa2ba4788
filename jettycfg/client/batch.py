"""Issuing many accounts at once: the work per account (a key, a signature, a PKCS#12 with its
KDF rounds) is independent, so large batches run on every core (forked workers inherit the CA;
keys are never pickled - workers hand back DER and the bundle files)."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from jettycfg.client.bundle import Sealing, bundle_changes
from jettycfg.client.issue import Authority, Issued, issue
from jettycfg.fsio import FileChange

PARALLEL_FROM = 200  # accounts; below that a pool costs more than it saves


@dataclass(frozen=True)
class Batch:
    ca: Authority | None
    key_type: str
    days: int
    rdns: list[tuple[Any, str]]
    out_dir: Path
    password: str
    profile: str
    sealing: Sealing = field(default_factory=Sealing)  # one salt per batch, keys derived once

    def one(self, account: str) -> tuple[Issued, list[FileChange]]:
        item = issue(account, self.ca, key_type=self.key_type, days=self.days, extra_rdns=self.rdns)
        changes = bundle_changes(item, self.out_dir, self.password, self.profile, self.sealing)
        return item, changes


_FORKED: Batch | None = None


def _worker(accounts: list[str]) -> list[tuple[bytes, bytes, list[FileChange]]]:
    assert _FORKED is not None
    out = []
    for account in accounts:
        item, changes = _FORKED.one(account)
        key = item.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        out.append((key, item.cert.public_bytes(serialization.Encoding.DER), changes))
    return out


def issue_all(batch: Batch, accounts: list[str]) -> tuple[list[Issued], list[FileChange]]:
    """Every account's certificate and bundle files (nothing written)."""
    global _FORKED
    cpus = os.cpu_count() or 1
    if len(accounts) < PARALLEL_FROM or cpus < 2 or os.name != "posix":
        done = [batch.one(a) for a in accounts]
        return [i for i, _ in done], [c for _, cs in done for c in cs]
    chunks = [accounts[i::cpus] for i in range(cpus)]
    _FORKED = batch
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(cpus, mp_context=context) as pool:
            results = list(pool.map(_worker, chunks))
    finally:
        _FORKED = None
    issued: list[Issued] = []
    changes: list[FileChange] = []
    chain = (batch.ca.cert, *batch.ca.chain) if batch.ca else ()
    for chunk, result in zip(chunks, results, strict=True):
        for account, (key_der, cert_der, files) in zip(chunk, result, strict=True):
            key = serialization.load_der_private_key(key_der, None)
            cert = x509.load_der_x509_certificate(cert_der)
            issued.append(Issued(account, key, cert, chain))  # type: ignore[arg-type]
            changes += files
    order = {a: n for n, a in enumerate(accounts)}
    issued.sort(key=lambda i: order[i.account])
    return issued, changes
