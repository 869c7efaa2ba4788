"""JC3xx: the key- and truststore Jetty opens, and the trust anchors Java forms from it."""

from __future__ import annotations

import stat
from collections.abc import Iterator

from jettycfg.certs import days_left, key_description
from jettycfg.jetty.keymanager import cert_alias
from jettycfg.lint.context import LintContext
from jettycfg.lint.findings import Finding, Severity
from jettycfg.lint.registry import check
from jettycfg.rules.stores import JC307, JC320, JC321, JC323, JC330, JC331, JC332
from jettycfg.stores.model import EntryKind, StoreFormat
from jettycfg.trust.pkix import name_of


@check(JC307)
def ignored_certificates(ctx: LintContext) -> Iterator[Finding]:
    """The PKCS#12 truststore holds certificates without Java's trusted-key-usage attribute."""
    loaded = ctx.model.truststore
    if loaded.store is None:
        return
    ignored = [e for e in loaded.store.entries if e.kind is EntryKind.IGNORED]
    if ignored:
        names = ", ".join(name_of(e.certs[0]) for e in ignored[:5])
        yield ctx.finding(
            JC307,
            Severity.ERROR,
            f"{len(ignored)} certificate(s) in "
            f"{loaded.setting.path} lack Java's trust attribute and are ignored: "
            f"{names}",
            file=loaded.setting.path,
            fix=f"jettycfg store repair-trust {loaded.setting.path}",
        )


@check(JC320)
def no_anchors(ctx: LintContext) -> Iterator[Finding]:
    """Java forms no trust anchor from the truststore."""
    loaded = ctx.model.truststore
    if loaded.store is not None and ctx.model.anchors is not None and len(ctx.model.anchors) == 0:
        why = " (opened without a password)" if loaded.password is None else ""
        yield ctx.finding(
            JC320,
            Severity.ERROR,
            f"the truststore {loaded.setting.path} gives "
            f"Java no trust anchors{why}: every client certificate fails",
            file=loaded.setting.path,
            fix="import the client CA",
        )


@check(JC321)
def anchor_expired(ctx: LintContext) -> Iterator[Finding]:
    """A truststore certificate has expired or expires within --expiry-warning-days."""
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
            JC321,
            Severity.WARNING,
            f"trust anchor {name_of(cert)} {what}",
            file=ctx.model.truststore.setting.path,
            fix="renew the CA",
        )


@check(JC323)
def weak_anchor(ctx: LintContext) -> Iterator[Finding]:
    """A trust anchor has a weak key (RSA/DSA below 2048 bits, EC below 256)."""
    if ctx.model.anchors is None:
        return
    for cert in ctx.model.anchors.certs:
        kind, size = key_description(cert)
        if size is not None and (
            (kind in ("RSA", "DSA") and size < 2048) or (kind.startswith("EC") and size < 256)
        ):
            yield ctx.finding(
                JC323,
                Severity.WARNING,
                f"trust anchor {name_of(cert)} has a {kind} {size}-bit key",
                file=ctx.model.truststore.setting.path,
                fix="use a stronger CA key",
            )


@check(JC330)
def server_keystore(ctx: LintContext) -> Iterator[Finding]:
    """The server keystore: several keys without an alias choice, an expired server..."""
    store = ctx.model.keystore.store
    if store is None:
        return
    path = ctx.model.keystore.setting.path
    keys = [e for e in store.entries if e.kind is EntryKind.KEY]
    alias = cert_alias(ctx.model)
    if len(keys) > 1 and alias is None:
        yield ctx.finding(
            JC330,
            Severity.WARNING,
            f"the keystore holds {len(keys)} private keys and no alias is chosen",
            file=path,
            fix="remove the extra keys or choose an alias",
        )
    from cryptography import x509

    for entry in keys:
        if not entry.certs:  # a key without its certificate: Jetty cannot serve TLS with it
            continue
        cert = entry.certs[0]
        left = days_left(cert, ctx.options.at)
        if left < 0:
            yield ctx.finding(
                JC330,
                Severity.ERROR,
                f"server certificate {entry.alias} expired {-left} days ago",
                file=path,
                fix="renew it",
            )
        elif left <= ctx.options.expiry_days:
            yield ctx.finding(
                JC330,
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
                JC330,
                Severity.ERROR,
                f"server certificate {entry.alias} is "
                "not for TLS servers (ExtendedKeyUsage without serverAuth)",
                file=path,
                fix="issue it with serverAuth",
            )


@check(JC331)
def keystore_permissions(ctx: LintContext) -> Iterator[Finding]:
    """The keystore file (the server's private key) is readable by every user."""
    path = ctx.model.keystore.setting.path
    if path is None or not path.is_file():
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & stat.S_IROTH:
        yield ctx.finding(
            JC331,
            Severity.WARNING,
            f"the keystore is readable by all users (mode {mode:o})",
            file=path,
            fix=f"chmod 600 {path}",
        )


@check(JC332)
def pkcs12_algorithms(ctx: LintContext) -> Iterator[Finding]:
    """A PKCS#12 store uses AES / SHA-256 protection that old Java updates cannot read."""
    if ctx.options.java not in (8, 11):
        return
    for loaded in (ctx.model.keystore, ctx.model.truststore):
        store = loaded.store
        if store is not None and store.format is StoreFormat.PKCS12 and not store.protection.legacy:
            update = "8u301" if ctx.options.java == 8 else "11.0.12"
            yield ctx.finding(
                JC332,
                Severity.WARNING,
                f"the {loaded.setting.role} uses "
                f"modern PKCS#12 algorithms: Java {ctx.options.java} before "
                f"{update} cannot read it",
                file=loaded.setting.path,
                fix="jettycfg store convert SRC DST --legacy --base BASE",
            )
