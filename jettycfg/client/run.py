"""The client commands as library calls: validate everything, compute every file, check the
result against the base, and only then write. Each returns (lines, notes, ok)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from jettycfg.client.batch import Batch, issue_all
from jettycfg.client.bundle import bundle_changes, refuse_existing
from jettycfg.client.check import self_check, truststore_holds
from jettycfg.client.issue import Authority, Issued, check_account, csr, new_key
from jettycfg.client.issue import read_accounts_for_issue as accounts_for
from jettycfg.client.keys import PrivateKey, belongs_to, load_pem_key
from jettycfg.errors import PasswordError, UsageError
from jettycfg.fsbatch import write_new_files
from jettycfg.fsio import FileChange, edit_lock, make_folder
from jettycfg.jetty.version import JettyVersion
from jettycfg.stores import files
from jettycfg.transaction import apply_changes

# (lines to print, notes, ok, the changes planned - written unless dry_run)
Outcome = tuple[list[str], list[str], bool, list[FileChange]]
RESTART = "restart Jetty: it reads the truststore only at start"
ROLES = (
    "each account must exist in JOC's CERTIFICATE identity service and have roles, or JOC "
    "answers 'login denied: no role assignment found'"
)


@dataclass
class IssueRequest:
    accounts: list[str]
    accounts_file: Path | None
    ca: Path | None
    ca_key: Path | None
    ca_password: str | None
    key_type: str
    days: int
    rdns: list[tuple[Any, str]]
    out_dir: Path
    password: str
    profile: str
    base: Path | None = None
    version: JettyVersion | None = None
    truststore: Path | None = None
    truststore_password: str | None = None
    add_ca: bool = False
    force: bool = False
    dry_run: bool = False


@dataclass
class BundleRequest:
    key: Path
    key_password: str | None
    cert: Path
    chains: list[Path] = field(default_factory=list)
    out_dir: Path = Path(".")
    password: str = ""
    profile: str = "modern"
    base: Path | None = None
    version: JettyVersion | None = None
    force: bool = False
    dry_run: bool = False


def _truststore_target(req: IssueRequest) -> tuple[Path, str] | None:
    """Where trusted certificates go: --truststore, else the base's own truststore."""
    if req.truststore is not None:
        if req.truststore_password is None:
            raise PasswordError("--truststore needs its password (--truststore-pass…)")
        return req.truststore, req.truststore_password
    if req.base is None:
        return None
    from jettycfg.jetty.server import model_server

    loaded = model_server(req.base, req.version).truststore
    if loaded.setting.path is None or loaded.password is None:
        raise UsageError("the base names no truststore with a password: give --truststore")
    return loaded.setting.path, loaded.password


def _trust_change(target: tuple[Path, str], certs: list[x509.Certificate]) -> FileChange | None:
    from jettycfg.stores.ops import import_certificates
    from jettycfg.stores.save import format_for

    path, password = target
    if path.exists():
        store = files.load(path, password, decrypt_keys=True)
        old: bytes | None = _read_file(path)
    else:
        store, old = files.new_store(format_for(path, None)), None
    report = import_certificates(store, certs)
    if not report.added and not report.trusted:
        return None
    data = files.serialize(store, store.format, password, legacy=store.protection.legacy)
    return FileChange(path, old, data, 0o600)


def run_issue(req: IssueRequest) -> Outcome:
    """`client issue`: nothing is written when any input is bad or the self-check fails."""
    _check_targets(req)
    accounts = accounts_for(req.accounts, req.accounts_file)
    ca = _authority(req)
    batch = Batch(ca, req.key_type, req.days, req.rdns, req.out_dir, req.password, req.profile)
    issued, made = issue_all(batch, accounts)
    notes = [ROLES]
    trusted = [i.cert for i in issued] if ca is None else [(ca.chain or (ca.cert,))[-1]]
    wants_trust = ca is None and (req.truststore is not None or req.base is not None)
    with contextlib.ExitStack() as locks:  # what is read is what is written
        locks.enter_context(_locked(req.out_dir, req.dry_run, req.base))
        target = _truststore_target(req) if req.add_ca or wants_trust else None
        if target is not None and target[0].parent.resolve() != req.out_dir.resolve():
            locks.enter_context(edit_lock(target[0].parent))
        changes = refuse_existing(list({c.path: c for c in made}.values()), req.force)
        trust = _trust_change(target, trusted) if target is not None else None
        if trust is not None:
            notes.insert(0, f"{'would add' if req.dry_run else 'added'} to {trust.path}; {RESTART}")
        elif ca is not None and target is None and req.base is not None:
            sent = (ca.cert, *ca.chain)  # Java takes any of them as the anchor
            if not any(truststore_holds(req.base, req.version, c) for c in sent):
                raise UsageError(
                    "the base's truststore holds neither the issuing CA nor a CA above it: "
                    "Jetty would reject every certificate; give --add-ca-to-truststore (then "
                    "restart Jetty)"
                )
        return _check_and_write(issued, changes, req, notes, trust)


def _check_targets(req: IssueRequest | BundleRequest) -> None:
    """--base and --add-ca-to-truststore make sense before anything is generated."""
    if req.base is not None:
        from jettycfg.jetty.base import resolve_base

        resolve_base(req.base)
    if isinstance(req, IssueRequest) and req.add_ca and req.base is None and req.truststore is None:
        raise UsageError("--add-ca-to-truststore needs --base or --truststore")


@contextlib.contextmanager
def _locked(out_dir: Path, dry_run: bool, base: Path | None = None) -> Iterator[None]:
    """The edit locks of the base (a base's lock before any folder's, as `store ... --base`
    takes them) and of --out-dir (made first), held from the check for existing files to the
    last write: two runs at once never mix their files. The truststore's folder is locked next,
    by the caller, before the truststore is read."""
    with contextlib.ExitStack() as stack:
        if base is not None:
            from jettycfg.jetty.base import resolve_base

            stack.enter_context(edit_lock(resolve_base(base)))
        made = [] if dry_run else _missing_folders(out_dir)
        if made:
            make_folder(out_dir)
        stack.enter_context(edit_lock(out_dir))
        try:
            yield
        finally:  # refused, or nothing written: the folders made go again, still locked
            for folder in made:
                with contextlib.suppress(OSError):
                    folder.rmdir()


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and its parents that do not exist yet, innermost first."""
    missing = []
    while not folder.exists() and not folder.is_symlink() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def _refused_anywhere(issued: list[Issued]) -> str | None:
    """Without a base: what every Jetty refuses whatever its truststore - the leaf's key usage
    and extended key usage, and the dates of the leaf and the chain sent with it (Java's
    EndEntityChecker and PKIX date check; --base checks the whole path)."""
    from jettycfg.trust.checks import dates, leaf_usage
    from jettycfg.trust.problem import TrustParams

    params = TrustParams(at=dt.datetime.now(dt.timezone.utc))
    for item in issued:
        chain = [item.cert, *item.chain]
        problems = leaf_usage(item.cert) + [
            p for j, c in enumerate(chain) for p in dates(c, j, params)
        ]
        errors = [p for p in problems if p.severity.label == "error"]
        if errors:
            return f"check {item.account}: {errors[0].rule} {errors[0].message}"
    return None


def _check_and_write(
    issued: list[Issued],
    changes: list[FileChange],
    req: IssueRequest | BundleRequest,
    notes: list[str],
    trust: FileChange | None = None,
) -> Outcome:
    """Self-check against the base as if the truststore change were written; then write it and
    the new files (or, for a dry run, return them as planned)."""
    lines: list[str] = []
    ok = True
    planned = ([trust] if trust is not None else []) + changes
    if req.base is not None:
        with files.pending({trust.path: trust.new} if trust is not None else {}):
            checks = self_check(issued, req.base, req.version, {i.account for i in issued})
        for check in checks:
            verdict = "handshake accepted" if check.handshake else "handshake REJECTED"
            login = "JOC login possible" if check.login else "JOC login REFUSED"
            lines.append(f"self-check {check.account}: {verdict}, {login}")
            if not check.ok:
                ok = False
                lines += [f"  {p}" for p in check.problems]
    elif (refusal := _refused_anywhere(issued)) is not None:
        lines.append(refusal)
        ok = False
    if not ok:
        lines.append("nothing written: the new certificates would not log in")
        return lines, notes, False, planned
    out_dir = changes[0].path.parent
    if not req.dry_run:
        make_folder(out_dir)
        # the truststore only once every new file is written (but not yet in place)
        write_new_files(changes, (lambda: apply_changes([trust])) if trust is not None else None)
    for item in issued:
        issuer = item.cert.issuer.rfc4514_string()
        if item.chain:
            kind = f"issued by {item.chain[0].subject.rfc4514_string()}"
        elif item.cert.issuer == item.cert.subject:
            kind = "self-signed"
        else:  # a CA-issued certificate bundled without its chain (no --chain)
            kind = f"issued by {issuer}, bundled without its chain (give the CA with --chain)"
        lines.append(f"{item.account}: {out_dir / (item.account + '.p12')} ({kind})")
    if req.dry_run:
        lines.append("dry run: nothing written")
    return lines, notes, True, planned


def _authority(req: IssueRequest) -> Authority | None:
    if req.ca is None:
        return None
    from jettycfg.client.ca import load_authority

    return load_authority(req.ca, req.ca_key, req.ca_password)


def run_csr(
    account: str,
    out_dir: Path,
    key_type: str,
    rdns: list[tuple[Any, str]],
    password: str,
    force: bool,
    dry_run: bool = False,
) -> list[FileChange]:
    """`client csr`: ``<account>.key`` (encrypted, 0600) and ``<account>.csr``; returns the
    changes (written unless ``dry_run``)."""
    check_account(account)
    if not password:
        raise UsageError("the key password cannot be empty")
    key = new_key(key_type)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password.encode()),
    )
    files_ = [
        FileChange(out_dir / f"{account}.key", None, key_pem, 0o600, private=True),
        FileChange(out_dir / f"{account}.csr", None, csr(account, key, rdns), 0o644),
    ]
    with _locked(out_dir, dry_run):  # the check for existing files and the write: one step
        changes = refuse_existing(files_, force)
        if not dry_run:
            apply_changes(changes)
    return changes


def _read_key(path: Path, password: str | None) -> PrivateKey:
    try:
        pem = _read_file(path)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    return load_pem_key(pem, password, path, "--key-pass")


def _read_certs(path: Path) -> list[x509.Certificate]:
    try:
        return x509.load_pem_x509_certificates(_read_file(path))
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    except ValueError:
        raise UsageError(f"{path}: no PEM certificate in this file") from None


def run_bundle(req: BundleRequest) -> Outcome:
    """`client bundle`: the signed certificate back from the CA, with key and chain."""
    from jettycfg.joc.login import account_of

    _check_targets(req)
    key = _read_key(req.key, req.key_password)
    certs = _read_certs(req.cert)
    leaf = certs[0]
    chain = _issuer_order(leaf, certs[1:] + [c for p in req.chains for c in _read_certs(p)])
    if not belongs_to(key, leaf):
        raise UsageError(f"{req.key} does not belong to the certificate in {req.cert}")
    account = account_of(leaf)
    if account is None:
        raise UsageError(f"{req.cert}: JOC reads no account (CN) from this certificate")
    item = Issued(check_account(account, writes_cn=False), key, leaf, tuple(chain))
    with _locked(req.out_dir, req.dry_run, req.base):
        changes = refuse_existing(
            bundle_changes(item, req.out_dir, req.password, req.profile), req.force
        )
        return _check_and_write([item], changes, req, [ROLES])


def _issuer_order(leaf: x509.Certificate, pool: list[x509.Certificate]) -> list[x509.Certificate]:
    """``pool`` as the chain above ``leaf``: each certificate the issuer of the one before (name
    and signature), in that order, once each - as clients send it. A certificate that issued
    none of them is refused: it does not belong in the bundle or in ca-chain.pem."""
    from jettycfg.certs import der_of
    from jettycfg.trust.anchors import signature_ok

    own = der_of(leaf)  # a fullchain file repeats the leaf: not its own issuer
    left = [c for d, c in {der_of(c): c for c in pool}.items() if d != own]
    chain: list[x509.Certificate] = []
    current = leaf
    while current.issuer != current.subject:
        issuer = next(
            (c for c in left if c.subject == current.issuer and signature_ok(current, c)), None
        )
        if issuer is None:
            break
        chain.append(issuer)
        left.remove(issuer)
        current = issuer
    if left:
        raise UsageError(
            f"--chain: {left[0].subject.rfc4514_string()} did not issue the certificate or its "
            "chain: give only the CAs above it"
        )
    return chain


def _read_file(path: Path) -> bytes:
    """A certificate, key or store file through the bounded reader (special files refused)."""
    from jettycfg import fsio

    try:
        return fsio.read_limited(path, fsio.MAX_CERT_BYTES)
    except fsio.InputFileError as exc:
        raise UsageError(str(exc)) from None
