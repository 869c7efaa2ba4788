"""Text and JSON views of a store for `store list`."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from cryptography.exceptions import UnsupportedAlgorithm

from jettycfg.certs import CertSummary, fingerprint
from jettycfg.errors import printable
from jettycfg.stores.javacompat import java_cannot_open
from jettycfg.stores.model import Entry, EntryKind, Store

if TYPE_CHECKING:
    from cryptography import x509

KIND_TEXT = {
    EntryKind.TRUSTED: "trusted certificate (Java: trustedCertEntry)",
    EntryKind.KEY: "private key with chain (Java: PrivateKeyEntry; its certificate is an anchor)",
    EntryKind.IGNORED: "certificate Java IGNORES (no trusted-key-usage attribute)",
    EntryKind.SECRET: "secret key",
}


def summary_of(cert: x509.Certificate) -> CertSummary:
    """What `store list` shows of a certificate. A certificate cryptography's strict parser
    refuses (Java may still read it) still gets its fingerprint from the DER bytes; its other
    fields say why they are missing. cryptography's warnings (negative serial, over-long
    attribute) say nothing to the user here and are kept off stderr."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return CertSummary.of(cert)
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            why = f"unparsable: {str(exc).splitlines()[0][:120]}" if str(exc) else "unparsable"
            return CertSummary(why, "?", "?", "?", "?", 0, fingerprint(cert), "?", None, "?")


def _name(cert: x509.Certificate, which: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return str(getattr(cert, which).rfc4514_string())
        except (ValueError, TypeError):
            return "unparsable"


def entry_json(entry: Entry) -> dict[str, object]:
    cert = entry.cert
    summary = summary_of(cert) if cert is not None else None
    out: dict[str, object] = {
        "alias": entry.alias.lower(),
        "kind": entry.kind.value,
        "java_trusted": entry.java_trusted,
        "anchor": entry.anchor,
        "created": entry.created.isoformat() if entry.created else None,
    }
    if summary is not None:
        out.update(vars(summary))
    if entry.kind is EntryKind.KEY:
        out["chain"] = [
            {
                "subject": _name(c, "subject"),
                "issuer": _name(c, "issuer"),
                "sha256": fingerprint(c),
            }
            for c in entry.certs
        ]
    return out


def render_text(store: Store, checked: bool) -> str:
    p = store.protection
    counts = {kind: sum(1 for e in store.entries if e.kind is kind) for kind in EntryKind}
    lines = [
        f"Store:       {store.path}",
        f"Format:      {store.format.value}",
        f"Certificates encrypted: {p.cert_encryption or '-'}",
        f"Keys encrypted:         {p.key_encryption or '-'}",
        f"Integrity:              {p.integrity or '-'}",
        f"Readable by old Java (8 < 8u301, 11 < 11.0.12): {'yes' if p.legacy else 'no'}",
        f"Entries:     {len(store.entries)} ({counts[EntryKind.TRUSTED]} trusted, "
        f"{counts[EntryKind.KEY]} private key, {counts[EntryKind.IGNORED]} ignored by Java"
        + (f", {counts[EntryKind.SECRET]} secret key)" if counts[EntryKind.SECRET] else ")"),
    ]
    lines += [f"Note:        {note}" for note in store.notes]
    refusal = java_cannot_open(store)
    if refusal:
        lines.append(f"Warning:     Java cannot open this store: {refusal}")
    if not checked:
        lines.append("Note:        no password given: integrity not checked")
    for entry in store.entries:
        lines.append("")
        lines.extend(_entry_lines(entry))
    return "\n".join(printable(line) for line in lines)  # aliases, names: bytes from the file


def _entry_lines(entry: Entry) -> list[str]:
    out = [f"Alias:       {entry.alias.lower()}", f"  Kind:      {KIND_TEXT[entry.kind]}"]
    if entry.created:
        out.append(f"  Created:   {entry.created:%Y-%m-%d %H:%M:%S %Z}")
    cert = entry.cert
    if cert is None:
        return out
    s = summary_of(cert)
    state = "EXPIRED" if s.days_left < 0 else f"{s.days_left} days left"
    out += [
        f"  Subject:   {s.subject}",
        f"  Issuer:    {s.issuer}",
        f"  Serial:    {s.serial}",
        f"  Valid:     {s.not_before[:10]} .. {s.not_after[:10]} ({state})",
        f"  SHA-256:   {s.sha256}",
        f"  Key:       {s.key_type}" + (f" {s.key_size} bits" if s.key_size else ""),
        f"  Signature: {s.signature_algorithm}",
    ]
    if entry.kind is EntryKind.KEY and len(entry.certs) > 1:
        out.append(f"  Chain:     {len(entry.certs)} certificates")
        out += [f"    - {_name(c, 'subject')}" for c in entry.certs[1:]]
    return out
