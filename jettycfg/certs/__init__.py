"""Facts about one X.509 certificate, as keytool and Java present them."""

from __future__ import annotations

import binascii
import datetime as dt
import hashlib
import re
import warnings
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import load_der_x509_certificate
from cryptography.x509.oid import NameOID

from jettycfg import memo
from jettycfg.certs import der


def _parse(der: bytes) -> x509.Certificate:
    """cryptography's parser, quiet: Java reads a certificate with a negative or zero serial
    number, cryptography warns about it in a way that says nothing to our user."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return load_der_x509_certificate(der)


def strict_der(der: bytes) -> x509.Certificate:
    """Parse one DER certificate with cryptography's strict parser."""
    return _parse(der)


def load_der(der: bytes) -> x509.Certificate:
    """Parse one DER certificate. One whose only fault is an extension cryptography cannot read
    (and Java ignores) is re-encoded without it (:mod:`jettycfg.certs.lenient`); otherwise the
    fault shows later, in :func:`check_parsable`, as it always did."""
    cert = _parse(der)
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


# Inside a run (jettycfg.memo.scope) certificates are interned: the same DER read from ten
# thousand client files is one object, so every per-object cache below hits. Each entry holds
# (certificate, DER, SHA-256 or None); the object is held so that its id() is not reused.
_BEGIN, _END = b"-----BEGIN CERTIFICATE-----", b"-----END CERTIFICATE-----"
_PLAIN_LINES = re.compile(rb"\r?\n(?:[A-Za-z0-9+/=]+\r?\n)+")


HELD_LIMIT = 200_000
_RUN = memo.CURRENT


# Re-encoded certificates (jettycfg.certs.lenient: an extension cryptography cannot read was
# dropped): id -> (object, original DER). Their DER, identity (cert_id) and signed bytes are the
# original's - two originals that differ only in the dropped extension re-encode alike, and
# must not share a signature verdict. The object is held so that its id() is not reused.
_ORIGINAL: dict[int, tuple[x509.Certificate, bytes]] = {}
_ORIGINAL_LIMIT = 100_000


def remember_original(cert: x509.Certificate, original: bytes) -> None:
    """``cert`` is ``original`` re-encoded: it stands for ``original`` from now on."""
    if len(_ORIGINAL) >= _ORIGINAL_LIMIT:
        for old in list(_ORIGINAL)[: _ORIGINAL_LIMIT // 2]:  # oldest half
            del _ORIGINAL[old]
    _ORIGINAL[id(cert)] = (cert, original)
    if _RUN.get() is not None:
        _hold(cert, original)


def original_der(cert: x509.Certificate) -> bytes | None:
    """The DER ``cert`` was re-encoded from, or None for a certificate read as it is."""
    found = _ORIGINAL.get(id(cert)) if _ORIGINAL else None
    return found[1] if found is not None and found[0] is cert else None


def _der(cert: x509.Certificate) -> bytes:
    found = original_der(cert)
    return found if found is not None else cert.public_bytes(Encoding.DER)


def _held(cert: x509.Certificate) -> list[Any] | None:
    run = _RUN.get()
    if run is None:
        return None
    found = run.held.get(id(cert))
    return found if found is not None and found[0] is cert else None


def _hold(cert: x509.Certificate, der: bytes) -> list[Any]:
    """Remember ``cert`` (and its DER) for the run; a throw-away record outside a run."""
    record = [cert, der, None, {}]
    run = _RUN.get()
    if run is not None:
        if len(run.held) > HELD_LIMIT:
            run.held.clear()
        run.held[id(cert)] = record
    return record


def facts(cert: x509.Certificate) -> dict[Any, Any]:
    """A per-run table of facts derived from ``cert`` (canonical names, extension table, key
    ids, ...): one lookup for every memoized per-certificate fact. Outside a run a fresh one."""
    run = _RUN.get()
    held = run.held.get(id(cert)) if run is not None else None
    if held is None or held[0] is not cert:
        held = _hold(cert, _der(cert))
    found: dict[Any, Any] = held[3]
    return found


def intern_der(der: bytes) -> x509.Certificate:
    """The certificate of ``der`` (strict parser); within a run one object per DER."""
    table = memo.table("cert_by_der", 200_000)
    found: x509.Certificate | None = table.get(der)
    if found is None:
        found = table[der] = _parse(der)
        _hold(found, der)
    return found


def intern(cert: x509.Certificate) -> x509.Certificate:
    """``cert``, or the run's object of the same DER."""
    if _held(cert) is not None or original_der(cert) is not None:
        return cert
    der = cert.public_bytes(Encoding.DER)
    table = memo.table("cert_by_der", 200_000)
    found: x509.Certificate | None = table.get(der)
    if found is None:
        found = table[der] = cert
        _hold(cert, der)
    return found


def load_pem_all(data: bytes) -> list[x509.Certificate]:
    """``x509.load_pem_x509_certificates(data)``, interned. Plain CERTIFICATE blocks (base64
    lines only) are decoded here; any other shape goes to cryptography's PEM reader whole."""
    parts = data.split(_BEGIN)
    # cryptography's scanner misses a BEGIN right after other dashes: lines only
    starts_lines = all(p == b"" or p.endswith(b"\n") for p in parts[:-1])
    if len(parts) > 1 and len(parts) - 1 == data.count(b"-----BEGIN ") and starts_lines:
        found = [_pem_block(part) for part in parts[1:]]
        if all(c is not None for c in found):
            return [c for c in found if c is not None]
    return [intern(c) for c in x509.load_pem_x509_certificates(data)]


def _pem_block(part: bytes) -> x509.Certificate | None:
    """The certificate of one block's text (after its BEGIN line), or None for a shape left
    to cryptography: only lines of canonical base64 (no blank line, header or blank) are read
    here. Within a run the same block text is one object."""
    end = part.find(_END)
    if end < 0:
        return None
    text = part[:end]
    table = memo.table("cert_by_pem", 200_000)
    found: x509.Certificate | None = table.get(text)  # seen: checked when it was stored
    if found is None:
        if not _PLAIN_LINES.fullmatch(text):
            return None
        flat = text.translate(None, b"\r\n")
        try:
            der = binascii.a2b_base64(flat, strict_mode=True)
            if binascii.b2a_base64(der, newline=False) != flat:
                return None  # padding or trailing bits cryptography's decoder refuses
            found = table[text] = intern_der(der)
        except (binascii.Error, ValueError, x509.InvalidVersion):
            return None
    return found


def der_of(cert: x509.Certificate) -> bytes:
    """The certificate's DER (remembered for interned certificates); for a re-encoded one the
    original's - what a store writes back and what keytool fingerprints."""
    held = _held(cert)
    return bytes(held[1]) if held is not None else _der(cert)


def cert_id(cert: x509.Certificate) -> bytes:
    """SHA-256 of the whole DER: the key for memoizing per-certificate work (never the
    signature alone - a forged certificate can copy another's signature bytes). Cached per
    object within a run."""
    run = _RUN.get()
    held = run.held.get(id(cert)) if run is not None else None
    if held is None or held[0] is not cert:
        held = _hold(cert, _der(cert))
    digest: bytes | None = held[2]
    if digest is None:
        digest = held[2] = hashlib.sha256(held[1]).digest()
    return digest


def pem_of(cert: x509.Certificate) -> bytes:
    """The certificate's PEM (of :func:`der_of`)."""
    body = binascii.b2a_base64(der_of(cert), newline=False)
    lines = b"".join(body[i : i + 64] + b"\n" for i in range(0, len(body), 64))
    return _BEGIN + b"\n" + lines + _END + b"\n"


def fingerprint(cert: x509.Certificate, algorithm: str = "sha256") -> str:
    """Upper-case hex pairs joined by ':', as keytool prints them."""
    digest = cert_id(cert) if algorithm == "sha256" else cert.fingerprint(hashes.SHA1())
    return digest.hex(":").upper()


def normalize_fingerprint(text: str) -> str:
    raw = text.replace(":", "").replace(" ", "").upper()
    return ":".join(raw[i : i + 2] for i in range(0, len(raw), 2))


def common_name(cert: x509.Certificate) -> str | None:

    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else None


def key_description(cert: x509.Certificate) -> tuple[str, int | None]:
    """("RSA", 2048), ("EC", 256) with the curve, ("Ed25519", None), ..."""
    try:
        key = cert.public_key()
    except (ValueError, UnsupportedAlgorithm):
        return f"unsupported ({cert.public_key_algorithm_oid.dotted_string})", None
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"EC {key.curve.name}", key.key_size
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 255
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 448
    return type(key).__name__, None


_PARSABLE: set[bytes] = set()
_JAVA_DUPLICATE = "Duplicate extensions not allowed"
_EC_KEY = x509.ObjectIdentifier("1.2.840.10045.2.1")


def _java_refuses(
    cert: x509.Certificate, extensions: list[x509.Extension[x509.ExtensionType]]
) -> str | None:
    """What sun.security.x509.X509CertImpl refuses that cryptography reads (jdk17u
    X509CertInfo.parse, X509CertImpl.parse, ECParameters); see jettycfg.certs.der."""
    if not cert.issuer.rdns:
        return "Empty issuer DN not allowed in X509Certificates"
    if not cert.subject.rdns and any(
        isinstance(e.value, x509.SubjectAlternativeName) and not e.critical for e in extensions
    ):
        return "SubjectAlternativeName extension MUST be marked critical when subject is empty"
    raw = der_of(cert)
    if der.signature_algorithms_differ(raw):
        return "Signature algorithm mismatch"
    if cert.public_key_algorithm_oid == _EC_KEY and der.explicit_ec_parameters(raw):
        return "Only named ECParameters supported"
    return None


def check_parsable(cert: x509.Certificate) -> None:
    """cryptography parses lazily: touch every part lint reads, so a malformed extension shows
    up here as ValueError instead of deep inside a check. A certificate Java refuses to parse
    (duplicate extensions, empty issuer, ...: :func:`jettycfg.certs.der.java_parse_problem`)
    is a ValueError too. Remembered per certificate: intermediates recur in every chain."""
    known = facts(cert)
    if known.get("parsable"):
        return
    key = cert_id(cert)
    if key in _PARSABLE:
        known["parsable"] = True
        return
    _ = cert.subject, cert.issuer, cert.not_valid_after_utc, cert.not_valid_before_utc
    try:
        extensions = list(cert.extensions)
    except x509.DuplicateExtension as exc:
        raise ValueError(f"Java cannot parse this certificate: {_JAVA_DUPLICATE} ({exc})") from exc
    problem = _java_refuses(cert, extensions)
    if problem is not None:
        raise ValueError(f"Java cannot parse this certificate: {problem}")
    cert.public_key()
    if len(_PARSABLE) > 200_000:
        _PARSABLE.clear()
    _PARSABLE.add(key)
    known["parsable"] = True


def as_java_reads(cert: x509.Certificate) -> x509.Certificate:
    """``cert`` as Java reads it: checked by :func:`check_parsable`; one whose only fault is a
    non-critical extension cryptography cannot read comes back re-encoded without it.
    ValueError when Java refuses it too."""
    try:
        check_parsable(cert)
        return cert
    except ValueError:
        lenient = load_der(der_of(cert))
        if lenient is cert or lenient.tbs_certificate_bytes == cert.tbs_certificate_bytes:
            raise
    check_parsable(lenient)
    return lenient


def signature_name(cert: x509.Certificate) -> str:
    oid = cert.signature_algorithm_oid
    return getattr(oid, "_name", None) or oid.dotted_string


def validity(cert: x509.Certificate) -> tuple[dt.datetime, dt.datetime]:
    return cert.not_valid_before_utc, cert.not_valid_after_utc


def days_left(cert: x509.Certificate, at: dt.datetime | None = None) -> int:
    now = at or dt.datetime.now(dt.timezone.utc)
    return (cert.not_valid_after_utc - now).days


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
        start, end = validity(cert)
        return cls(
            subject=cert.subject.rfc4514_string(),
            issuer=cert.issuer.rfc4514_string(),
            serial=f"{cert.serial_number:x}",
            not_before=start.isoformat(),
            not_after=end.isoformat(),
            days_left=days_left(cert, at),
            sha256=fingerprint(cert),
            key_type=key_type,
            key_size=key_size,
            signature_algorithm=signature_name(cert),
        )
