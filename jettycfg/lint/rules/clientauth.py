"""JC2xx: client authentication and the Jetty ssl settings around it."""

from __future__ import annotations

from collections.abc import Iterator

from jettycfg.jetty import obf
from jettycfg.jetty.clientauth import ClientAuth
from jettycfg.jetty.schema import SC
from jettycfg.lint.context import LintContext
from jettycfg.lint.findings import Finding, Severity
from jettycfg.lint.registry import check
from jettycfg.rules.server import (
    JC201,
    JC202,
    JC203,
    JC204,
    JC205,
    JC206,
    JC207,
    JC208,
    JC209,
    JC210,
    JC211,
    JC212,
)

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


@check(JC201)
def client_auth_off(ctx: LintContext) -> Iterator[Finding]:
    """Client authentication is off (neither needClientAuth nor wantClientAuth is true)."""
    if ctx.model.client_auth is ClientAuth.OFF:
        yield ctx.finding(
            JC201,
            Severity.ERROR,
            "client auth is off: Jetty requests no "
            "client certificate, JOC certificate login cannot work",
            at=ctx.model.config.xml(SC + "needClientAuth"),
            fix="jettycfg client-auth want   (or need)",
        )


@check(JC202)
def want_mode(ctx: LintContext) -> Iterator[Finding]:
    """wantClientAuth is on (and needClientAuth off)."""
    if ctx.model.client_auth is ClientAuth.WANT:
        yield ctx.finding(
            JC202,
            Severity.INFO,
            "want mode: clients without a certificate "
            "connect (password login); an invalid certificate still fails the "
            "handshake",
            at=ctx.model.config.xml(SC + "wantClientAuth"),
        )


@check(JC203)
def need_mode(ctx: LintContext) -> Iterator[Finding]:
    """needClientAuth is on."""
    if ctx.model.client_auth is ClientAuth.NEED:
        yield ctx.finding(
            JC203,
            Severity.INFO,
            "need mode: a client without a valid "
            "certificate cannot connect at all (no password login here)",
            at=ctx.model.config.xml(SC + "needClientAuth"),
        )


@check(JC204)
def workaround_missing(ctx: LintContext) -> Iterator[Finding]:
    """Jetty 9.4.15-9.4.18 (or an unknown 9.4) without the empty endpointIdentificationAlgorithm."""
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
            JC204,
            Severity.ERROR,
            f"Jetty {model.version} forces "
            "endpointIdentificationAlgorithm=HTTPS: client certificates fail "
            "unless their SAN holds the client's IP",
            fix="jettycfg client-auth " + model.client_auth,
        )
    elif needs is None or not model.version_known:
        yield ctx.finding(
            JC204,
            Severity.WARNING,
            "Jetty version unknown: if it is "
            "9.4.15-9.4.18, client certificates fail without the empty "
            "endpointIdentificationAlgorithm",
            fix="give --jetty-version, or run jettycfg client-auth " + model.client_auth,
        )


@check(JC205)
def eia_set(ctx: LintContext) -> Iterator[Finding]:
    """A non-empty endpointIdentificationAlgorithm together with client authentication."""
    prop = ctx.model.config.xml(EIA)
    if (
        ctx.model.client_auth is not ClientAuth.OFF
        and prop is not None
        and prop.origin is not None
        and (prop.value.strip())
    ):
        yield ctx.finding(
            JC205,
            Severity.ERROR,
            f"{EIA}={prop.value} makes Java check client "
            "certificates against the client's IP address",
            at=prop,
            fix=f"{EIA}=",
        )


@check(JC206)
def absolute_path_94(ctx: LintContext) -> Iterator[Finding]:
    """An absolute keyStorePath / trustStorePath on Jetty 9.4."""
    for loaded in (ctx.model.keystore, ctx.model.truststore):
        setting = loaded.setting
        if setting.absolute_path_broken and not setting.keystore_as_truststore:
            yield ctx.finding(
                JC206,
                Severity.ERROR,
                f"absolute {setting.role} path on Jetty 9.4: Jetty opens {setting.path}",
                at=setting.path_property,
                fix="use a path relative to JETTY_BASE (or *AbsolutePath, 9.4.36+)",
            )


@check(JC207)
def keystore_as_truststore(ctx: LintContext) -> Iterator[Finding]:
    """No truststore is configured, so Jetty uses the keystore as the truststore."""
    if (
        ctx.model.truststore.setting.keystore_as_truststore
        and ctx.model.client_auth is not ClientAuth.OFF
    ):
        yield ctx.finding(
            JC207,
            Severity.WARNING,
            "no truststore configured: the keystore is "
            "the truststore and Java trusts only the server's own certificate",
            fix="set jetty.sslContext.trustStorePath",
        )


@check(JC208)
def truststore_without_password(ctx: LintContext) -> Iterator[Finding]:
    """A Jetty 9.4 truststore without trustStorePassword."""
    setting = ctx.model.truststore.setting
    if (
        ctx.model.version.family == "9.4"
        and not setting.keystore_as_truststore
        and (setting.password is None)
    ):
        yield ctx.finding(
            JC208,
            Severity.WARNING,
            "no trustStorePassword: Jetty 9.4 prompts "
            "on stdin at start; without one a PKCS#12 truststore has no anchors",
            at=setting.path_property,
            fix="set trustStorePassword",
        )


@check(JC209)
def validate_peer_certificates(ctx: LintContext) -> Iterator[Finding]:
    """validatePeerCertificates=true (an ini property from Jetty 12.1) without CRL or OCSP."""
    from jettycfg.jetty.server import revocation_checked

    if ctx.model.client_auth is not ClientAuth.OFF and revocation_checked(ctx.model):
        yield ctx.finding(
            JC209,
            Severity.ERROR,
            "validatePeerCertificates=true without CRL or OCSP: every client certificate fails",
            at=ctx.model.config.xml(SC + "validatePeerCertificates"),
            fix="remove jetty.sslContext.validatePeerCertificates",
        )


@check(JC210)
def example_password(ctx: LintContext) -> Iterator[Finding]:
    """A store password is a default or example password (storepwd, changeit, jobscheduler...)."""
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
                JC210,
                Severity.WARNING,
                f"{key} is {where}",
                at=prop,
                fix="jettycfg store passwd STORE --base BASE (the ini follows in the same edit)",
            )


@check(JC211)
def obf_not_protection(ctx: LintContext) -> Iterator[Finding]:
    """A password is written as OBF:..."""
    for prop in ctx.model.config.properties.values():
        if prop.origin is not None and prop.value.startswith("OBF:"):
            yield ctx.finding(
                JC211,
                Severity.INFO,
                f"{prop.key} is OBF-obfuscated, which anyone can reverse",
                at=prop,
                fix="chmod 600 the ini file",
            )


@check(JC212)
def version_unknown(ctx: LintContext) -> Iterator[Finding]:
    """The Jetty version is unknown; version-dependent rules assume Jetty 9.4."""
    if not ctx.model.version_known:
        yield ctx.finding(
            JC212,
            Severity.INFO,
            "Jetty version unknown: assuming 9.4",
            fix="give --jetty-version or --jetty-home",
        )
