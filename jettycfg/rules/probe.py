"""JC5xx: what probe observes on a running server.

Each rule is one object: code, name, default severity (and the others its findings may
carry) and its Why / Example / Fix documentation. Detection refers to these objects."""

from __future__ import annotations

from jettycfg.rules.model import Severity, declare

JC501 = declare(
    "JC501",
    "advertises-only-server-certificate",
    Severity.ERROR,
    """
    The server's acceptable CA list holds only its own certificate.

    Why: the keystore is being used as the truststore (no truststore configured), so Java
    trusts nothing but the server's own certificate and rejects practically every client.
    Example: Jetty 10+ with keyStorePath set and no trustStorePath.
    Fix: configure a truststore holding the client CA (`jettycfg lint` shows JC207).
    """,
)
JC502 = declare(
    "JC502",
    "advertises-no-ca",
    Severity.ERROR,
    """
    The server requests a client certificate but advertises no acceptable CA.

    Why: its truststore gives Java no anchors (empty, PKCS#12 without Java's trust attribute,
    or opened without a password): every client certificate fails, and browsers offer none.
    Example: an openssl-made PKCS#12 truststore.
    Fix: `jettycfg store repair-trust` or import the CA; restart the server.
    """,
)
JC503 = declare(
    "JC503",
    "client-auth-off-observed",
    Severity.ERROR,
    """
    The running server does not request a client certificate.

    Why: JOC's certificate login cannot work through this port.
    Example: needClientAuth and wantClientAuth both false (or a restart pending).
    Fix: `jettycfg client-auth want`, then restart JOC.
    """,
)
JC504 = declare(
    "JC504",
    "server-differs-from-base",
    Severity.ERROR,
    """
    The running server does not behave as the given --base predicts.

    Why: the files on disk are not what the server runs with: a restart pending, another
    JETTY_BASE, a command-line override, a different truststore.
    Example: the truststore was updated, JOC not restarted.
    Fix: restart the server, or lint the base it really uses.
    """,
)
JC505 = declare(
    "JC505",
    "server-certificate-untrusted",
    Severity.WARNING,
    """
    The server's certificate chain does not validate against --cafile (or the system CAs), or
    does not match the host name.

    Why: browsers and API clients refuse or warn before any client certificate is sent.
    Example: a self-signed JOC certificate; a certificate for joc.example.com reached by IP.
    Fix: import the CA into the clients, or issue a certificate with the right SAN.
    """,
)
JC506 = declare(
    "JC506",
    "client-certificate-rejected",
    Severity.ERROR,
    """
    The server rejected the client certificate in the handshake.

    Why: the alert says how (unknown_ca, bad_certificate, certificate_unknown,
    certificate_required ...); `jettycfg lint --base` explains why, rule by rule.
    Example: the truststore lacks the client's CA.
    Fix: see lint's findings for this certificate.
    """,
)
JC507 = declare(
    "JC507",
    "sni-host-check",
    Severity.ERROR,
    """
    The server answers HTTP 400 "Invalid SNI": the host name the client used is not in the
    server's certificate.

    Why: Jetty checks the TLS SNI host name against the certificate's names
    (SecureRequestCustomizer, `jetty.ssl.sniHostCheck`, on by default) and refuses every
    request whose name does not match - Jetty 10 and later for any certificate, so a JOC
    reached by another name than its certificate's stops working after the upgrade to JOC 2.5+.
    Example: a certificate for localhost, JOC opened as https://joc.example.com:4443.
    Fix: issue the server certificate with that name in its SubjectAltName, or set
    `jetty.ssl.sniHostCheck=false` in the https/ssl ini.
    """,
)
