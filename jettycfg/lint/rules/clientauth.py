"""JC2xx: client authentication and the Jetty ssl settings around it."""

from __future__ import annotations

from collections.abc import Iterator

from jettycfg.jetty import obf
from jettycfg.jetty.clientauth import ClientAuth
from jettycfg.jetty.schema import SC
from jettycfg.lint.context import LintContext
from jettycfg.lint.findings import Finding, Severity
from jettycfg.lint.registry import rule

EIA = SC + "endpointIdentificationAlgorithm"
EXAMPLE_PASSWORDS = {
    "storepwd",
    "keypwd",
    "changeit",
    "jobscheduler",
    "password",
    "secret",
    "123456",
    "jetty",
}


@rule("JC201", "client-auth-off", Severity.ERROR)
def client_auth_off(ctx: LintContext) -> Iterator[Finding]:
    """Client authentication is off (neither needClientAuth nor wantClientAuth is true).

    Why: Jetty never asks for a client certificate, so JOC's CERTIFICATE identity service can
    never log anyone in; every client certificate is `accepted: false`.
    Example: the stock ssl.ini, with both settings commented out.
    Fix: `jettycfg client-auth want` (password logins keep working) or `need`.
    """
    if ctx.model.client_auth is ClientAuth.OFF:
        yield ctx.finding(
            "JC201",
            Severity.ERROR,
            "client auth is off: Jetty requests no "
            "client certificate, JOC certificate login cannot work",
            at=ctx.model.config.xml(SC + "needClientAuth"),
            fix="jettycfg client-auth want   (or need)",
        )


@rule("JC202", "want-client-auth", Severity.INFO)
def want_mode(ctx: LintContext) -> Iterator[Finding]:
    """wantClientAuth is on (and needClientAuth off).

    Why: Jetty requests a certificate; a client without one still connects (JOC offers password
    login), but a client that presents an *invalid* certificate fails the TLS handshake - it
    does not fall back to a password login.
    Example: `jetty.sslContext.wantClientAuth=true`
    Fix: nothing to fix; make sure browsers do not offer stale certificates.
    """
    if ctx.model.client_auth is ClientAuth.WANT:
        yield ctx.finding(
            "JC202",
            Severity.INFO,
            "want mode: clients without a certificate "
            "connect (password login); an invalid certificate still fails the "
            "handshake",
            at=ctx.model.config.xml(SC + "wantClientAuth"),
        )


@rule("JC203", "need-client-auth", Severity.INFO)
def need_mode(ctx: LintContext) -> Iterator[Finding]:
    """needClientAuth is on.

    Why: every client must present a certificate the truststore accepts; browsers and API
    clients without one cannot connect at all, so JOC's password login is unreachable on this
    connector.
    Example: `jetty.sslContext.needClientAuth=true`
    Fix: nothing to fix if certificate-only login is the goal; otherwise use want.
    """
    if ctx.model.client_auth is ClientAuth.NEED:
        yield ctx.finding(
            "JC203",
            Severity.INFO,
            "need mode: a client without a valid "
            "certificate cannot connect at all (no password login here)",
            at=ctx.model.config.xml(SC + "needClientAuth"),
        )


@rule("JC204", "endpoint-workaround-missing", Severity.ERROR, also=[Severity.WARNING])
def workaround_missing(ctx: LintContext) -> Iterator[Finding]:
    """Jetty 9.4.15-9.4.18 (or an unknown 9.4) without the empty endpointIdentificationAlgorithm.

    Why: these versions' stock XML sets endpointIdentificationAlgorithm=HTTPS on the server, so
    Java checks the client certificate's SubjectAltName against the client's IP address and
    rejects ordinary client certificates (jetty issues 3049, 3464, 3466, 3633).
    Example: Jetty 9.4.16 with needClientAuth=true and no endpointIdentificationAlgorithm line.
    Fix: `jettycfg client-auth need --jetty-version 9.4.16` writes
    `jetty.sslContext.endpointIdentificationAlgorithm=` (empty).
    """
    model = ctx.model
    if model.client_auth is ClientAuth.OFF or model.version.family != "9.4":
        return
    prop = model.config.xml(EIA)
    explicit = prop is not None and not prop.is_default
    if explicit:
        return
    needs = model.version.needs_endpoint_workaround()
    if needs:
        yield ctx.finding(
            "JC204",
            Severity.ERROR,
            f"Jetty {model.version} forces "
            "endpointIdentificationAlgorithm=HTTPS: client certificates fail "
            "unless their SAN holds the client's IP",
            fix="jettycfg client-auth " + model.client_auth,
        )
    elif needs is None or not model.version_known:
        yield ctx.finding(
            "JC204",
            Severity.WARNING,
            "Jetty version unknown: if it is "
            "9.4.15-9.4.18, client certificates fail without the empty "
            "endpointIdentificationAlgorithm",
            fix="give --jetty-version, or run jettycfg client-auth " + model.client_auth,
        )


@rule("JC205", "endpoint-identification-set", Severity.ERROR)
def eia_set(ctx: LintContext) -> Iterator[Finding]:
    """A non-empty endpointIdentificationAlgorithm together with client authentication.

    Why: on the server side Java then matches the *client* certificate's SubjectAltName against
    the client's IP address: ordinary client certificates fail with certificate_unknown (newer
    JDKs log "Endpoint Identification Algorithm HTTPS is not supported on the server side").
    Example: `jetty.sslContext.endpointIdentificationAlgorithm=HTTPS`
    Fix: set it empty: `jetty.sslContext.endpointIdentificationAlgorithm=`.
    """
    prop = ctx.model.config.xml(EIA)
    if (
        ctx.model.client_auth is not ClientAuth.OFF
        and prop is not None
        and prop.origin is not None
        and (prop.value.strip())
    ):
        yield ctx.finding(
            "JC205",
            Severity.ERROR,
            f"{EIA}={prop.value} makes Java check client "
            "certificates against the client's IP address",
            at=prop,
            fix=f"{EIA}=",
        )


@rule("JC206", "absolute-store-path-94", Severity.ERROR)
def absolute_path_94(ctx: LintContext) -> Iterator[Finding]:
    """An absolute keyStorePath / trustStorePath on Jetty 9.4.

    Why: 9.4's XML glues `${jetty.base}/` in front of the value, so `/etc/ssl/k.p12` becomes
    `<base>//etc/ssl/k.p12` - a file that does not exist, and Jetty does not start.
    keyStoreAbsolutePath / trustStoreAbsolutePath exist from 9.4.36.
    Example: `jetty.sslContext.keyStorePath=/opt/joc/keystore.p12` on Jetty 9.4.
    Fix: a path relative to JETTY_BASE, or *AbsolutePath on 9.4.36+.
    """
    for loaded in (ctx.model.keystore, ctx.model.truststore):
        setting = loaded.setting
        if setting.absolute_path_broken and not setting.keystore_as_truststore:
            yield ctx.finding(
                "JC206",
                Severity.ERROR,
                f"absolute {setting.role} path on Jetty 9.4: Jetty opens {setting.path}",
                at=setting.path_property,
                fix="use a path relative to JETTY_BASE (or *AbsolutePath, 9.4.36+)",
            )


@rule("JC207", "keystore-as-truststore", Severity.WARNING)
def keystore_as_truststore(ctx: LintContext) -> Iterator[Finding]:
    """No truststore is configured, so Jetty uses the keystore as the truststore.

    Why: Java then trusts only the first certificate of each private-key entry - the server's
    own certificate - not its CA: practically every client certificate is rejected.
    Example: Jetty 10+ with keyStorePath set and no trustStorePath.
    Fix: configure trustStorePath with a truststore holding the client CA
    (`jettycfg store import`).
    """
    if (
        ctx.model.truststore.setting.keystore_as_truststore
        and ctx.model.client_auth is not ClientAuth.OFF
    ):
        yield ctx.finding(
            "JC207",
            Severity.WARNING,
            "no truststore configured: the keystore is "
            "the truststore and Java trusts only the server's own certificate",
            fix="set jetty.sslContext.trustStorePath",
        )


@rule("JC208", "truststore-without-password-94", Severity.WARNING)
def truststore_without_password(ctx: LintContext) -> Iterator[Finding]:
    """A Jetty 9.4 truststore without trustStorePassword.

    Why: Jetty 9.4 then prompts for the password on standard input at start; a service has none,
    so the store is opened without a password: a PKCS#12 truststore then yields no trust
    anchors at all (its certificates are encrypted), a JKS one loads unchecked.
    Example: trustStorePath set, trustStorePassword missing.
    Fix: set jetty.sslContext.trustStorePassword.
    """
    setting = ctx.model.truststore.setting
    if (
        ctx.model.version.family == "9.4"
        and not setting.keystore_as_truststore
        and (setting.password is None)
    ):
        yield ctx.finding(
            "JC208",
            Severity.WARNING,
            "no trustStorePassword: Jetty 9.4 prompts "
            "on stdin at start; without one a PKCS#12 truststore has no anchors",
            at=setting.path_property,
            fix="set trustStorePassword",
        )


@rule("JC209", "validate-peer-certificates", Severity.ERROR)
def validate_peer_certificates(ctx: LintContext) -> Iterator[Finding]:
    """validatePeerCertificates=true (an ini property from Jetty 12.1) without CRL or OCSP.

    Why: it turns on Java's revocation checking in hard-fail mode; with no CRL file and no
    OCSP responder configured (both need XML), every client certificate fails.
    Example: `jetty.sslContext.validatePeerCertificates=true` on Jetty 12.1.
    Fix: remove it, or configure revocation sources in a copied jetty-ssl-context.xml.
    """
    from jettycfg.lint.server import revocation_checked

    if ctx.model.client_auth is not ClientAuth.OFF and revocation_checked(ctx.model):
        yield ctx.finding(
            "JC209",
            Severity.ERROR,
            "validatePeerCertificates=true without CRL or OCSP: every client certificate fails",
            at=ctx.model.config.xml(SC + "validatePeerCertificates"),
            fix="remove jetty.sslContext.validatePeerCertificates",
        )


@rule("JC210", "example-password", Severity.WARNING)
def example_password(ctx: LintContext) -> Iterator[Finding]:
    """A store password is a default or example password (storepwd, changeit, jobscheduler...).

    Why: these passwords are published in Jetty's, Java's and SOS's documentation.
    Example: `jetty.sslContext.keyStorePassword=jobscheduler`
    Fix: `jettycfg store passwd`, then set the new password in the ini file.
    """
    for key in ("keyStorePassword", "keyManagerPassword", "trustStorePassword"):
        prop = ctx.model.config.xml(SC + key)
        if prop is None:
            continue
        try:
            plain = obf.reveal(prop.value)
        except Exception:
            continue
        if plain.lower() in EXAMPLE_PASSWORDS:
            where = "Jetty's default" if prop.is_default else "a published example password"
            yield ctx.finding(
                "JC210",
                Severity.WARNING,
                f"{key} is {where}",
                at=prop,
                fix="jettycfg store passwd, then update the ini file",
            )


@rule("JC211", "obf-is-not-protection", Severity.INFO)
def obf_not_protection(ctx: LintContext) -> Iterator[Finding]:
    """A password is written as OBF:...

    Why: OBF is obfuscation, not encryption: `jettycfg password deobfuscate` (or any copy of
    Jetty) reverses it. Protect the file (mode 0600) instead of relying on OBF.
    Example: `jetty.sslContext.keyStorePassword=OBF:1wmv1v2h...`
    Fix: restrict the ini file's permissions.
    """
    for prop in ctx.model.config.properties.values():
        if prop.origin is not None and prop.value.startswith("OBF:"):
            yield ctx.finding(
                "JC211",
                Severity.INFO,
                f"{prop.key} is OBF-obfuscated, which anyone can reverse",
                at=prop,
                fix="chmod 600 the ini file",
            )


@rule("JC212", "jetty-version-unknown", Severity.INFO)
def version_unknown(ctx: LintContext) -> Iterator[Finding]:
    """The Jetty version is unknown; version-dependent rules assume Jetty 9.4.

    Why: defaults (keystore type, truststore fallback), deprecated names and the 9.4.15-9.4.18
    workaround depend on the version.
    Example: lint without --jetty-version, --jetty-home or $JETTY_HOME.
    Fix: give --jetty-version or --jetty-home.
    """
    if not ctx.model.version_known:
        yield ctx.finding(
            "JC212",
            Severity.INFO,
            "Jetty version unknown: assuming 9.4",
            fix="give --jetty-version or --jetty-home",
        )
