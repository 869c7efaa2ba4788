"""JC4xx: a client certificate and its chain, as Java's trust manager and JOC judge them.

Each rule is one object: code, name, default severity (and the others its findings may
carry) and its Why / Example / Fix documentation. Detection refers to these objects."""

from __future__ import annotations

from jettycfg.rules.model import Severity, declare

JC401 = declare(
    "JC401",
    "no-trusted-path",
    Severity.ERROR,
    """
    No path from the client certificate to a trust anchor.

    Why: Java builds the path only from the certificates the client sends and the truststore;
    it never fetches a missing intermediate (no AIA). An issuer that is neither sent nor in the
    truststore means rejection ("unable to find valid certification path").
    Example: a browser sends only the leaf, and the truststore holds only the root CA.
    Fix: send the intermediate CA with the client certificate (bundle it into the .p12), or
    import the issuing CA into the truststore.
    """,
)
JC403 = declare(
    "JC403",
    "signature-invalid",
    Severity.ERROR,
    """
    A certificate's signature does not verify with its issuer's key.

    Why: the issuer's name matches a truststore or sent certificate, but the key does not: a
    forged certificate, or one issued by another CA that happens to have the same name (a CA
    re-created with a new key).
    Example: the CA was re-generated; old client certificates name it but were signed by the
    old key.
    Fix: import the CA that really issued the certificate, or re-issue the client certificate.
    """,
)
JC404 = declare(
    "JC404",
    "certificate-expired",
    Severity.ERROR,
    """
    The client certificate or an intermediate has expired (at --at, default now).

    Why: Java checks the dates of every certificate below the anchor (the anchor's own dates
    are ignored).
    Example: a client certificate issued for one year, two years ago.
    Fix: issue a new client certificate (or send the renewed intermediate).
    """,
)
JC405 = declare(
    "JC405",
    "certificate-not-yet-valid",
    Severity.ERROR,
    """
    The client certificate or an intermediate is not valid yet.

    Why: notBefore lies in the future - usually a clock difference between the CA and the
    server.
    Example: a certificate created on a machine whose clock runs an hour ahead.
    Fix: check both clocks; backdate notBefore a little when issuing.
    """,
)
JC406 = declare(
    "JC406",
    "issuer-not-ca",
    Severity.ERROR,
    """
    An intermediate is not a CA (no BasicConstraints CA:TRUE).

    Why: Java accepts only CA certificates as issuers below the anchor.
    Example: a client certificate "issued" by another end-entity certificate.
    Fix: issue the certificate from a real CA.
    """,
)
JC407 = declare(
    "JC407",
    "path-length-exceeded",
    Severity.ERROR,
    """
    An intermediate's pathLenConstraint allows fewer intermediates below it than the path has.

    Why: Java enforces pathLen on intermediates (not on the anchor itself).
    Example: a sub-CA with pathlen:0 issuing another sub-CA that issues clients.
    Fix: issue clients directly from the constrained CA, or raise its pathLen.
    """,
)
JC408 = declare(
    "JC408",
    "issuer-without-keycertsign",
    Severity.ERROR,
    """
    An intermediate has a KeyUsage without keyCertSign.

    Why: Java requires keyCertSign on every issuing certificate that has a KeyUsage extension.
    Example: an intermediate with KeyUsage digitalSignature only.
    Fix: re-issue the intermediate with keyCertSign.
    """,
)
JC409 = declare(
    "JC409",
    "name-constraints-violated",
    Severity.ERROR,
    """
    A certificate lies outside the name constraints of an intermediate above it.

    Why: Java enforces an intermediate's permitted/excluded subtrees on the subject DN and the
    SubjectAltNames below it.
    Example: a CA constrained to O=Sales issuing a certificate for O=Finance.
    Fix: issue the certificate inside the permitted names.
    """,
)
JC410 = declare(
    "JC410",
    "unknown-critical-extension",
    Severity.ERROR,
    """
    A certificate in the path has a critical extension Java does not process.

    Why: PKIX rejects unhandled critical extensions. Java processes KeyUsage,
    ExtendedKeyUsage, SubjectAltName, BasicConstraints, NameConstraints and the policy
    extensions; a critical AuthorityKeyIdentifier, SubjectKeyIdentifier or private extension
    is fatal.
    Example: AuthorityKeyIdentifier marked critical by a home-made CA script.
    Fix: issue the certificate with that extension non-critical.
    """,
)
JC411 = declare(
    "JC411",
    "leaf-key-usage",
    Severity.ERROR,
    """
    The client certificate's KeyUsage lacks digitalSignature.

    Why: a TLS client proves possession of its key by signing; Java's end-entity check for
    TLS clients requires digitalSignature when KeyUsage is present.
    Example: KeyUsage keyEncipherment only (a server-style profile).
    Fix: issue the client certificate with KeyUsage digitalSignature.
    """,
)
JC412 = declare(
    "JC412",
    "leaf-extended-key-usage",
    Severity.ERROR,
    """
    The client certificate's ExtendedKeyUsage lacks clientAuth (and anyExtendedKeyUsage).

    Why: Java's end-entity check for TLS clients requires clientAuth when EKU is present.
    Example: a server certificate (EKU serverAuth) used as a client certificate.
    Fix: issue it with EKU clientAuth (or without EKU).
    """,
)
JC413 = declare(
    "JC413",
    "leaf-netscape-cert-type",
    Severity.ERROR,
    """
    The client certificate's Netscape cert type lacks "SSL client".

    Why: Java still honours this legacy extension: when present it must allow SSL client use.
    Example: nsCertType=server.
    Fix: issue the certificate without the Netscape extension.
    """,
)
JC414 = declare(
    "JC414",
    "disabled-algorithm",
    Severity.ERROR,
    """
    A signature or key algorithm in the path is disabled on the chosen Java version.

    Why: jdk.certpath.disabledAlgorithms rejects MD2/MD5 signatures, RSA/DSA keys below 1024
    bits, EC keys below 224 bits; Java 17+ accepts only the P-256/P-384/P-521 curves; EdDSA
    needs Java 15+. Keys are checked on every certificate, the anchor included.
    Example: an MD5-signed client certificate; an RSA-512 key.
    Fix: re-issue with SHA-256 and RSA >= 2048 or EC P-256.
    """,
)
JC415 = declare(
    "JC415",
    "chain-too-long",
    Severity.ERROR,
    """
    The client sends more certificates than SunJSSE accepts.

    Why: Java limits the Certificate message to 10 certificates (8 on the server side from
    Java 22).
    Example: a client .p12 bundling the whole CA hierarchy twice.
    Fix: send only the leaf and the intermediates.
    """,
)
JC416 = declare(
    "JC416",
    "anchor-not-ca",
    Severity.ERROR,
    """
    The truststore certificate above the chain is not a CA.

    Why: a v3 truststore certificate without BasicConstraints CA:TRUE (or with a KeyUsage
    lacking keyCertSign) cannot anchor a path; only the exact certificate itself is trusted.
    Example: the CA's certificate was created without the CA extension.
    Fix: import the real CA certificate, or import each client certificate itself.
    """,
)
JC417 = declare(
    "JC417",
    "endpoint-identification",
    Severity.ERROR,
    """
    endpointIdentificationAlgorithm makes Java check the client certificate against the
    client's address.

    Why: with a non-empty value (Jetty 9.4.15-9.4.18 default HTTPS), the server matches the
    client certificate's SubjectAltName IP entries against the connecting IP; ordinary client
    certificates have none.
    Example: Jetty 9.4.16 stock configuration.
    Fix: `jetty.sslContext.endpointIdentificationAlgorithm=` (empty).
    """,
)
JC418 = declare(
    "JC418",
    "self-signed-untrusted",
    Severity.ERROR,
    """
    A self-signed client certificate that is not in the truststore.

    Why: a self-signed certificate is trusted only as itself: Java accepts it when its exact
    certificate (or subject and key) is in the truststore.
    Example: a client certificate made with `openssl req -x509`.
    Fix: `jettycfg store import TRUSTSTORE client.crt`.
    """,
)
JC419 = declare(
    "JC419",
    "misordered-chain-too-long",
    Severity.ERROR,
    """
    The chain is not sent in order and needs more than 5 intermediates.

    Why: Java validates an ordered chain as sent, but a misordered one goes through the path
    builder, which stops after 5 intermediates.
    Example: leaf, root-side intermediate, then the intermediate below it, 6 levels deep.
    Fix: send the chain in order (leaf, its issuer, that one's issuer, ...).
    """,
)
JC430 = declare(
    "JC430",
    "accepted-but-weak",
    Severity.WARNING,
    """
    Java accepts the chain, but it uses weak algorithms (SHA-1 signature, RSA below 2048).

    Why: SHA-1 is disabled only for chains to the JDK's own roots used by TLS servers, and
    RSA-1024 is still allowed - both are breakable and will be disabled one day.
    Example: a client certificate signed with sha1WithRSAEncryption.
    Fix: re-issue with SHA-256 and RSA >= 2048 or EC P-256.
    """,
)
JC434 = declare(
    "JC434",
    "pinned-certificate",
    Severity.INFO,
    """
    The client certificate itself is in the truststore (pinned).

    Why: Java then accepts it with no further check at all - no dates, key usage or
    algorithms - so even an expired certificate keeps working until it is removed.
    Example: self-signed client certificates imported one by one.
    Fix: nothing, if intended; remove expired ones (`jettycfg store remove`).
    """,
)
JC440 = declare(
    "JC440",
    "no-certificate",
    Severity.ERROR,
    """
    The client certificate file holds no certificate.

    Why: there is nothing to send in the handshake.
    Example: a PEM file with only a private key.
    Fix: give the file with the certificate (leaf first, then its chain).
    """,
)
JC450 = declare(
    "JC450",
    "server-does-not-start",
    Severity.ERROR,
    """
    The certificate cannot be judged: Jetty would not start (or cannot complete any handshake)
    with this JETTY_BASE.

    Why: see the configuration finding it names (missing or unreadable store, wrong password,
    key password mismatch, no private key).
    Example: trustStorePassword wrong.
    Fix: fix that finding first.
    """,
)
