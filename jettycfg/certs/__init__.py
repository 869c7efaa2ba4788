"""Facts about one X.509 certificate, as keytool and Java present them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.x509.oid import NameOID

from jettycfg import memo
from jettycfg.certs import der
from jettycfg.certs.held import DSA_PUBLIC_KEY, parse_as_java
from jettycfg.certs.held import cert_id as cert_id
from jettycfg.certs.held import der_of as der_of
from jettycfg.certs.held import facts as facts
from jettycfg.certs.held import intern as intern
from jettycfg.certs.held import intern_der as intern_der
from jettycfg.certs.held import load_pem_all as load_pem_all
from jettycfg.certs.held import original_der as original_der
from jettycfg.certs.held import pem_of as pem_of
from jettycfg.certs.held import public_key as public_key
from jettycfg.certs.held import quiet_parsing as quiet_parsing
from jettycfg.certs.held import remember_original as remember_original
from jettycfg.certs.held import strict_der as strict_der


def load_der(der: bytes) -> x509.Certificate:
    """Parse one DER certificate. One whose only fault is an extension cryptography cannot read
    (and Java ignores) is re-encoded without it (:mod:`jettycfg.certs.lenient`); otherwise the
    fault shows later, in :func:`check_parsable`, as it always did. An explicit NULL in an
    ECDSA signature algorithm is read as Java reads it (:func:`held.parse_as_java`)."""
    cert = parse_as_java(der)
    try:
        _ = list(cert.extensions)
        return cert
    except (ValueError, TypeError, x509.DuplicateExtension):
        pass
    from jettycfg.certs.lenient import load_cert
    from jettycfg.errors import CertificateError

    try:
        return load_cert(der)
    except CertificateError:
        return cert


def fingerprint(cert: x509.Certificate, algorithm: str = "sha256") -> str:
    """Upper-case hex pairs joined by ':', as keytool prints them."""
    digest = cert_id(cert) if algorithm == "sha256" else cert.fingerprint(hashes.SHA1())
    return digest.hex(":").upper()


def normalize_fingerprint(text: str) -> str:
    raw = text.replace(":", "").replace(" ", "").upper()
    return ":".join(raw[i : i + 2] for i in range(0, len(raw), 2))


def common_name(cert: x509.Certificate) -> str | None:
    """The first CN attribute's value (once per certificate in a run)."""
    known = facts(cert)
    if "cn" not in known:
        names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        known["cn"] = str(names[0].value) if names else None
    found: str | None = known["cn"]
    return found


def key_description(cert: x509.Certificate) -> tuple[str, int | None]:
    """("RSA", 2048), ("EC", 256) with the curve, ("Ed25519", None), ... (once per certificate
    in a run)."""
    known = facts(cert)
    found: tuple[str, int | None] | None = known.get("key_description")
    if found is None:
        found = known["key_description"] = _key_description(cert)
    return found


def _key_description(cert: x509.Certificate) -> tuple[str, int | None]:
    try:
        key = public_key(cert)
    except (ValueError, UnsupportedAlgorithm):
        return f"unsupported ({cert.public_key_algorithm_oid.dotted_string})", None
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"EC {key.curve.name}", key.key_size
    if isinstance(key, DSA_PUBLIC_KEY):
        return "DSA", key.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 255
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 448
    return type(key).__name__, None


_JAVA_DUPLICATE = "Duplicate extensions not allowed"
_EC_KEY = x509.ObjectIdentifier("1.2.840.10045.2.1")


def _java_refuses(
    cert: x509.Certificate,
    extensions: list[x509.Extension[x509.ExtensionType]],
    algorithms_differ: bool,
) -> str | None:
    """What sun.security.x509.X509CertImpl refuses that cryptography reads (jdk17u
    X509CertInfo.parse, X509CertImpl.parse, ECParameters); see jettycfg.certs.der."""
    if not issuer_name(cert).rdns:
        return "Empty issuer DN not allowed in X509Certificates"
    if not cert.subject.rdns and any(
        isinstance(e.value, x509.SubjectAlternativeName) and not e.critical for e in extensions
    ):
        return "SubjectAlternativeName extension MUST be marked critical when subject is empty"
    if algorithms_differ:
        return "Signature algorithm mismatch"
    if cert.public_key_algorithm_oid == _EC_KEY and der.explicit_ec_parameters(der_of(cert)):
        return "Only named ECParameters supported"
    return None


def issuer_name(cert: x509.Certificate) -> x509.Name:
    """``cert.issuer``; within a run one object per distinct issuer DER: a client's issuer is
    its intermediate's subject, read once (cryptography builds a Name per access of a new
    certificate). Equal DER, equal name - the same text, canonical form and parse."""
    known = facts(cert)
    found: x509.Name | None = known.get("issuer_name")
    if found is None:
        raw = _names_der(cert, known)[1]
        table = memo.table("name_by_der", 200_000)
        found = table.get(raw) if raw is not None else None
        if found is None:
            found = cert.issuer
            if raw is not None:
                table[raw] = found
        known["issuer_name"] = found
    return found


def _names_der(
    cert: x509.Certificate, known: dict[Any, Any]
) -> tuple[bool, bytes | None, bytes | None, bytes | None]:
    """der.tbs_head of the certificate's DER, once per certificate in a run."""
    found: tuple[bool, bytes | None, bytes | None, bytes | None] | None = known.get("tbs_head")
    if found is None:
        found = known["tbs_head"] = der.tbs_head(der_of(cert))
    return found


def names_der(cert: x509.Certificate) -> tuple[bytes | None, bytes | None]:
    """(issuer, subject) Name DER as encoded in the certificate (None where the walk fails),
    once per certificate in a run: keys for what is read once per distinct name."""
    _, issuer, subject, _ = _names_der(cert, facts(cert))
    return issuer, subject


def tbs_encoded(cert: x509.Certificate) -> bytes:
    """The TBS certificate as encoded in the certificate's DER: what its issuer signed and what
    Java verifies. For what cryptography parses these are ``cert.tbs_certificate_bytes``, which
    it re-encodes on every access; here sliced once per certificate in a run."""
    found = _names_der(cert, facts(cert))[3]
    return found if found is not None else cert.tbs_certificate_bytes


def check_parsable(cert: x509.Certificate) -> None:
    """cryptography parses lazily: touch every part lint reads, so a malformed extension shows
    up here as ValueError instead of deep inside a check. A certificate Java refuses to parse
    (duplicate extensions, empty issuer, ...: :func:`jettycfg.certs.der.java_parse_problem`)
    is a ValueError too. Remembered per certificate object in a run (intermediates recur in
    every chain, interned: one object per DER) - not per DER: a certificate re-encoded to be
    read has its original's identity but not its original's parse."""
    known = facts(cert)
    if known.get("parsable"):
        return
    differ, _, subject_der, _ = _names_der(cert, known)
    subject = cert.subject
    if subject_der is not None:  # a later certificate issued by this one reads its issuer here
        memo.table("name_by_der", 200_000).setdefault(subject_der, subject)
    _ = issuer_name(cert), validity(cert)
    try:
        extensions = list(cert.extensions)
    except x509.DuplicateExtension as exc:
        raise ValueError(f"Java cannot parse this certificate: {_JAVA_DUPLICATE} ({exc})") from exc
    problem = _java_refuses(cert, extensions, differ)
    if problem is not None:
        raise ValueError(f"Java cannot parse this certificate: {problem}")
    public_key(cert)
    known.setdefault("extensions", _by_type(extensions))  # one pass for both tables
    known.setdefault("critical", _critical(extensions))
    known["parsable"] = True


def _by_type(extensions: Iterable[x509.Extension[x509.ExtensionType]]) -> dict[type, Any]:
    return {type(e.value): e.value for e in extensions}


def _critical(
    extensions: Iterable[x509.Extension[x509.ExtensionType]],
) -> tuple[x509.ObjectIdentifier, ...]:
    return tuple(e.oid for e in extensions if e.critical)


def extension_table(cert: x509.Certificate) -> dict[type, Any]:
    """``cert``'s extension values by their exact type, once per certificate in a run."""
    known = facts(cert)
    table: dict[type, Any] | None = known.get("extensions")
    if table is None:
        table = known["extensions"] = _by_type(cert.extensions)
    return table


def critical_oids(cert: x509.Certificate) -> tuple[x509.ObjectIdentifier, ...]:
    """The OIDs of ``cert``'s critical extensions, once per certificate in a run."""
    known = facts(cert)
    found: tuple[x509.ObjectIdentifier, ...] | None = known.get("critical")
    if found is None:
        found = known["critical"] = _critical(cert.extensions)
    return found


def as_java_reads(cert: x509.Certificate) -> x509.Certificate:
    """``cert`` as Java reads it: checked by :func:`check_parsable`; one whose only fault is a
    non-critical extension cryptography cannot read comes back re-encoded without it.
    ValueError when Java refuses it too. Within a run, one re-encoded twin per certificate
    (an intermediate recurs in every client file)."""
    try:
        check_parsable(cert)
        return cert
    except ValueError:
        known = facts(cert)
        twin: x509.Certificate | None = known.get("lenient")
        if twin is not None:
            return twin
        lenient = load_der(der_of(cert))
        if lenient is cert or lenient.tbs_certificate_bytes == cert.tbs_certificate_bytes:
            raise
    check_parsable(lenient)
    known["lenient"] = lenient
    return lenient


def issuer_text(cert: x509.Certificate) -> str:
    """``cert.issuer.rfc4514_string()``, once per distinct issuer DER in a run (a client's
    issuer is its intermediate's subject). Equal DER, equal text - even inside a multi-valued
    RDN, whose attribute order x509.Name's == ignores."""
    raw = _names_der(cert, facts(cert))[1]
    if raw is None:
        return issuer_name(cert).rfc4514_string()
    table = memo.table("issuer_text_by_der", 50_000)
    found: str | None = table.get(raw)
    if found is None:
        found = table[raw] = issuer_name(cert).rfc4514_string()
    return found


def validity_text(cert: x509.Certificate) -> tuple[str, str]:
    """The ISO 8601 text of :func:`validity`, once per distinct validity in a run
    (certificates issued together, as ``client batch`` issues them, share theirs)."""
    span = validity(cert)
    table = memo.table("validity_text", 10_000)
    found: tuple[str, str] | None = table.get(span)
    if found is None:
        found = table[span] = (span[0].isoformat(), span[1].isoformat())
    return found


def signature_name(cert: x509.Certificate) -> str:
    oid = cert.signature_algorithm_oid
    return getattr(oid, "_name", None) or oid.dotted_string


def validity(cert: x509.Certificate) -> tuple[dt.datetime, dt.datetime]:
    """(not before, not after) in UTC, once per certificate in a run (cryptography makes new
    datetime objects on every access; lint reads them in five places per certificate)."""
    known = facts(cert)
    found: tuple[dt.datetime, dt.datetime] | None = known.get("validity")
    if found is None:
        found = known["validity"] = (cert.not_valid_before_utc, cert.not_valid_after_utc)
    return found


def days_left(cert: x509.Certificate, at: dt.datetime | None = None) -> int:
    """Whole days from ``at`` (default now) to the end of ``cert``'s validity; once per
    certificate and ``at`` in a run (lint asks three times per certificate)."""
    if at is None:
        return (validity(cert)[1] - dt.datetime.now(dt.timezone.utc)).days
    known = facts(cert)
    found: int | None = known.get(("days_left", at))
    if found is None:
        found = known[("days_left", at)] = (validity(cert)[1] - at).days
    return found


@dataclass(frozen=True)
class CertSummary:
    subject: str
    issuer: str
    serial: str
    not_before: str
    not_after: str
    days_left: int
    sha256: str
    key_type: str
    key_size: int | None
    signature_algorithm: str

    @classmethod
    def of(cls, cert: x509.Certificate, at: dt.datetime | None = None) -> CertSummary:
        """The summary, ``days_left`` counted at ``at`` (lint's --at; default now)."""
        key_type, key_size = key_description(cert)
        start, end = validity_text(cert)
        return cls(
            subject=cert.subject.rfc4514_string(),  # once per certificate: no memo
            issuer=issuer_text(cert),
            serial=f"{cert.serial_number:x}",
            not_before=start,
            not_after=end,
            days_left=days_left(cert, at),
            sha256=fingerprint(cert),
            key_type=key_type,
            key_size=key_size,
            signature_algorithm=signature_name(cert),
        )
