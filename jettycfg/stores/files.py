"""Load and save stores, the format detected from content, never from the file name."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

from jettycfg import fsio
from jettycfg.errors import PasswordRequiredError, StoreError
from jettycfg.stores import jks, pkcs12
from jettycfg.stores.model import Entry, EntryKind, Protection, Store, StoreFormat, load_cert

PEM_MARK = b"-----BEGIN"


def detect(data: bytes) -> StoreFormat:
    """The format of ``data`` by its content."""
    if not data:
        raise StoreError("empty file")
    fmt = jks.looks_like(data)
    if fmt is not None:
        return fmt
    if PEM_MARK in data[:4096]:
        return StoreFormat.PEM
    if data[0] == 0x30:
        return StoreFormat.PKCS12 if pkcs12.looks_like_pkcs12(data) else StoreFormat.DER
    raise StoreError("not a keystore or certificate (unknown format)")


MAX_STORE_BYTES = 64 * 1024 * 1024  # far above any real keystore (Debian's cacerts: ~200 KB)


_PENDING: contextvars.ContextVar[dict[str, bytes] | None] = contextvars.ContextVar(
    "jettycfg_pending_stores", default=None
)


@contextlib.contextmanager
def pending(contents: dict[Path, bytes]) -> Iterator[None]:
    """Inside the block, stores read as if ``contents`` were written (a self-check or a dry
    run judges the truststore a command is about to write, before writing it)."""
    token = _PENDING.set({os.path.realpath(p): data for p, data in contents.items()})
    try:
        yield
    finally:
        _PENDING.reset(token)


def read_bytes(path: Path, limit: int = MAX_STORE_BYTES) -> bytes:
    """The file's bytes; folders, FIFOs, devices and sockets are refused before reading
    (opened non-blocking, so a FIFO never hangs), and so are files larger than ``limit``."""
    overlay = _PENDING.get()
    if overlay is not None and (data := overlay.get(os.path.realpath(path))) is not None:
        return data
    try:
        return fsio.read_limited(path, limit)
    except fsio.InputFileError as exc:
        raise StoreError(str(exc)) from None
    except FileNotFoundError as exc:
        raise StoreError(f"{path}: no such file") from exc
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def parse(data: bytes, password: str | None) -> Store:
    fmt = detect(data)
    if fmt in (StoreFormat.JKS, StoreFormat.JCEKS):
        return jks.read(data, password)
    if fmt is StoreFormat.PKCS12:
        return pkcs12.read(data, password)
    return _certificates(data, fmt)


def _certificates(data: bytes, fmt: StoreFormat) -> Store:
    from cryptography import x509
    from cryptography.exceptions import UnsupportedAlgorithm

    try:
        if fmt is StoreFormat.PEM:
            from jettycfg.certs import load_pem_all  # what lint reads: NULL ECDSA params too

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                certs = load_pem_all(data)
        else:
            certs = [load_cert(data)]
    except (
        ValueError,
        TypeError,
        IndexError,
        OverflowError,
        x509.InvalidVersion,
        UnsupportedAlgorithm,
    ) as exc:
        what = "PEM" if fmt is StoreFormat.PEM else "DER"
        raise StoreError(f"no readable certificate in this {what} data") from exc
    except StoreError as exc:
        raise StoreError(f"no readable certificate in this DER data: {exc}") from exc
    store = Store(fmt, protection=Protection(cert_encryption="none", integrity="none"))
    taken: set[str] = set()
    for cert in certs:
        alias = store.unique_alias(alias_for(cert), taken)
        store.entries.append(Entry(alias, EntryKind.TRUSTED, [cert]))
    return store


def alias_for(cert: object) -> str:
    """Alias from the subject CN, lower-cased (as keytool stores aliases)."""
    from cryptography.x509.oid import NameOID

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)  # type: ignore[attr-defined]
            text = str(names[0].value) if names else ""
        except (ValueError, TypeError):
            text = ""
    return text.strip().lower() or "cert"


def needs_password(data: bytes) -> bool:
    """Whether reading a store needs its password (a PKCS#12 file with a MAC)."""
    return bool(data) and detect(data) is StoreFormat.PKCS12 and pkcs12.has_mac(data)


def load(
    path: Path,
    password: str | None,
    *,
    key_password: str | None = None,
    decrypt_keys: bool = False,
    data: bytes | None = None,
) -> Store:
    """Read a store (``data``: its bytes, when already read); with ``decrypt_keys`` every
    private key is decrypted (for rewriting)."""
    data = read_bytes(path) if data is None else data
    try:
        fmt = detect(data)
    except StoreError as exc:
        raise type(exc)(f"{path}: {exc}") from exc
    if fmt is StoreFormat.PKCS12 and password is None and decrypt_keys:
        raise PasswordRequiredError(f"{path}: the store password is needed")
    try:
        store = parse(data, password)
    except StoreError as exc:
        raise type(exc)(f"{path}: {exc}") from exc
    store.path = path
    if decrypt_keys:
        for entry in store.entries:
            if entry.kind is EntryKind.KEY and entry.key_pkcs8 is None:
                entry.key_pkcs8 = _decrypt(entry, password or "", key_password, path)
    return store


def _decrypt(entry: Entry, password: str, key_password: str | None, path: Path) -> bytes:
    try:
        if entry.protected_format is StoreFormat.PKCS12:
            return pkcs12.decrypt_key(entry, password)
        if entry.protected_format in (StoreFormat.JKS, StoreFormat.JCEKS) and entry.protected_key:
            return jks.recover_key(entry.protected_key, key_password or password)
    except StoreError as exc:
        raise type(exc)(f"{path}: {exc} (alias {entry.alias}; give it with --keypass)") from exc
    raise StoreError(
        f"{path}: cannot decrypt the private key {entry.alias} ({entry.protected_format})"
    )


def serialize(
    store: Store,
    fmt: StoreFormat,
    password: str,
    *,
    legacy: bool = False,
    key_password: str | None = None,
) -> bytes:
    if fmt is StoreFormat.PKCS12:
        return pkcs12.write(store, password, legacy=legacy)
    if fmt is StoreFormat.JKS:
        return jks.write(store, password, key_password)
    raise StoreError(f"cannot write {fmt.value} stores (JKS or PKCS12 only)")


def new_store(fmt: StoreFormat) -> Store:
    return Store(fmt, protection=Protection())


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
