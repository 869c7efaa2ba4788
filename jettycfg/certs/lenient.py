"""Reading a certificate as Java's X509CertImpl does: refuse what Java refuses, nothing else.

Java (jdk17u src/java.base/share/classes/sun/security/x509/X509CertImpl.java, X509CertInfo.java,
CertificateExtensions.java) refuses a certificate with two extensions of the same OID
("Duplicate extensions not allowed"), an empty issuer DN, an empty subject with a non-critical
SAN, an outer signature algorithm that differs from the TBS one ("Signature algorithm
mismatch"), or explicit EC parameters (ECParameters: "Only named ECParameters supported").
A *non-critical* extension it cannot parse is kept as an UnparseableExtension and ignored
(CertificateExtensions.parseExtension); a critical one fails the parse.

cryptography refuses the whole certificate for one bad extension. So such a certificate is
re-encoded without the extensions cryptography cannot read; its signature is still checked
over the original TBS bytes (:func:`signed_bytes`), and its identity is the original DER.
"""

from __future__ import annotations

from cryptography import x509

from jettycfg.certs import check_parsable, der_of, original_der, remember_original, tbs_encoded
from jettycfg.certs import der as asn1
from jettycfg.certs import strict_der as load_der
from jettycfg.errors import CertificateError

_EKU = bytes.fromhex("551d25")
_NC = bytes.fromhex("551d1e")
# An empty ExtendedKeyUsage parses in Java (no purpose at all); cryptography refuses it. It is
# replaced by an EKU naming only this unassigned OID, which keeps "EKU present, no clientAuth".
_NO_PURPOSE_EKU = bytes.fromhex("300f0603551d250408300606042a030405")


def load_cert(der: bytes, anchor: bool = False) -> x509.Certificate:
    """A certificate Java would parse, or CertificateError with Java's reason. For an
    ``anchor`` (name + key and CA-ness only) an unreadable critical extension is dropped too:
    Java's decoders are laxer than cryptography's there (a wildcard or a bad IP in name
    constraints, an AKI with issuer and serial) and Java trusts such anchors."""
    problem = asn1.java_parse_problem(der)
    if problem is not None:
        raise CertificateError(f"Java cannot parse this certificate: {problem}")
    try:
        cert = load_der(der)
        check_parsable(cert)
        return cert
    except (ValueError, TypeError, x509.DuplicateExtension) as exc:
        first = exc.with_traceback(None)  # no frame cycle keeping the certificates alive
    try:
        kept = _readable_extensions(der, anchor)
    except asn1.DerError:
        raise CertificateError(f"cannot parse certificate: {first}") from first
    if kept is None:
        raise CertificateError(f"cannot parse certificate: {first}") from first
    patched = asn1.with_extensions(der, kept)
    try:
        cert = load_der(patched)
        check_parsable(cert)
    except (ValueError, TypeError) as exc:
        raise CertificateError(f"cannot parse certificate: {exc}") from exc
    remember_original(cert, der)
    return cert


def as_anchor(cert: x509.Certificate) -> x509.Certificate:
    """A truststore certificate as Java's trust anchor (:func:`load_cert` with ``anchor``):
    ``cert`` when cryptography reads it whole, else re-encoded without the extensions it cannot
    read; ``cert`` as it is when Java could not read it either."""
    try:
        check_parsable(cert)
        return cert
    except (ValueError, TypeError, x509.DuplicateExtension):
        pass
    try:
        return load_cert(der_of(cert), anchor=True)
    except CertificateError:
        return cert


def _readable_extensions(der: bytes, anchor: bool) -> list[bytes] | None:
    """The extensions to keep; None when a critical one cannot be read (Java fails too)."""
    kept = []
    for oid, critical, whole in asn1.extension_spans(der):
        probe = asn1.with_extensions(der, [whole])
        try:
            check_parsable(load_der(probe))
            kept.append(whole)
            continue
        except (ValueError, TypeError, x509.DuplicateExtension):
            pass
        if critical and not anchor and not (oid == _NC and asn1.empty_name_constraints(whole)):
            return None
        if oid == _EKU and _empty_eku(whole):
            kept.append(_NO_PURPOSE_EKU)
    return kept


def _empty_eku(whole: bytes) -> bool:
    return whole.endswith(bytes.fromhex("04023000"))


def signed_bytes(cert: x509.Certificate) -> bytes:
    """The bytes the issuer signed: the original TBS for a re-encoded certificate."""
    original = original_der(cert)
    return asn1.tbs_bytes(original) if original is not None else tbs_encoded(cert)
