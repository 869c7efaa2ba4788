"""JC3xx: the key- and truststore Jetty opens, and the trust anchors Java forms from it."""

from __future__ import annotations

import stat
from collections.abc import Iterator

from jettycfg.certs import days_left, key_description
from jettycfg.lint.context import LintContext
from jettycfg.lint.findings import Finding, Severity
from jettycfg.lint.registry import documented, rule
from jettycfg.stores.model import EntryKind, StoreFormat
from jettycfg.trust.pkix import name_of

documented(
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
documented(
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
documented(
    "JC303",
    "store-type-mismatch",
    Severity.ERROR,
    """
    The declared store type cannot open the file's real format on this Java.

    Why: Java's keystore.type.compat lets type JKS open PKCS#12 (Java 8+) and PKCS12 open JKS
    (Java 9+) - nothing else: a JCEKS file declared PKCS12, or a JKS file declared PKCS12 on
    Java 8, stops Jetty from starting.
    Example: trustStoreType=PKCS12 for a JCEKS file.
    Fix: declare the real type, or `jettycfg store convert`.
    """,
)
documented(
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
documented(
    "JC305",
    "keystore-without-key",
    Severity.ERROR,
    """
    The keystore holds no private key.

    Why: the server has no certificate to present; every TLS handshake fails.
    Example: a truststore configured as keyStorePath by mistake.
    Fix: point keyStorePath at the store with the server key (alias, see `jettycfg store list`).
    """,
)
documented(
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


documented(
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


@rule("JC307", "pkcs12-certificates-java-ignores", Severity.ERROR)
def ignored_certificates(ctx: LintContext) -> Iterator[Finding]:
    """The PKCS#12 truststore holds certificates without Java's trusted-key-usage attribute.

    Why: Java drops certificate bags without attribute 2.16.840.1.113894.746875.1.1 when it loads
    a PKCS#12 file; `openssl pkcs12 -export -nokeys` (before 3.2) and most libraries write none,
    so the CA seems to be in the truststore but Java never trusts it.
    Example: a truststore made with `openssl pkcs12 -export -nokeys -in ca.pem`.
    Fix: `jettycfg store repair-trust STORE`.
    """
    loaded = ctx.model.truststore
    if loaded.store is None:
        return
    ignored = [e for e in loaded.store.entries if e.kind is EntryKind.IGNORED]
    if ignored:
        names = ", ".join(name_of(e.certs[0]) for e in ignored[:5])
        yield ctx.finding(
            "JC307",
            Severity.ERROR,
            f"{len(ignored)} certificate(s) in "
            f"{loaded.setting.path} lack Java's trust attribute and are ignored: "
            f"{names}",
            file=loaded.setting.path,
            fix=f"jettycfg store repair-trust {loaded.setting.path}",
        )


@rule("JC320", "no-trust-anchors", Severity.ERROR)
def no_anchors(ctx: LintContext) -> Iterator[Finding]:
    """Java forms no trust anchor from the truststore.

    Why: every client handshake fails ("the trustAnchors parameter must be non-empty"). Causes:
    an empty store, a PKCS#12 store whose certificates lack Java's trust attribute, or a PKCS#12
    store opened without a password.
    Example: an openssl-made truststore.
    Fix: import the client CA (`jettycfg store import`) or `jettycfg store repair-trust`.
    """
    loaded = ctx.model.truststore
    if loaded.store is not None and ctx.model.anchors is not None and len(ctx.model.anchors) == 0:
        why = " (opened without a password)" if loaded.password is None else ""
        yield ctx.finding(
            "JC320",
            Severity.ERROR,
            f"the truststore {loaded.setting.path} gives "
            f"Java no trust anchors{why}: every client certificate fails",
            file=loaded.setting.path,
            fix="import the client CA",
        )


@rule("JC321", "anchor-expired", Severity.WARNING)
def anchor_expired(ctx: LintContext) -> Iterator[Finding]:
    """A truststore certificate has expired or expires within --expiry-warning-days.

    Why: Java ignores an anchor's dates, so clients keep working - until the CA's
    intermediates and client certificates expire with it, or a stricter client (browser,
    openssl) rejects the chain. It is a maintenance warning, not a rejection.
    Example: a JOC root CA created for 10 years, 10 years ago.
    Fix: renew the CA and import the new certificate.
    """
    if ctx.model.anchors is None:
        return
    for cert in ctx.model.anchors.certs:
        left = days_left(cert, ctx.options.at)
        if left < 0:
            what = f"expired {-left} days ago (Java still trusts it)"
        elif left <= ctx.options.expiry_days:
            what = f"expires in {left} days"
        else:
            continue
        yield ctx.finding(
            "JC321",
            Severity.WARNING,
            f"trust anchor {name_of(cert)} {what}",
            file=ctx.model.truststore.setting.path,
            fix="renew the CA",
        )


@rule("JC323", "weak-anchor", Severity.WARNING)
def weak_anchor(ctx: LintContext) -> Iterator[Finding]:
    """A trust anchor has a weak key (RSA/DSA below 2048 bits, EC below 256).

    Why: Java still accepts RSA-1024 anchors, but such keys are breakable; anything below 1024
    bits is disabled and rejects every chain under it.
    Example: an old internal CA with a 1024-bit RSA key.
    Fix: move to a CA with RSA 3072 / EC P-256 or better.
    """
    if ctx.model.anchors is None:
        return
    for cert in ctx.model.anchors.certs:
        kind, size = key_description(cert)
        if size is not None and (
            (kind in ("RSA", "DSA") and size < 2048) or (kind.startswith("EC") and size < 256)
        ):
            yield ctx.finding(
                "JC323",
                Severity.WARNING,
                f"trust anchor {name_of(cert)} has a {kind} {size}-bit key",
                file=ctx.model.truststore.setting.path,
                fix="use a stronger CA key",
            )


@rule("JC330", "server-keystore", Severity.WARNING, also=[Severity.ERROR])
def server_keystore(ctx: LintContext) -> Iterator[Finding]:
    """The server keystore: several keys without an alias choice, an expired server
    certificate, a certificate not meant for TLS servers.

    Why: with several private keys and no certAlias Jetty picks by SNI/key type, which may not
    be the intended certificate; an expired server certificate makes clients refuse the server;
    an ExtendedKeyUsage without serverAuth makes Java and browsers refuse it.
    Example: a keystore with `https` and `old-https` key entries.
    Fix: keep one key entry (or set JOC's jetty.sslContext.keystore.alias); renew the
    certificate.
    """
    store = ctx.model.keystore.store
    if store is None:
        return
    path = ctx.model.keystore.setting.path
    keys = [e for e in store.entries if e.kind is EntryKind.KEY]
    alias = ctx.model.config.get("jetty.sslContext.keystore.alias")
    if len(keys) > 1 and alias is None:
        yield ctx.finding(
            "JC330",
            Severity.WARNING,
            f"the keystore holds {len(keys)} private keys and no alias is chosen",
            file=path,
            fix="remove the extra keys or choose an alias",
        )
    from cryptography import x509

    for entry in keys:
        cert = entry.certs[0]
        left = days_left(cert, ctx.options.at)
        if left < 0:
            yield ctx.finding(
                "JC330",
                Severity.ERROR,
                f"server certificate {entry.alias} expired {-left} days ago",
                file=path,
                fix="renew it",
            )
        elif left <= ctx.options.expiry_days:
            yield ctx.finding(
                "JC330",
                Severity.WARNING,
                f"server certificate {entry.alias} expires in {left} days",
                file=path,
                fix="renew it",
            )
        try:
            eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except x509.ExtensionNotFound:
            continue
        if not {o.dotted_string for o in eku} & {"1.3.6.1.5.5.7.3.1", "2.5.29.37.0"}:
            yield ctx.finding(
                "JC330",
                Severity.ERROR,
                f"server certificate {entry.alias} is "
                "not for TLS servers (ExtendedKeyUsage without serverAuth)",
                file=path,
                fix="issue it with serverAuth",
            )


@rule("JC331", "keystore-readable-by-all", Severity.WARNING)
def keystore_permissions(ctx: LintContext) -> Iterator[Finding]:
    """The keystore file (the server's private key) is readable by every user.

    Why: its password is in the ini file - often only OBF-obfuscated - so any local user can
    copy the server's key.
    Example: -rw-r--r-- https-keystore.p12
    Fix: chmod 600 (owner: the JOC service account).
    """
    path = ctx.model.keystore.setting.path
    if path is None or not path.is_file():
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & stat.S_IROTH:
        yield ctx.finding(
            "JC331",
            Severity.WARNING,
            f"the keystore is readable by all users (mode {mode:o})",
            file=path,
            fix=f"chmod 600 {path}",
        )


@rule("JC332", "pkcs12-too-new-for-java", Severity.WARNING)
def pkcs12_algorithms(ctx: LintContext) -> Iterator[Finding]:
    """A PKCS#12 store uses AES / SHA-256 protection that old Java updates cannot read.

    Why: Java 8 before 8u301 and Java 11 before 11.0.12 fail with "parseAlgParameters failed"
    or a misleading "password was incorrect", and Jetty does not start.
    Example: a keystore written by Java 17's keytool or OpenSSL 3, run on Java 8u292.
    Fix: rewrite it with `jettycfg store convert SRC DST --legacy`, or update Java.
    """
    if ctx.options.java not in (8, 11):
        return
    for loaded in (ctx.model.keystore, ctx.model.truststore):
        store = loaded.store
        if store is not None and store.format is StoreFormat.PKCS12 and not store.protection.legacy:
            update = "8u301" if ctx.options.java == 8 else "11.0.12"
            yield ctx.finding(
                "JC332",
                Severity.WARNING,
                f"the {loaded.setting.role} uses "
                f"modern PKCS#12 algorithms: Java {ctx.options.java} before "
                f"{update} cannot read it",
                file=loaded.setting.path,
                fix="jettycfg store convert SRC DST --legacy",
            )
