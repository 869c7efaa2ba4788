"""One record per certificate per run: the parsed object, its DER, SHA-256 and derived facts.

Inside a run (jettycfg.memo.scope) certificates are interned: the same DER read from ten
thousand client files is one object, so every per-object fact hits. A certificate re-encoded
to be read (jettycfg.certs.lenient) stands for its original DER everywhere.
"""

from __future__ import annotations

import binascii
import contextlib
import contextvars
import gc
import hashlib
import itertools
import re
import sys
import threading
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import load_der_x509_certificate

from jettycfg import memo
from jettycfg.certs import der as der_walk

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import dsa

_QUIET: contextvars.ContextVar[bool] = contextvars.ContextVar("jettycfg_quiet", default=False)


@contextlib.contextmanager
def quiet_parsing() -> Iterator[None]:
    """Within the block :func:`_parse` needs no warnings filter of its own: one for the whole
    run (judging 10,000 files, a filter per certificate was a few per cent of the time). Only
    on the main thread: warnings filters are process-wide, and another thread's block ending
    would remove the filter under this one (there, each parse keeps its own filter)."""
    if _QUIET.get() or threading.current_thread() is not threading.main_thread():
        yield
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        token = _QUIET.set(True)
        try:
            yield
        finally:
            _QUIET.reset(token)


def _parse(der: bytes) -> x509.Certificate:
    """cryptography's parser, quiet: Java reads a certificate with a negative or zero serial
    number, cryptography warns about it in a way that says nothing to our user."""
    if _QUIET.get():
        return load_der_x509_certificate(der)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return load_der_x509_certificate(der)


def parse_as_java(der: bytes) -> x509.Certificate:
    """:func:`_parse`; a certificate cryptography refuses only for an explicit NULL in its ECDSA
    signature algorithm (Java reads it as no parameters) is read from a twin without it, which
    stands for ``der`` from then on (:func:`remember_original`)."""
    try:
        return _parse(der)
    except ValueError:
        twin = der_walk.without_null_signature_params(der)
        if twin is None:
            raise
    cert = _parse(twin)
    remember_original(cert, der)
    return cert


def strict_der(der: bytes) -> x509.Certificate:
    """Parse one DER certificate with cryptography's strict parser."""
    return _parse(der)


# Each run record holds [certificate, DER, SHA-256 or None, facts]; the object is held so that
# its id() is not reused.
_BEGIN, _END = b"-----BEGIN CERTIFICATE-----", b"-----END CERTIFICATE-----"


def _plain_lines(text: bytes) -> bool:
    r"""The line shape of ``\r?\n(?:[^\r\n]+\r?\n)+``: a line break, then lines that are not
    empty, each ending in LF or CRLF, no other CR (the strict base64 decoder checks what is on
    them). A few scans in C instead of a regular expression over every character."""
    if b"\r" not in text:  # LF only (the usual file): the CR rules hold by themselves
        return (
            len(text) > 2
            and text.startswith(b"\n")
            and text.endswith(b"\n")
            and b"\n\n" not in text
        )
    return (
        len(text) > 2  # not the first line break alone
        and (text.startswith(b"\n") or text.startswith(b"\r\n"))
        and text.endswith(b"\n")
        and b"\n\n" not in text
        and b"\n\r\n" not in text
        and text.count(b"\r") == text.count(b"\r\n")
    )


HELD_LIMIT = 200_000
_RUN = memo.CURRENT


# Re-encoded certificates (jettycfg.certs.lenient: an extension cryptography cannot read was
# dropped): id -> (object, original DER). Their DER, identity (cert_id) and signed bytes are the
# original's - two originals that differ only in the dropped extension re-encode alike, and
# must not share a signature verdict. The object is held so that its id() is not reused; an
# entry goes only when nothing else holds its object (then nobody can ask about it again).
_ORIGINAL: dict[int, tuple[x509.Certificate, bytes]] = {}
_ORIGINAL_LIMIT = [100_000]  # grows when the entries are all in use


def remember_original(cert: x509.Certificate, original: bytes) -> None:
    """``cert`` is ``original`` re-encoded: it stands for ``original`` from now on."""
    if len(_ORIGINAL) >= _ORIGINAL_LIMIT[0]:
        _prune_original()
    _ORIGINAL[id(cert)] = (cert, original)
    if _RUN.get() is not None:
        _hold(cert, original)


def _prune_original() -> None:
    """Drop the entries whose certificate only the registry holds (CPython reference counts:
    the entry's tuple, the loop variable and getrefcount's own argument); garbage cycles are
    collected first, as rarely as the limit doubles."""
    gc.collect()
    for key, (cert, _) in list(_ORIGINAL.items()):
        if sys.getrefcount(cert) <= 3:
            del _ORIGINAL[key]
    _ORIGINAL_LIMIT[0] = max(_ORIGINAL_LIMIT[0], 2 * len(_ORIGINAL))


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
        found = table[der] = parse_as_java(der)
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
    if len(parts) > 1 and len(parts) - 1 == data.count(b"-----BEGIN "):
        table = memo.table("cert_by_pem", 200_000)
        found = []
        for before, part in itertools.pairwise(parts):
            # cryptography's scanner misses a BEGIN right after other dashes: lines only
            cert = _pem_block(part, table) if not before or before.endswith(b"\n") else None
            if cert is None:
                break
            found.append(cert)
        else:
            return found
    try:
        read = x509.load_pem_x509_certificates(data)
    except ValueError:
        twins = _with_twins(data)
        if twins is None:
            raise
        read = twins
    return [intern(c) for c in read]


_BLOCK = re.compile(rb"(-----BEGIN CERTIFICATE-----)([^-]*)(-----END CERTIFICATE-----)")


def _with_twins(data: bytes) -> list[x509.Certificate] | None:
    """cryptography's reading of ``data`` with each plain CERTIFICATE block whose certificate
    has an explicit NULL in its ECDSA signature algorithm swapped for its twin (which then
    stands for the original, as :func:`parse_as_java` does); None when no block has one.
    Everything else about the PEM is judged by cryptography's reader as before."""
    originals: dict[bytes, bytes] = {}

    def swap(block: re.Match[bytes]) -> bytes:
        der = _plain_der(block.group(2))
        twin = der_walk.without_null_signature_params(der) if der is not None else None
        if twin is None or der is None:
            return block.group(0)
        originals[twin] = der
        return block.group(1) + b"\n" + binascii.b2a_base64(twin) + block.group(3)

    patched = _BLOCK.sub(swap, data)
    if not originals:
        return None
    read = x509.load_pem_x509_certificates(patched)
    for cert in read:
        original = originals.get(cert.public_bytes(Encoding.DER))
        if original is not None:
            remember_original(cert, original)
    return read


def _pem_block(part: bytes, table: dict[bytes, x509.Certificate]) -> x509.Certificate | None:
    """The certificate of one block's text (after its BEGIN line), or None for a shape left
    to cryptography: only lines of canonical base64 (no blank line, header or blank) are read
    here. Within a run the same block text is one object (``table``)."""
    end = part.find(_END)
    if end < 0:
        return None
    text = part[:end]
    found: x509.Certificate | None = table.get(text)  # seen: checked when it was stored
    if found is None:
        der = _plain_der(text)
        if der is None:
            return None
        try:
            found = table[text] = intern_der(der)
        except (ValueError, x509.InvalidVersion):
            return None
    return found


def _plain_der(text: bytes) -> bytes | None:
    """The DER of a block's text when it is lines of canonical base64 only (no blank line,
    header or blank), as cryptography's decoder takes them; else None."""
    if not _plain_lines(text):
        return None
    flat = text.translate(None, b"\r\n")
    if len(flat) % 4:
        return None  # strict mode still takes "AAAA=": cryptography does not
    try:
        der = binascii.a2b_base64(flat, strict_mode=True)
    except binascii.Error:
        return None
    # strict, whole quanta: padding only in the last one, so only it can be non-canonical
    # (padding or trailing bits cryptography's decoder refuses)
    tail = flat[-4:]
    if binascii.b2a_base64(binascii.a2b_base64(tail), newline=False) != tail:
        return None
    return der


def public_key(cert: x509.Certificate) -> CertificatePublicKeyTypes:
    """``cert.public_key()``, once per certificate in a run (ValueError/UnsupportedAlgorithm
    as cryptography raises them)."""
    known = facts(cert)
    found: CertificatePublicKeyTypes | None = known.get("public_key")
    if found is None:
        if _QUIET.get():
            found = known["public_key"] = cert.public_key()
        else:
            with warnings.catch_warnings():  # cryptography 51+ warns on every DSA key
                warnings.simplefilter("ignore", CryptographyDeprecationWarning)
                found = known["public_key"] = cert.public_key()
    return found


def _dsa_public_key_type() -> type[dsa.DSAPublicKey]:
    """cryptography's DSAPublicKey class, fetched quietly: cryptography 51 deprecates DSA and
    warns on the attribute itself. Java still reads DSA certificates, so lint judges them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        from cryptography.hazmat.primitives.asymmetric import dsa as module

        found: Any = module.DSAPublicKey  # abstract: mypy takes it as a value only via Any
        return cast("type[dsa.DSAPublicKey]", found)


DSA_PUBLIC_KEY = _dsa_public_key_type()


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
