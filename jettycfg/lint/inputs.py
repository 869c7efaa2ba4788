"""What lint reads besides the base: client-certificate files (folders expanded) and the JOC
accounts to check CNs against."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterable
from pathlib import Path

from jettycfg.errors import UsageError


def read_accounts(names: Iterable[str], file: Path | None) -> set[str] | None:
    """The JOC accounts from ``--account`` names and an accounts file (one per line, ``#``
    comments); None when none was given (then CNs are not checked against accounts)."""
    given = set(names)
    if not given and file is None:
        return None
    accounts = given
    if file is not None:
        from jettycfg import fsio

        try:
            text = _text(fsio.read_limited(file, fsio.MAX_LIST_BYTES))
        except fsio.InputFileError as exc:
            raise UsageError(f"--accounts-file: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read --accounts-file {file}") from exc
        accounts |= _parse_accounts(text, file)
    return accounts


def _text(raw: bytes) -> str:
    """UTF-8, its BOM dropped (Notepad, PowerShell 7), or UTF-16 with its BOM (Windows
    PowerShell 5's ``>``): a BOM is never part of the first account."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig")


def _parse_accounts(text: str, file: Path) -> set[str]:
    """One account per line (``#`` comments), or the JSON JOC's ``/iam/accounts`` API answers:
    ``{"accountItems": [{"accountName": ...}, ...]}``."""
    lines = {
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith("#")
    }
    if not text.lstrip().startswith(("{", "[")):
        return lines
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        if text.lstrip().startswith("["):  # a list whose first account is "[admin]"
            return lines
        raise UsageError(f"--accounts-file {file}: not valid JSON ({exc.msg})") from None
    except RecursionError:  # [[[[...]]]] nested deeper than Python's stack
        raise UsageError(f"--accounts-file {file}: JSON nested too deeply") from None
    items = doc.get("accountItems") if isinstance(doc, dict) else None
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and isinstance(i.get("accountName"), str) for i in items
    ):
        raise UsageError(
            f"--accounts-file {file}: expected JOC's /iam/accounts answer "
            '({"accountItems": [{"accountName": ...}]}) or one account per line'
        )
    return {i["accountName"] for i in items}


P12_SUFFIXES = (".p12", ".pfx", ".pkcs12")
KEY_SUFFIXES = (".key", ".csr")
CHAIN_FILE = "ca-chain.pem"  # the CAs `client issue` writes beside the bundles: no client


def expand_folders(certs: list[Path], p12s: list[Path]) -> tuple[list[Path], list[Path]]:
    """A folder given to --client-cert stands for its files (sorted): .p12/.pfx ones are read
    as PKCS#12 (with --client-pass), .key/.csr files are skipped, the rest as PEM/DER."""
    out_certs: list[Path] = []
    out_p12 = list(p12s)
    for path in certs:
        if not path.is_dir():
            out_certs.append(path)
            continue
        # scandir: a folder of 10,000 files needs no stat per file (its entries say what they
        # are; a symlink is followed, as Path.is_file does)
        with os.scandir(path) as entries:
            names = sorted((e.name for e in entries if _is_file(e)), key=_PATH_ORDER)
        for file in (path / name for name in names):
            suffix = file.suffix.lower()
            if suffix in P12_SUFFIXES:
                out_p12.append(file)
            elif suffix not in KEY_SUFFIXES and file.name != CHAIN_FILE:
                out_certs.append(file)
    return out_certs, out_p12


# Path's own order among the entries of one folder (PurePath compares case-folded parts on
# Windows, str.lower; plain strings elsewhere), without building and comparing Paths
_PATH_ORDER = str.lower if os.name == "nt" else None


def _is_file(entry: os.DirEntry[str]) -> bool:
    """A file (a symlink followed; a broken one is no file). One that cannot be looked at (a
    symlink loop, no permission) is kept, so that lint reports it as unreadable instead of
    skipping it or stopping."""
    try:
        return entry.is_file()
    except OSError as exc:
        return exc.errno not in (errno.ENOENT, errno.ENOTDIR, errno.EBADF)


def client_ip(text: str | None, what: str) -> str | None:
    """The client's address for endpointIdentificationAlgorithm: an IPv4 or IPv6 address."""
    if text is not None:
        import ipaddress

        try:
            ipaddress.ip_address(text)
        except ValueError:
            raise UsageError(f"{what}: give an IPv4 or IPv6 address") from None
    return text
