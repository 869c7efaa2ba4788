"""Java's algorithm constraints for certificate paths, per Java feature release.

``jdk.certpath.disabledAlgorithms`` (java.security) in 11-25: ``MD2, MD5, SHA1 jdkCA & usage
TLSServer, RSA keySize < 1024, DSA keySize < 1024, EC keySize < 224``; Java 8 and 11 also
disable weak named curves; from Java 17 SunEC offers only P-256/384/521 for ECDSA; EdDSA
arrived in Java 15. SHA-1 is disabled only for chains to the JDK's own cacerts roots used by TLS
*servers*, so a SHA-1 signed client chain passes (a warning, not a rejection).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

from jettycfg.certs.held import DSA_PUBLIC_KEY, public_key

if TYPE_CHECKING:
    from cryptography import x509

JAVA_VERSIONS = (8, 11, 17, 21, 25)
DEFAULT_JAVA = 17
NIST_CURVES = {"secp256r1", "secp384r1", "secp521r1"}


@dataclass(frozen=True)
class AlgorithmIssue:
    disabled: bool  # True: Java rejects; False: accepted but weak
    message: str


def _sig_hash(cert: x509.Certificate) -> str | None:
    algo = cert.signature_hash_algorithm if _has_hash(cert) else None
    return algo.name if algo is not None else None


def _has_hash(cert: x509.Certificate) -> bool:
    try:
        cert.signature_hash_algorithm  # noqa: B018 - raises for unknown algorithms
        return True
    except Exception:
        return False


def signature_issues(cert: x509.Certificate, java: int) -> list[AlgorithmIssue]:
    """Problems with the algorithm ``cert`` is signed with."""
    oid = cert.signature_algorithm_oid.dotted_string
    name = getattr(cert.signature_algorithm_oid, "_name", oid)
    if oid in ("1.2.840.113549.1.1.2", "1.2.840.113549.1.1.4"):  # md2/md5WithRSAEncryption
        return [AlgorithmIssue(True, f"signed with {name}: disabled in every Java")]
    if oid in ("1.3.101.112", "1.3.101.113") and java < 15:
        return [AlgorithmIssue(True, f"signed with {name}: EdDSA needs Java 15 or later")]
    digest = _sig_hash(cert)
    if digest == "sha1":
        return [
            AlgorithmIssue(
                False, f"signed with {name} (SHA-1): accepted for client chains, but weak"
            )
        ]
    return []


def key_issues(cert: x509.Certificate, java: int) -> list[AlgorithmIssue]:
    """Problems with the public key in ``cert``."""
    key = public_key(cert)
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < 1024:
            return [AlgorithmIssue(True, f"RSA key of {key.key_size} bits: Java disables < 1024")]
        if key.key_size < 2048:
            return [AlgorithmIssue(False, f"RSA key of {key.key_size} bits: accepted, but weak")]
    elif isinstance(key, DSA_PUBLIC_KEY) and key.key_size < 1024:
        return [AlgorithmIssue(True, f"DSA key of {key.key_size} bits: Java disables < 1024")]
    elif isinstance(key, ec.EllipticCurvePublicKey):
        if key.key_size < 224:
            return [AlgorithmIssue(True, f"EC key of {key.key_size} bits: Java disables < 224")]
        if key.curve.name not in NIST_CURVES:
            return [
                AlgorithmIssue(
                    True,
                    f"EC curve {key.curve.name}: Java {java} supports only "
                    "P-256, P-384 and P-521 for certificates",
                )
            ]
    elif isinstance(key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)) and java < 15:
        return [AlgorithmIssue(True, "EdDSA key: needs Java 15 or later")]
    return []


def chain_cap(java: int) -> int:
    """Most certificates SunJSSE accepts in a client's Certificate message."""
    return 8 if java >= 22 else 10
