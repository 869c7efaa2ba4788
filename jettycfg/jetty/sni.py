"""Jetty's two sniRequired settings, as real Jetty 9.4.57, 10.0.25, 11.0.26, 12.0.31 and 12.1.12
apply them (tests/jetty/test_sni_real.py).

``jetty.sslContext.sniRequired`` (SslContextFactory.Server): the server certificate is chosen by
the client's SNI only - no SNI, or one in no certificate, and the handshake fails (JC216).
``jetty.ssl.sniRequired`` (SecureRequestCustomizer): a request without the SNI host Jetty's SNI
key manager records gets HTTP 400 (JC217). That key manager is installed
(SslContextFactory.getKeyManagers) with sslContext.sniRequired, a wildcard, more than one host
name, or one host name and several certificates - the keystore's entries whose certificate
cannot sign certificates (X509.isCertSign), host names their DNS SANs and CN, lower-cased.
Before 12.0.16 the customizer knew the SNI only from that key manager; 12.x also reads it from
the TLS session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cryptography import x509

from jettycfg.certs import common_name, extension_table
from jettycfg.jetty import schema
from jettycfg.jetty.keymanager import _where
from jettycfg.rules.model import Finding, Severity
from jettycfg.rules.server import JC216, JC217

if TYPE_CHECKING:
    from jettycfg.jetty.server import ServerModel

NO_SNI_CLIENTS = (
    "Java sends no SNI for an IP address or a dot-less name (localhost, joc-server), browsers "
    "none for an IP address"
)


def _names(model: ServerModel) -> tuple[set[str], set[str], int]:
    """(host names, wildcard domains, certificates) of the keystore as Jetty's X509 reads them."""
    hosts: set[str] = set()
    wilds: set[str] = set()
    count = 0
    store = model.keystore.store
    for entry in store.entries if store is not None else ():
        if not entry.certs:
            continue
        cert = entry.certs[0]
        try:
            values, cn = extension_table(cert), common_name(cert)
        except (ValueError, x509.DuplicateExtension, x509.UnsupportedGeneralNameType):
            continue  # a certificate cryptography cannot read: judged elsewhere
        ku = values.get(x509.KeyUsage)
        if ku is not None and ku.key_cert_sign:
            continue
        count += 1
        san = values.get(x509.SubjectAlternativeName)
        dns = san.get_values_for_type(x509.DNSName) if san is not None else []
        for name in [*dns, *([cn] if cn is not None else [])]:
            name = name.lower()
            if name.startswith("*."):
                wilds.add(name[2:])
            else:
                hosts.add(name)
    return hosts, wilds, count


def _true(model: ServerModel, key: str) -> bool:
    return schema.is_true(model.config.xml(key), model.version)


def sni_findings(model: ServerModel) -> None:
    """JC216 / JC217 for the base's sniRequired settings."""
    context = _true(model, schema.SC + "sniRequired")
    http = _true(model, schema.SSL + "sniRequired")
    if not (context or http) or model.keystore.store is None:
        return
    hosts, wilds, count = _names(model)
    shown = ", ".join(sorted(hosts | {f"*.{w}" for w in wilds})) or "none"
    if context:
        file, line = _where(model.config.xml(schema.SC + "sniRequired"))
        model.findings.append(
            Finding(
                JC216,
                Severity.WARNING,
                "jetty.sslContext.sniRequired=true: the handshake of a client that sends no "
                f"SNI fails ({NO_SNI_CLIENTS}), and so does one whose SNI is in no certificate "
                f"of the keystore (host names: {shown})",
                file,
                line,
                "remove it, or have every client connect by a name in the server certificate",
            )
        )
    if http:
        model.findings.append(_http_finding(model, context, hosts, wilds, count, shown))


def _http_finding(
    model: ServerModel, context: bool, hosts: set[str], wilds: set[str], count: int, shown: str
) -> Finding:
    file, line = _where(model.config.xml(schema.SSL + "sniRequired"))
    fix = "remove jetty.ssl.sniRequired"
    manager = context or bool(wilds) or len(hosts) > 1 or (len(hosts) == 1 and count > 1)
    if model.version.major < 12 and not manager:
        said = "SNI required" if model.version.major < 10 else "Invalid SNI"
        return Finding(
            JC217,
            Severity.ERROR,
            f"jetty.ssl.sniRequired=true: every request gets HTTP 400 ('{said}'), whatever the "
            f"client sends - Jetty {model.version.major} knows the SNI only from its SNI key "
            f"manager, which a keystore with these host names does not get ({shown}): JOC "
            "cannot be reached",
            file,
            line,
            fix,
        )
    return Finding(
        JC217,
        Severity.WARNING,
        "jetty.ssl.sniRequired=true: a request from a client that sends no SNI, or one in no "
        f"certificate of the keystore, gets HTTP 400 ({NO_SNI_CLIENTS}; host names: {shown})",
        file,
        line,
        fix,
    )
