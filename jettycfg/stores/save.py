"""Writing a store as the command line and the library do: the file format a path asks for,
whether a rewrite keeps the legacy algorithms, and a save that proves its bytes first."""

from __future__ import annotations

from pathlib import Path

from jettycfg.errors import StoreError, UsageError
from jettycfg.fsio import write_atomic
from jettycfg.stores import files
from jettycfg.stores.model import Entry, EntryKind, Store, StoreFormat

JKS_SUFFIXES = (".jks", ".keystore", ".ks")


def format_for(path: Path, explicit: str | None) -> StoreFormat:
    """The format of a new store: ``explicit`` (jks / pkcs12), else JKS for .jks/.keystore/.ks
    names and PKCS#12 for everything else (Java's default keystore type since 9)."""
    if explicit:
        return StoreFormat.JKS if explicit.lower() == "jks" else StoreFormat.PKCS12
    if path.suffix.lower() == ".jceks":  # never PKCS#12 bytes under a JCEKS name
        raise UsageError(f"{path}: cannot write JCEKS stores (JKS or PKCS12 only; give --to)")
    return StoreFormat.JKS if path.suffix.lower() in JKS_SUFFIXES else StoreFormat.PKCS12


def keep_legacy(store: Store, legacy: bool, modern: bool) -> bool:
    """Whether to write PBE-SHA1-3DES: as asked, else as the existing PKCS#12 file was."""
    if legacy and modern:
        raise UsageError("give --legacy or --modern, not both")
    if legacy or modern:
        return legacy
    return store.format is StoreFormat.PKCS12 and store.protection.legacy and store.path is not None


def save_checked(
    store: Store,
    path: Path,
    fmt: StoreFormat,
    password: str,
    *,
    legacy: bool = False,
    backup: bool = False,
    key_password: str | None = None,
) -> Path | None:
    """Serialize, read the bytes back to prove them, then write atomically (new files: 0600).
    Returns the backup made, if any."""
    data = checked_bytes(store, path, fmt, password, legacy=legacy, key_password=key_password)
    return write_atomic(path, data, backup=backup, new_mode=0o600)


def checked_bytes(
    store: Store,
    path: Path,
    fmt: StoreFormat,
    password: str,
    *,
    legacy: bool = False,
    key_password: str | None = None,
) -> bytes:
    """The store serialized and proven: read back, Java sees the same entries."""
    data = files.serialize(store, fmt, password, legacy=legacy, key_password=key_password)
    try:
        check = files.parse(data, password)
    except StoreError as exc:
        raise StoreError(
            f"{path}: the new store does not read back ({exc}); nothing written"
        ) from exc
    lost = set(_view(store.entries)) ^ set(_view(check.entries))
    if lost:
        first = ", ".join(f"{a} ({k}, chain {n})" for a, k, n in sorted(lost)[:3])
        raise StoreError(
            f"refused, nothing written: as {fmt.value} Java would not see the same entries"
            f" (differs: {first}; {_why_lost(store, fmt)})"
        )
    return data


def _why_lost(store: Store, fmt: StoreFormat) -> str:
    if fmt is StoreFormat.JKS and any(e.kind is EntryKind.IGNORED for e in store.entries):
        return (
            "certificates Java ignores in the source would become trusted entries in JKS; "
            "convert to PKCS12, or delete them first"
        )
    return "a key chain that is not issuer-linked cannot be kept in PKCS#12"


def _view(entries: list[Entry]) -> list[tuple[str, str, int]]:
    """Java's view of the entries: alias, kind, chain length (certificates Java ignores aside)."""
    return sorted(
        (e.alias.lower(), e.kind.value, len(e.certs))
        for e in entries
        if e.kind is not EntryKind.IGNORED
    )
