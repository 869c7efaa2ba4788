"""Trust anchors as Java forms them (name + key, looked up canonically) and signature checks."""

from __future__ import annotations

from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from jettycfg import memo
from jettycfg.certs import cert_id, extension_table, facts, public_key
from jettycfg.certs.held import DSA_PUBLIC_KEY
from jettycfg.certs.lenient import as_anchor, signed_bytes
from jettycfg.trust.names import Canonical, canonical, issuer_of, subject_of


class Anchors:
    """The trust anchors Java forms from a truststore: name + key, looked up canonically."""

    def __init__(self, certs: list[x509.Certificate]):
        certs = [as_anchor(c) for c in certs]
        self.certs = certs
        self._ids = {cert_id(c) for c in certs}
        self._by_subject: dict[Canonical, list[x509.Certificate]] = {}
        for cert in certs:
            self._by_subject.setdefault(subject_of(cert), []).append(cert)

    def __len__(self) -> int:
        return len(self.certs)

    def by_subject(self, name: x509.Name) -> list[x509.Certificate]:
        return self._by_subject.get(canonical(name), [])

    def issuers_of(self, cert: x509.Certificate) -> list[x509.Certificate]:
        """Anchors whose subject is ``cert``'s issuer."""
        return self._by_subject.get(issuer_of(cert), [])

    def pinned(self, cert: x509.Certificate) -> bool:
        """This exact certificate is in the truststore."""
        return cert_id(cert) in self._ids

    def trusted(self, cert: x509.Certificate) -> x509.Certificate | None:
        """The anchor equal to ``cert`` (same DER, or same subject and key), if any."""
        if cert_id(cert) in self._ids:
            return cert
        same_subject = self._by_subject.get(subject_of(cert))
        if not same_subject:
            return None
        key = spki(cert)
        return next((a for a in same_subject if spki(a) == key), None)


def spki(cert: x509.Certificate) -> bytes:

    return public_key(cert).public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def signature_ok(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether ``issuer``'s key verifies ``cert``'s signature (memoized: the intermediates of a
    CA recur in thousands of client chains)."""
    table = memo.table("signature_ok")
    key = (cert_id(cert), cert_id(issuer))
    found: bool | None = table.get(key)
    if found is None:
        found = table[key] = _verify(cert, issuer)
    return found


def _verify(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    kind, key = _verifier(issuer)
    try:
        data, sig = signed_bytes(cert), cert.signature
        if kind == "ed":
            key.verify(sig, data)
            return True
        digest = cert.signature_hash_algorithm
        if digest is None or not kind:
            return False
        if kind == "rsa":
            params = cert.signature_algorithm_parameters
            if not isinstance(params, (padding.PSS, padding.PKCS1v15)):
                return False
            key.verify(sig, data, params, digest)
        elif kind == "ec":
            key.verify(sig, data, ec.ECDSA(digest))
        else:
            key.verify(sig, data, digest)
        return True
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError):
        return False


def _verifier(issuer: x509.Certificate) -> tuple[str, Any]:
    """("rsa" | "ec" | "ed" | "dsa" | "", key) of ``issuer``: its key type, found once."""
    known = facts(issuer)
    found: tuple[str, Any] | None = known.get("verifier")
    if found is None:
        key = public_key(issuer)
        kind = next((k for k, types in _KINDS if isinstance(key, types)), "")
        found = known["verifier"] = (kind, key)
    return found


_KINDS: tuple[tuple[str, tuple[type, ...]], ...] = (
    ("rsa", (rsa.RSAPublicKey,)),
    ("ec", (ec.EllipticCurvePublicKey,)),
    ("ed", (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)),
    ("dsa", (DSA_PUBLIC_KEY,)),
)


def _key_ids(cert: x509.Certificate) -> tuple[bytes | None, bytes | None]:
    """(SKI, AKI keyIdentifier) of ``cert``."""
    table = facts(cert)
    found: tuple[bytes | None, bytes | None] | None = table.get("key_ids")
    if found is None:
        values = extension_table(cert)
        ski_ext = values.get(x509.SubjectKeyIdentifier)
        aki_ext = values.get(x509.AuthorityKeyIdentifier)
        ski = ski_ext.digest if ski_ext is not None else None
        aki = aki_ext.key_identifier if aki_ext is not None else None
        found = table["key_ids"] = (ski, aki)
    return found


def key_ids_match(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Java selects issuers (ForwardBuilder's CA selector, PKIXCertPathValidator's anchor
    selector) by the child's AKI keyIdentifier when it has one: an issuer with a different
    SKI is not tried at all."""
    aki = _key_ids(cert)[1]
    ski = _key_ids(issuer)[0]
    return aki is None or ski is None or aki == ski
