"""JC2xx: client authentication and the server settings Jetty reads.

Each rule is one object: code, name, default severity (and the others its findings may
carry) and its Why / Example / Fix documentation. Detection refers to these objects."""

from __future__ import annotations

from jettycfg.rules.model import Severity, declare

JC201 = declare(
    "JC201",
    "client-auth-off",
    Severity.ERROR,
    """
    Client authentication is off (neither needClientAuth nor wantClientAuth is true).

    Why: Jetty never asks for a client certificate, so JOC's CERTIFICATE identity service can
    never log anyone in; every client certificate is `accepted: false`.
    Example: the stock ssl.ini, with both settings commented out.
    Fix: `jettycfg client-auth want` (password logins keep working) or `need`.
    """,
)
JC202 = declare(
    "JC202",
    "want-client-auth",
    Severity.INFO,
    """
    wantClientAuth is on (and needClientAuth off).

    Why: Jetty requests a certificate; a client without one still connects (JOC offers password
    login), but a client that presents an *invalid* certificate fails the TLS handshake - it
    does not fall back to a password login.
    Example: `jetty.sslContext.wantClientAuth=true`
    Fix: nothing to fix; make sure browsers do not offer stale certificates.
    """,
)
JC203 = declare(
    "JC203",
    "need-client-auth",
    Severity.INFO,
    """
    needClientAuth is on.

    Why: every client must present a certificate the truststore accepts; browsers and API
    clients without one cannot connect at all, so JOC's password login is unreachable on this
    connector.
    Example: `jetty.sslContext.needClientAuth=true`
    Fix: nothing to fix if certificate-only login is the goal; otherwise use want.
    """,
)
JC204 = declare(
    "JC204",
    "endpoint-workaround-missing",
    Severity.ERROR,
    """
    Jetty 9.4.15-9.4.18 (or an unknown 9.4) without the empty endpointIdentificationAlgorithm.

    Why: these versions' stock XML sets endpointIdentificationAlgorithm=HTTPS on the server, so
    Java checks the client certificate's SubjectAltName against the client's IP address and
    rejects ordinary client certificates (jetty issues 3049, 3464, 3466, 3633).
    Example: Jetty 9.4.16 with needClientAuth=true and no endpointIdentificationAlgorithm line.
    Fix: `jettycfg client-auth need --jetty-version 9.4.16` writes
    `jetty.sslContext.endpointIdentificationAlgorithm=` (empty).
    """,
    also=[Severity.WARNING],
)
JC205 = declare(
    "JC205",
    "endpoint-identification-set",
    Severity.ERROR,
    """
    A non-empty endpointIdentificationAlgorithm together with client authentication.

    Why: on the server side Java then matches the *client* certificate's SubjectAltName against
    the client's IP address: ordinary client certificates fail with certificate_unknown (newer
    JDKs log "Endpoint Identification Algorithm HTTPS is not supported on the server side").
    Example: `jetty.sslContext.endpointIdentificationAlgorithm=HTTPS`
    Fix: set it empty: `jetty.sslContext.endpointIdentificationAlgorithm=`.
    """,
)
JC206 = declare(
    "JC206",
    "absolute-store-path-94",
    Severity.ERROR,
    """
    An absolute keyStorePath / trustStorePath on Jetty 9.4.

    Why: 9.4's XML glues `${jetty.base}/` in front of the value, so `/etc/ssl/k.p12` becomes
    `<base>//etc/ssl/k.p12` - a file that does not exist, and Jetty does not start.
    keyStoreAbsolutePath / trustStoreAbsolutePath exist from 9.4.36.
    Example: `jetty.sslContext.keyStorePath=/opt/joc/keystore.p12` on Jetty 9.4.
    Fix: a path relative to JETTY_BASE, or *AbsolutePath on 9.4.36+.
    """,
)
JC207 = declare(
    "JC207",
    "keystore-as-truststore",
    Severity.WARNING,
    """
    No truststore is configured, so Jetty uses the keystore as the truststore.

    Why: Java then trusts only the first certificate of each private-key entry - the server's
    own certificate - not its CA: practically every client certificate is rejected.
    Example: Jetty 10+ with keyStorePath set and no trustStorePath.
    Fix: configure trustStorePath with a truststore holding the client CA
    (`jettycfg store import`).
    """,
)
JC208 = declare(
    "JC208",
    "truststore-without-password-94",
    Severity.WARNING,
    """
    A Jetty 9.4 truststore without trustStorePassword.

    Why: Jetty 9.4 then prompts for the password on standard input at start; a service has none,
    so the store is opened without a password: a PKCS#12 truststore then yields no trust
    anchors at all (its certificates are encrypted), a JKS one loads unchecked.
    Example: trustStorePath set, trustStorePassword missing.
    Fix: set jetty.sslContext.trustStorePassword.
    """,
)
JC209 = declare(
    "JC209",
    "validate-peer-certificates",
    Severity.ERROR,
    """
    validatePeerCertificates=true (an ini property from Jetty 12.1) without CRL or OCSP.

    Why: it turns on Java's revocation checking in hard-fail mode; with no CRL file and no
    OCSP responder configured (both need XML), every client certificate fails.
    Example: `jetty.sslContext.validatePeerCertificates=true` on Jetty 12.1.
    Fix: remove it, or configure revocation sources in a copied jetty-ssl-context.xml.
    """,
)
JC210 = declare(
    "JC210",
    "example-password",
    Severity.WARNING,
    """
    A store password is a default or example password (storepwd, changeit, jobscheduler...).

    Why: these passwords are published in Jetty's, Java's and SOS's documentation.
    Example: `jetty.sslContext.keyStorePassword=jobscheduler`
    Fix: `jettycfg store passwd STORE --base BASE`: the ini follows in the same edit.
    """,
)
JC211 = declare(
    "JC211",
    "obf-is-not-protection",
    Severity.INFO,
    """
    A password is written as OBF:...

    Why: OBF is obfuscation, not encryption: `jettycfg password deobfuscate` (or any copy of
    Jetty) reverses it. Protect the file (mode 0600) instead of relying on OBF.
    Example: `jetty.sslContext.keyStorePassword=OBF:1wmv1v2h...`
    Fix: restrict the ini file's permissions.
    """,
)
JC212 = declare(
    "JC212",
    "jetty-version-unknown",
    Severity.INFO,
    """
    The Jetty version is unknown; version-dependent rules assume Jetty 9.4.

    Why: defaults (keystore type, truststore fallback), deprecated names and the 9.4.15-9.4.18
    workaround depend on the version.
    Example: lint without --jetty-version, --jetty-home or $JETTY_HOME.
    Fix: give --jetty-version or --jetty-home.
    """,
)
JC213 = declare(
    "JC213",
    "restart-pending",
    Severity.WARNING,
    """
    The truststore, the keystore or an ini file of the base changed after the Jetty that runs
    this base started.

    Why: Jetty reads its ini files and stores only when it starts. A CA or client certificate
    added to the truststore since (`jettycfg client issue --truststore`, `store import`), or a
    changed client-auth setting, is not what the running server uses: handshakes keep failing
    (or succeeding) as before until JOC Cockpit is restarted. lint judges the files on disk.
    Detected on Linux (the running java process with start.jar for this jetty.base, from
    /proc); elsewhere the rule is silent.
    Example: `jettycfg store import etc/truststore.p12 new-ca.pem` while JOC runs.
    Fix: restart JOC Cockpit (its Jetty).
    """,
)
JC214 = declare(
    "JC214",
    "validate-certificates",
    Severity.ERROR,
    """
    validateCertificates=true (an ini property from Jetty 12.1): Jetty checks its own keystore
    at start, and stops.

    Why: SslContextFactory then runs Jetty's CertificateValidator over the keystore's
    certificates with revocation checking on; with no CRL configured (that needs XML) the path
    cannot be validated and Jetty does not start ("CertificateException: Unable to validate
    certificate: unable to find valid certification path to requested target") - real Jetty
    12.1, also when the truststore holds the server certificate's CA.
    Example: `jetty.sslContext.validateCertificates=true` on Jetty 12.1.
    Fix: remove it (lint and probe check the server's certificate without stopping Jetty).
    """,
)
JC215 = declare(
    "JC215",
    "no-usable-protocol-or-suite",
    Severity.ERROR,
    """
    Jetty 12.1's include/exclude settings for protocols and cipher suites leave nothing the
    server can speak with its key.

    Why: from Jetty 12.1 `jetty.sslContext.includeProtocols`, `excludeProtocols`,
    `includeCipherSuites` and `excludeCipherSuites` are ini properties. Jetty keeps the
    supported protocols / suites an include pattern matches (else the enabled ones) and drops
    what an exclude pattern matches; Java then refuses TLSv1 and TLSv1.1, and a TLS 1.2 suite
    needs a key of its kind (ECDSA suites an EC key). With nothing left Jetty starts and every
    handshake fails ("handshake failure", or "No supported Cipher Suite" in the log) - real
    Jetty 12.1.
    Example: `includeProtocols=TLSv1.2` with `includeCipherSuites=TLS_ECDHE_RSA_.*` and an EC
    server key; `excludeCipherSuites=.*`; `includeProtocols=TLSv1.1`.
    Fix: keep TLSv1.3 (its suites work with RSA and EC keys), or include suites for the key.
    """,
)
JC216 = declare(
    "JC216",
    "sni-required-handshake",
    Severity.WARNING,
    """
    jetty.sslContext.sniRequired=true: the handshake of a client that sends no SNI, or an SNI
    that is in no certificate of the keystore, fails.

    Why: SslContextFactory.Server then selects the server certificate by the client's SNI
    only (SniX509ExtendedKeyManager; sniSelect returns no alias without a matching SNI) and
    Java ends the handshake (handshake_failure; Jetty 12 on TLS 1.3 closes without an alert;
    nothing in Jetty's log at INFO). Java sends no SNI for an IP address or a dot-less name
    (localhost, joc-server), browsers none for an IP address - real Jetty 9.4, 10, 11, 12.0
    and 12.1 with openssl and a Java 17 client.
    Example: `jetty.sslContext.sniRequired=true` and users who open https://10.0.0.5:4443.
    Fix: remove it, or have every client connect by a name in the server certificate.
    """,
)
JC217 = declare(
    "JC217",
    "sni-required-http",
    Severity.ERROR,
    """
    jetty.ssl.sniRequired=true (SecureRequestCustomizer): requests get HTTP 400 - on Jetty
    9.4-11 with a keystore of one host name every request does, so JOC cannot be reached.

    Why: the customizer refuses a request without the SNI host that Jetty's SNI key manager
    records ("400: SNI required" on 9.4, "400: Invalid SNI" on 10/11 in Jetty's log). That
    key manager is installed only with jetty.sslContext.sniRequired=true, a wildcard
    certificate, more than one host name (CN and DNS SANs) or one host name in several
    entries: with one certificate for one name (CN and SANs alike) it is not, and every
    request gets 400 whatever the client sends. Jetty 12.0.16+ reads the SNI from the TLS
    session: only a client that sends no SNI, or one not in the certificate, gets 400
    ("Invalid SNI", nothing logged). Real Jetty 9.4, 10, 11, 12.0 and 12.1. Where every
    request gets 400, lint reports each accepted client's login as impossible (JC217 among
    its login problems).
    Example: `jetty.ssl.sniRequired=true` with a keystore for CN=joc.example.com.
    Fix: remove it (TLS-level checks belong to the truststore and client auth).
    """,
    also=(Severity.WARNING,),
)
