"""What Java's key manager makes of the server keystore, as Jetty configures it: a key it can
use at all (one with its certificate chain, the one ``certAlias`` names), and the key password
(PKCS#12: the store's; JKS: keyManagerPassword must decrypt every key)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jettycfg.errors import JettycfgError, StoreError
from jettycfg.jetty import obf
from jettycfg.jetty.base import Property
from jettycfg.rules.model import Finding, Severity
from jettycfg.rules.server import JC215
from jettycfg.rules.stores import JC305, JC306
from jettycfg.stores import jks
from jettycfg.stores.model import Entry, EntryKind, StoreFormat

if TYPE_CHECKING:
    from jettycfg.jetty.server import ServerModel

SC = "jetty.sslContext."


def _where(prop: Property | None) -> tuple[str | None, int | None]:
    if prop is None or prop.origin is None:
        return None, None
    return str(prop.origin.file), prop.origin.line


def _password(prop: Property | None) -> str | None:
    if prop is None:
        return None
    try:
        return obf.reveal(prop.value)
    except JettycfgError:
        return prop.value


def key_manager_findings(model: ServerModel) -> None:
    """PKCS#12 needs the key password equal to the store password; JKS keys must decrypt."""
    loaded = model.keystore
    store = loaded.store
    if store is None:
        return
    keys = [e for e in store.entries if e.kind is EntryKind.KEY]
    # Java's key manager skips a key without its certificate chain (SunX509KeyManagerImpl):
    # keys like that alone leave the server as keyless as none at all
    if not any(e.certs for e in keys):
        file, line = _where(loaded.setting.path_property)
        what = "holds no private key" if not keys else "holds no private key with its certificate"
        model.findings.append(
            Finding(
                JC305,
                Severity.ERROR,
                f"the keystore {loaded.setting.path} {what}: the server "
                "has no certificate to present, every handshake fails",
                file,
                line,
                "import the server's key and certificate",
            )
        )
        return
    named = _aliased_non_key(model)
    if named is not None:
        model.findings.append(named)
        return
    speechless = _nothing_to_speak(model, keys)
    if speechless is not None:
        model.findings.append(speechless)
    prop = model.config.xml(SC + "keyManagerPassword")
    key_pw = _password(prop) if prop is not None else loaded.password
    if store.format is StoreFormat.PKCS12:
        if prop is not None and key_pw != loaded.password:
            model.findings.append(_pkcs12_key_password(prop))
        return
    if store.format is StoreFormat.JKS:
        model.findings.extend(_jks_key_passwords(keys, key_pw, prop))


def _pkcs12_key_password(prop: Property) -> Finding:
    file, line = _where(prop)
    default = " (Jetty 9.4's default keyManagerPassword is 'keypwd')" if prop.is_default else ""
    return Finding(
        JC306,
        Severity.ERROR,
        "keyManagerPassword differs from keyStorePassword, but a "
        "PKCS#12 key has the store's password: Jetty does not start" + default,
        file,
        line,
        "set keyManagerPassword to the keystore password",
    )


def _jks_key_passwords(
    keys: list[Entry], key_pw: str | None, prop: Property | None
) -> list[Finding]:
    """The first JKS key the key manager password does not decrypt stops Jetty."""
    file, line = _where(prop)
    for entry in keys:
        if entry.protected_key is None:
            continue
        try:
            jks.recover_key(entry.protected_key, key_pw or "")
        except StoreError:
            return [
                Finding(
                    JC306,
                    Severity.ERROR,
                    f"keyManagerPassword does not decrypt key {entry.alias}: Jetty does not start",
                    file,
                    line,
                    "set keyManagerPassword to the key's password",
                )
            ]
    return []


def cert_alias(model: ServerModel) -> Property | None:
    """The certAlias setting Jetty reads: ``jetty.sslContext.alias`` (Jetty 12.1's XML), or
    ``jetty.sslContext.keystore.alias`` (the name JOC's own jetty-ssl-context.xml reads)."""
    names = [SC + "keystore.alias"]
    if (model.version.major, model.version.minor or 0) >= (12, 1):
        names.insert(0, SC + "alias")
    return next((p for p in map(model.config.xml, names) if p is not None and p.value), None)


def _aliased_non_key(model: ServerModel) -> Finding | None:
    """JC305 when certAlias names an entry without a private key and its chain: Java's key
    manager then has nothing to present (real Jetty 12.1 starts and fails every handshake)."""
    prop = cert_alias(model)
    store = model.keystore.store
    entry = store.find(prop.value) if prop is not None and store is not None else None
    if prop is None or entry is None or (entry.kind is EntryKind.KEY and entry.certs):
        return None
    file, line = _where(prop)
    return Finding(
        JC305,
        Severity.ERROR,
        f"{prop.key}={prop.value} names a {entry.kind.value} entry, not a private key with its "
        "certificate: the server has nothing to present, every handshake fails",
        file,
        line,
        "name the server's key entry (jettycfg store list shows the aliases)",
    )


def _nothing_to_speak(model: ServerModel, keys: list[Entry]) -> Finding | None:
    """JC215: Jetty 12.1's protocol and suite settings leave no handshake for the key it
    presents (the certAlias one, else the first key with its chain)."""
    from jettycfg.certs import key_description
    from jettycfg.jetty.protocols import nothing_to_speak

    prop = cert_alias(model)
    chosen = next(
        (e for e in keys if prop is not None and e.alias.lower() == prop.value.lower()), None
    )
    entry = chosen or next(e for e in keys if e.certs)
    kind = key_description(entry.certs[0])[0]
    why = nothing_to_speak(model.config, model.version, "EC" if kind.startswith("EC") else kind)
    if why is None:
        return None
    return Finding(
        JC215,
        Severity.ERROR,
        f"{why}: Jetty starts and every handshake fails",
        fix="keep TLSv1.3, or include cipher suites for the server's key",
    )
