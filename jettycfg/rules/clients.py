"""JC46x-JC47x: client certificates as JOC and the client platforms see them - the account
JOC reads, JOC's own login check after the handshake, and the client's PKCS#12 bundle.

Each rule is one object: code, name, default severity (and the others its findings may
carry) and its Why / Example / Fix documentation. Detection refers to these objects."""

from __future__ import annotations

from jettycfg.rules.model import Severity, declare

JC460 = declare(
    "JC460",
    "no-common-name",
    Severity.ERROR,
    """
    The client certificate's subject has no CN.

    Why: Java accepts it (a CN is not required for TLS), but JOC's CERTIFICATE identity service
    takes the account name from the CN: nobody can log in with it.
    Example: subject O=Example only, identity in the SubjectAltName.
    Fix: issue the certificate with CN=<JOC account>.
    """,
)
JC461 = declare(
    "JC461",
    "cn-not-an-account",
    Severity.ERROR,
    """
    The client certificate's CN is none of the given JOC accounts (--account / --accounts-file).

    Why: JOC matches the CN to the account name exactly (case and blanks included).
    Example: CN=Root for the account root.
    Fix: issue the certificate with the account's exact name as CN, or create the account.
    """,
)
JC462 = declare(
    "JC462",
    "expiring-soon",
    Severity.WARNING,
    """
    The client certificate (or an intermediate it sends) expires within --expiry-warning-days.

    Why: logins stop working on that day.
    Example: a one-year certificate issued eleven months ago.
    Fix: issue a new certificate in time.
    """,
)
JC463 = declare(
    "JC463",
    "unreadable-client-certificate",
    Severity.ERROR,
    """
    A client certificate file cannot be read (garbage, truncated, wrong format, wrong
    password), or Java refuses to parse the certificate (duplicate extensions, an empty
    issuer, an empty subject with a non-critical SAN, mismatching signature algorithms,
    explicit EC parameters, an unreadable critical extension): Java rejects such a chain.

    Why: nothing can be judged; the rest of the report still comes out.
    Example: a .p12 given with the wrong --client-pass.
    Fix: give a PEM (leaf first, then the chain), DER or PKCS#12 file and its password.
    """,
)
JC464 = declare(
    "JC464",
    "dsa-key-needs-tls12",
    Severity.WARNING,
    """
    The client certificate has a DSA key.

    Why: TLS 1.3 has no DSA signatures, so the client must fall back to TLS 1.2 (Java accepts the
    chain there); browsers and modern clients refuse DSA client certificates altogether.
    Example: a client key made with `keytool -keyalg DSA`.
    Fix: issue the client certificate with an RSA (>= 2048) or EC P-256 key.
    """,
)
JC465 = declare(
    "JC465",
    "login-outside-validity",
    Severity.ERROR,
    """
    Jetty accepts the client certificate, but JOC refuses the login: the certificate is
    expired (or not yet valid) at login time.

    Why: JOC checks the leaf's notBefore / notAfter itself after the handshake
    (SOSAuthHelper.checkCertificate: "Certificate expired on ..." in joc.log). Java does not
    check the dates of a certificate that is itself in the truststore (pinned, self-signed
    scheme), so such a certificate passes the handshake and still cannot log in.
    Example: a self-signed client certificate imported into the truststore two years ago.
    Fix: issue a new certificate (`jettycfg client issue`), import it into the truststore,
    restart Jetty.
    """,
)
JC466 = declare(
    "JC466",
    "cn-hidden-from-joc",
    Severity.WARNING,
    """
    JOC reads another account from the subject than its first CN attribute suggests.

    Why: JOC takes the account with Java's LdapName: the first RDN in DER order whose first
    entry (Java sorts the entries of a multi-valued RDN by type, then value) is a CN. A CN
    inside a multi-valued RDN behind a type that sorts first (`C=DE+CN=x`, or an OID such as
    SERIALNUMBER) is never seen; with several CN RDNs, the first in DER order wins (the last one
    in the RFC 2253 string most tools print).
    Example: subject `CN=root+C=DE` - openssl shows CN=root, JOC reads no account.
    Fix: issue the certificate with a single-valued `CN=<account>` RDN.
    """,
)
JC467 = declare(
    "JC467",
    "bundle-without-chain",
    Severity.WARNING,
    """
    A client bundle (--client-p12) holds the key and certificate but not the CA that issued it.

    Why: browsers and the JS7 PowerShell module send what the bundle holds; Java never fetches a
    missing intermediate, and the Windows certificate store cannot build the chain for a CA it
    does not know. Without the chain the handshake works only while the truststore holds the
    issuing CA itself.
    Example: `openssl pkcs12 -export -in client.crt -inkey client.key` without `-certfile`.
    Fix: rebuild the bundle with the chain (`jettycfg client bundle --chain ca.pem`).
    """,
)
JC468 = declare(
    "JC468",
    "bundle-encryption-too-new",
    Severity.WARNING,
    """
    A client bundle uses PBES2/AES or a SHA-256 MAC, which older Windows and macOS cannot import.

    Why: Windows Server 2016 (and Windows 10 before 1709) and older macOS (SecPKCS12Import)
    import only PKCS#12 files protected with 3DES and a SHA-1 MAC - OpenSSL 3's and Java's
    default is AES-256 with HMAC-SHA256. Current browsers, Java and NSS read both.
    Example: a bundle made by `openssl pkcs12 -export` with OpenSSL 3.
    Fix: `jettycfg client issue|bundle --profile legacy`, or `jettycfg store convert --legacy`.
    """,
)
JC469 = declare(
    "JC469",
    "bundle-friendly-name",
    Severity.INFO,
    """
    The client bundle's friendlyName is not the JOC account its certificate logs in as.

    Why: the friendlyName is what Windows, browsers and Connect-JS7 show when asking which
    certificate to use; JOC itself takes the account from the CN, so a misleading name makes
    users pick the wrong certificate.
    Example: a bundle named `client` for the account `apmacwin`.
    Fix: rebuild the bundle (`jettycfg client bundle`: friendlyName = account).
    """,
)
JC470 = declare(
    "JC470",
    "bundle-key-mismatch",
    Severity.ERROR,
    """
    The client bundle's private key is missing or does not belong to its certificate.

    Why: the client proves it holds the certificate's key in the handshake (CertificateVerify);
    without the matching key the browser offers nothing and Connect-JS7 fails to load it.
    Example: a bundle rebuilt with a renewed certificate and the old key.
    Fix: bundle the certificate with the key it was issued for (`jettycfg client bundle`).
    """,
)
JC471 = declare(
    "JC471",
    "account-not-ascii",
    Severity.WARNING,
    """
    The account (the CN) holds characters outside ASCII, and JOC runs on Java 17 or older.

    Why: for a certificate login JOC builds an HTTP Basic header from the account with
    `String.getBytes()` - the JVM's default charset - and reads it back as UTF-8
    (sos-components `SOSServicePermissionIam`). Before Java 18 the default charset is the
    platform's: windows-1252 on a Western Windows, ASCII on Linux without a UTF-8 locale (a
    service started without LANG). There the account comes back mangled (`jürgen` as `j�rgen`)
    and no longer equals the CN: the login fails. Java 18+ (JEP 400) defaults to UTF-8.
    Example: CN=jürgen on a Windows JOC running Java 17.
    Fix: use an ASCII account name, or start JOC's Java with `-Dfile.encoding=UTF-8` (or on
    Java 18+).
    """,
)
