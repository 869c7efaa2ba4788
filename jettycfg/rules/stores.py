"""JC3xx: the key- and truststore as Jetty and Java open them.

Each rule is one object: code, name, default severity (and the others its findings may
carry) and its Why / Example / Fix documentation. Detection refers to these objects."""

from __future__ import annotations

from jettycfg.rules.model import Severity, declare

JC301 = declare(
    "JC301",
    "store-unreadable",
    Severity.ERROR,
    """
    Jetty cannot open the keystore or truststore (missing, a folder, corrupt, not a store).

    Why: SslContextFactory fails and Jetty does not start at all ("... is not a valid
    keystore"); every certificate is `accepted: false`.
    Example: trustStorePath=etc/truststore.p12 but the file is elsewhere.
    Fix: correct the path (relative to JETTY_BASE) or create the store
    (`jettycfg store import`).
    """,
)
JC302 = declare(
    "JC302",
    "store-wrong-password",
    Severity.ERROR,
    """
    The configured password does not open the keystore or truststore.

    Why: Java reports "keystore password was incorrect" and Jetty does not start.
    Example: trustStorePassword=changeit for a store made with another password.
    Fix: set the store's real password (OBF allowed), or `jettycfg store passwd`.
    """,
)
JC303 = declare(
    "JC303",
    "store-type-mismatch",
    Severity.ERROR,
    """
    The declared store type cannot open the file's real format on this Java.

    Why: Java's keystore.type.compat lets type JKS open PKCS#12 (Java 8+) and PKCS12 open JKS
    (Java 9+) - nothing else: a JCEKS file declared PKCS12, or a JKS file declared PKCS12 on
    Java 8, stops Jetty from starting.
    Example: trustStoreType=PKCS12 for a JCEKS file.
    Fix: declare the real type, or `jettycfg store convert SRC DST --base BASE`.
    """,
)
JC304 = declare(
    "JC304",
    "store-type-declared-wrongly",
    Severity.WARNING,
    """
    The declared store type differs from the file's format, but Java opens it anyway.

    Why: keystore.type.compat (on by default) hides the mistake until someone runs an older Java
    or turns compat off.
    Example: keyStoreType=JKS for a PKCS#12 file.
    Fix: declare the real type.
    """,
)
JC305 = declare(
    "JC305",
    "keystore-without-key",
    Severity.ERROR,
    """
    The keystore holds no private key with its certificate.

    Why: the server has no certificate to present; every TLS handshake fails (Java's key
    manager skips a key whose certificate chain is missing; real Jetty 9.4 starts and serves
    no TLS).
    Example: a truststore configured as keyStorePath by mistake; a PKCS#12 file holding only
    the key.
    Fix: point keyStorePath at the store with the server key (alias, see `jettycfg store list`).
    """,
)
JC306 = declare(
    "JC306",
    "key-password-mismatch",
    Severity.ERROR,
    """
    keyManagerPassword does not open the private key.

    Why: for PKCS#12, Java requires the key password to equal the store password; Jetty 9.4's
    default keyManagerPassword is "keypwd", so setting only keyStorePassword breaks PKCS#12
    keystores. JKS keys have their own passwords. Jetty does not start.
    Example: keyStorePassword=jobscheduler, keyManagerPassword unset, Jetty 9.4, PKCS#12.
    Fix: set keyManagerPassword to the keystore password.
    """,
)
JC307 = declare(
    "JC307",
    "pkcs12-certificates-java-ignores",
    Severity.ERROR,
    """
    The PKCS#12 truststore holds certificates without Java's trusted-key-usage attribute.

    Why: Java drops certificate bags without attribute 2.16.840.1.113894.746875.1.1 when it loads
    a PKCS#12 file; `openssl pkcs12 -export -nokeys` (before 3.2) and most libraries write none,
    so the CA seems to be in the truststore but Java never trusts it.
    Example: a truststore made with `openssl pkcs12 -export -nokeys -in ca.pem`.
    Fix: `jettycfg store repair-trust STORE`.
    """,
)
JC308 = declare(
    "JC308",
    "store-java-cannot-open",
    Severity.ERROR,
    """
    The keystore or truststore uses an algorithm Java cannot load (jettycfg can read it).

    Why: Java's PBES2 knows AES-128 and AES-256 only; AES-192, GOST and (on Java 17) PBMAC1
    integrity (RFC 9579) make KeyStore.load fail ("parseAlgParameters failed"), so Jetty does
    not start.
    Example: `openssl pkcs12 -export -keypbe AES-192-CBC -certpbe AES-192-CBC`.
    Fix: rewrite it with `jettycfg store convert SRC DST --base BASE` (AES-256, HmacSHA256).
    """,
)
JC320 = declare(
    "JC320",
    "no-trust-anchors",
    Severity.ERROR,
    """
    Java forms no trust anchor from the truststore.

    Why: every client handshake fails ("the trustAnchors parameter must be non-empty"). Causes:
    an empty store, a PKCS#12 store whose certificates lack Java's trust attribute, or a PKCS#12
    store opened without a password.
    Example: an openssl-made truststore.
    Fix: import the client CA (`jettycfg store import`) or `jettycfg store repair-trust`.
    """,
)
JC321 = declare(
    "JC321",
    "anchor-expired",
    Severity.WARNING,
    """
    A truststore certificate has expired or expires within --expiry-warning-days.

    Why: Java ignores an anchor's dates, so clients keep working - until the CA's
    intermediates and client certificates expire with it, or a stricter client (browser,
    openssl) rejects the chain. It is a maintenance warning, not a rejection.
    Example: a JOC root CA created for 10 years, 10 years ago.
    Fix: renew the CA and import the new certificate.
    """,
)
JC323 = declare(
    "JC323",
    "weak-anchor",
    Severity.WARNING,
    """
    A trust anchor has a weak key (RSA/DSA below 2048 bits, EC below 256).

    Why: Java still accepts RSA-1024 anchors, but such keys are breakable; anything below 1024
    bits is disabled and rejects every chain under it.
    Example: an old internal CA with a 1024-bit RSA key.
    Fix: move to a CA with RSA 3072 / EC P-256 or better.
    """,
)
JC330 = declare(
    "JC330",
    "server-keystore",
    Severity.WARNING,
    """
    The server keystore: several keys without an alias choice, an expired server
    certificate, a certificate not meant for TLS servers.

    Why: with several private keys and no certAlias Jetty picks by SNI/key type, which may not
    be the intended certificate; an expired server certificate makes clients refuse the server;
    an ExtendedKeyUsage without serverAuth makes Java and browsers refuse it.
    Example: a keystore with `https` and `old-https` key entries.
    Fix: keep one key entry (or set JOC's jetty.sslContext.keystore.alias); renew the
    certificate.
    """,
    also=[Severity.ERROR],
)
JC331 = declare(
    "JC331",
    "keystore-readable-by-all",
    Severity.WARNING,
    """
    The keystore file (the server's private key) is readable by every user.

    Why: its password is in the ini file - often only OBF-obfuscated - so any local user can
    copy the server's key.
    Example: -rw-r--r-- https-keystore.p12
    Fix: chmod 600 (owner: the JOC service account).
    """,
)
JC332 = declare(
    "JC332",
    "pkcs12-too-new-for-java",
    Severity.WARNING,
    """
    A PKCS#12 store uses AES / SHA-256 protection that old Java updates cannot read.

    Why: Java 8 before 8u301 and Java 11 before 11.0.12 fail with "parseAlgParameters failed"
    or a misleading "password was incorrect", and Jetty does not start.
    Example: a keystore written by Java 17's keytool or OpenSSL 3, run on Java 8u292.
    Fix: rewrite it with `jettycfg store convert SRC DST --legacy --base BASE`, or update Java.
    """,
)
JC390 = declare(
    "JC390",
    "malformed-store-certificate",
    Severity.ERROR,
    """
    A certificate in the keystore or truststore cannot be fully parsed.

    Why: a malformed extension makes the certificate unusable for Java as well; the check that
    met it is skipped and says so.
    Example: a KeyUsage extension whose value is not a BIT STRING.
    Fix: remove the certificate (`jettycfg store remove`) and import a good copy.
    """,
)
