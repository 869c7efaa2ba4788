"""Edits on a store model: import, remove, rename, repair-trust, export. Pure: no file I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jettycfg.certs import fingerprint, normalize_fingerprint
from jettycfg.errors import StoreError
from jettycfg.stores.files import alias_for, now
from jettycfg.stores.model import Entry, EntryKind, Store

if TYPE_CHECKING:
    from cryptography import x509


@dataclass
class ChangeReport:
    """What an edit did, for the user (and for --dry-run)."""

    added: list[tuple[str, str]] = field(default_factory=list)  # (alias, sha256)
    present: list[tuple[str, str]] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    trusted: list[tuple[str, str]] = field(default_factory=list)  # ignored -> trusted

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.renamed or self.trusted)

    def lines(self, dry_run: bool = False) -> list[str]:
        would = "would " if dry_run else ""
        out = [f"{would}add {a}  {fp}" for a, fp in self.added]
        out += [f"already present as {a}  {fp}" for a, fp in self.present]
        out += [f"{would}remove {a}  {fp}" for a, fp in self.removed]
        out += [f"{would}rename {old} -> {new}" for old, new in self.renamed]
        out += [f"{would}mark {a} as trusted (Java ignored it)  {fp}" for a, fp in self.trusted]
        return out


def _index(store: Store) -> dict[str, Entry]:
    """SHA-256 of each entry's first certificate -> entry."""
    return {fingerprint(e.certs[0]): e for e in store.entries if e.certs}


def import_certificates(
    store: Store, certs: list[x509.Certificate], alias: str | None = None
) -> ChangeReport:
    """Add each certificate as a trusted entry; one already present is reported, not duplicated."""
    report = ChangeReport()
    index = _index(store)
    fresh: list[x509.Certificate] = []
    seen: set[str] = set()
    for cert in certs:
        fp = fingerprint(cert)
        if fp in seen:
            continue
        seen.add(fp)
        existing = index.get(fp)
        if existing is None:
            fresh.append(cert)
        elif existing.kind is EntryKind.IGNORED:
            existing.kind = EntryKind.TRUSTED
            report.trusted.append((existing.alias, fp))
        else:
            report.present.append((existing.alias, fp))
    if alias is not None and len(fresh) > 1:
        raise StoreError(f"--alias names one entry, but {len(fresh)} new certificates were given")
    if alias is not None and fresh and store.find(alias) is not None:
        raise StoreError(f"alias {alias!r} already exists")
    taken = store.aliases()
    for cert in fresh:
        name = alias.lower() if alias is not None else store.unique_alias(alias_for(cert), taken)
        store.entries.append(Entry(name, EntryKind.TRUSTED, [cert], now()))
        report.added.append((name, fingerprint(cert)))
    return report


def remove(store: Store, aliases: list[str], fingerprints: list[str]) -> ChangeReport:
    report = ChangeReport()
    doomed: list[Entry] = []
    for alias in aliases:
        entry = store.find(alias)
        if entry is None:
            raise StoreError(f"no entry with alias {alias!r}")
        doomed.append(entry)
    index = _index(store)
    for fp in fingerprints:
        entry = index.get(normalize_fingerprint(fp))
        if entry is None:
            raise StoreError(f"no entry with SHA-256 fingerprint {normalize_fingerprint(fp)}")
        doomed.append(entry)
    for entry in doomed:
        if entry in store.entries:
            store.entries.remove(entry)
            report.removed.append(
                (entry.alias, fingerprint(entry.certs[0]) if entry.certs else "-")
            )
    return report


def rename(store: Store, old: str, new: str) -> ChangeReport:
    entry = store.find(old)
    if entry is None:
        raise StoreError(f"no entry with alias {old!r}")
    if not new.strip():
        raise StoreError("the new alias is empty")
    clash = store.find(new)
    if clash is not None and clash is not entry:
        raise StoreError(f"alias {new!r} already exists")
    report = ChangeReport(renamed=[(entry.alias, new.lower())])
    entry.alias = new.lower()
    return report


def repair_trust(store: Store) -> ChangeReport:
    """Make every certificate bag Java ignores a trusted entry (the openssl truststore fix)."""
    report = ChangeReport()
    for entry in store.entries:
        if entry.kind is EntryKind.IGNORED:
            entry.kind = EntryKind.TRUSTED
            report.trusted.append((entry.alias, fingerprint(entry.certs[0])))
    return report


def export(store: Store, aliases: list[str], der: bool = False) -> bytes:
    """PEM of the chosen entries' certificates (all entries when none named); DER: one only."""
    from jettycfg.certs import der_of, pem_of

    entries = store.entries if not aliases else [_need(store, a) for a in aliases]
    empty = next((e.alias for e in entries if not e.certs), None) if aliases else None
    if empty is not None:  # a secret key, or a key whose certificate is missing
        raise StoreError(f"entry {empty!r} holds no certificate to export")
    certs = [e.certs[0] for e in entries if e.certs]
    if der:
        if len(certs) != 1:
            raise StoreError(
                f"--der exports exactly one certificate, not {len(certs)}: name one alias"
            )
        return der_of(certs[0])
    return b"".join(pem_of(c) for c in certs)


def _need(store: Store, alias: str) -> Entry:
    entry = store.find(alias)
    if entry is None:
        raise StoreError(f"no entry with alias {alias!r}")
    return entry
