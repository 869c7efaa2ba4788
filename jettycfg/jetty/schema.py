"""The ssl properties Jetty reads, their defaults per version family, and deprecated aliases.

Sources: ``etc/jetty-ssl.xml`` / ``etc/jetty-ssl-context.xml`` of Jetty 9.4 (Debian 9.4.57),
10, 11 and 12 (see ``../shared/reference/jetty-ssl.md`` §3-§4). A default here is the value
Jetty's XML uses when the property is unset.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from jettycfg.jetty.version import JettyVersion

if TYPE_CHECKING:
    from jettycfg.jetty.base import Property

SC = "jetty.sslContext."
SSL = "jetty.ssl."

STOREPWD_OBF = "OBF:1vny1zlo1x8e1vnw1vn61x8g1zlu1vn4"  # "storepwd", Jetty 9.4's example default
KEYPWD_OBF = "OBF:1u2u1wml1z7s1z7a1wnl1u2g"  # "keypwd"

# Defaults shared by every family; per-family entries below override or add.
_COMMON: dict[str, str] = {
    SC + "needClientAuth": "false",
    SC + "wantClientAuth": "false",
    SC + "renegotiationAllowed": "true",
    SC + "renegotiationLimit": "5",
    SC + "useCipherSuitesOrder": "true",
    SC + "sslSessionCacheSize": "-1",
    SC + "sslSessionTimeout": "-1",
    SC + "sniRequired": "false",
    SSL + "port": "8443",
    SSL + "idleTimeout": "30000",
    SSL + "acceptors": "-1",
    SSL + "selectors": "-1",
    SSL + "acceptQueueSize": "0",
    SSL + "sniRequired": "false",
    SSL + "sniHostCheck": "true",
    SSL + "stsMaxAgeSeconds": "-1",
    SSL + "stsIncludeSubdomains": "false",
}

_FAMILY: dict[str, dict[str, str]] = {
    "9.4": {
        SC + "keyStorePath": "etc/keystore",
        SC + "keyStorePassword": STOREPWD_OBF,
        SC + "keyStoreType": "JKS",
        SC + "keyManagerPassword": KEYPWD_OBF,
        SC + "trustStorePath": "etc/keystore",
    },
    "10": {SC + "keyStorePath": "etc/keystore.p12", SC + "keyStoreType": "PKCS12"},
    "11": {SC + "keyStorePath": "etc/keystore.p12", SC + "keyStoreType": "PKCS12"},
    "12": {SC + "keyStorePath": "etc/keystore.p12", SC + "keyStoreType": "PKCS12"},
}

# Deprecated (Jetty 9.2) names: used only when the new name is unset.
_ALIASES_94: dict[str, str] = {
    "jetty.keystore": SC + "keyStorePath",
    "jetty.keystore.password": SC + "keyStorePassword",
    "jetty.keymanager.password": SC + "keyManagerPassword",
    "jetty.truststore": SC + "trustStorePath",
    "jetty.truststore.password": SC + "trustStorePassword",
    "jetty.ssl.needClientAuth": SC + "needClientAuth",
    "jetty.ssl.wantClientAuth": SC + "wantClientAuth",
    "ssl.port": SSL + "port",
    "jetty.host": SSL + "host",
    "ssl.timeout": SSL + "idleTimeout",
    "ssl.acceptors": SSL + "acceptors",
    "ssl.selectors": SSL + "selectors",
    "ssl.acceptQueueSize": SSL + "acceptQueueSize",
    "ssl.acceptorPriorityDelta": SSL + "acceptorPriorityDelta",
}
_ALIASES: dict[str, dict[str, str]] = {
    "9.4": _ALIASES_94,
    "10": {"jetty.keystore": SC + "keyStorePath", "jetty.truststore": SC + "trustStorePath"},
    "11": {"jetty.keystore": SC + "keyStorePath", "jetty.truststore": SC + "trustStorePath"},
    "12": {"jetty.truststore": SC + "trustStorePath"},
}

SECRET_MARKERS = ("password", "passwd", "secret")


@dataclass(frozen=True)
class Default:
    key: str
    value: str
    note: str = ""


def is_secret(key: str) -> bool:
    lower = key.lower()
    return any(marker in lower for marker in SECRET_MARKERS)


def defaults(version: JettyVersion) -> dict[str, Default]:
    """The defaults Jetty's XML applies for ``version``, keyed by lower-cased property name."""
    table = dict(_COMMON)
    table.update(_FAMILY[version.family])
    out = {key.lower(): Default(key, value) for key, value in table.items()}
    if version.needs_endpoint_workaround():
        key = SC + "endpointIdentificationAlgorithm"
        out[key.lower()] = Default(key, "HTTPS", "forced by the stock XML of Jetty 9.4.15-9.4.18")
    return out


def aliases(version: JettyVersion) -> dict[str, str]:
    """Deprecated name (lower-cased) -> current property name, for ``version``."""
    return {old.lower(): new for old, new in _ALIASES[version.family].items()}


def all_alias_names() -> set[str]:
    """Every deprecated name any version knew (lower-cased)."""
    return {old.lower() for table in _ALIASES.values() for old in table}


# Names Jetty's ssl XML reads (besides the defaults above), per family.
_EXTRA_KNOWN = [
    SC + "provider",
    SC + "keyStoreProvider",
    SC + "trustStoreProvider",
    SC + "trustStorePassword",
    SC + "trustStoreType",
    SC + "trustStorePath",
    SC + "endpointIdentificationAlgorithm",
    SC + "keyStoreAbsolutePath",
    SC + "trustStoreAbsolutePath",
    SC + "keyStorePath",
    SC + "keyStorePassword",
    SC + "keyStoreType",
    SC + "keyManagerPassword",
    SC + "keystore.alias",  # JOC's own jetty-ssl-context.xml
    SSL + "host",
    SSL + "acceptorPriorityDelta",
    SSL + "reuseAddress",
    SSL + "acceptedTcpNoDelay",
    SSL + "acceptedReceiveBufferSize",
    SSL + "acceptedSendBufferSize",
    SSL + "connectTimeout",
    SSL + "soLingerTime",
]
_JETTY_121 = [
    SC + "protocol",
    SC + "includeProtocols",
    SC + "excludeProtocols",
    SC + "includeCipherSuites",
    SC + "excludeCipherSuites",
    SC + "alias",
    SC + "validateCertificates",
    SC + "validatePeerCertificates",
    SC + "secureRandomAlgorithm",
    SC + "keyManagerFactoryAlgorithm",
    SC + "trustManagerFactoryAlgorithm",
    SC + "sessionCachingEnabled",
]


def known_properties(version: JettyVersion | None = None) -> list[str]:
    """Every jetty.ssl.* / jetty.sslContext.* name the given Jetty (any, if None) reads."""
    names = set(_COMMON) | set(_EXTRA_KNOWN)
    for table in _FAMILY.values():
        names |= set(table)
    if version is None or (version.major == 12 and (version.minor or 0) >= 1):
        names |= set(_JETTY_121)
    return sorted(names)


def all_aliases() -> dict[str, str]:
    """Every deprecated name (lower-cased) -> its current name."""
    out: dict[str, str] = {}
    for table in _ALIASES.values():
        out.update({old.lower(): new for old, new in table.items()})
    return out


def deprecated_name(version: JettyVersion, key: str) -> str | None:
    """The deprecated (9.2) name ``version`` still reads for ``key``, spelled as the XML does."""
    return next((old for old, new in _ALIASES[version.family].items() if new == key), None)


def reads_true(value: str, version: JettyVersion | None) -> bool:
    """How Jetty's XML reads a boolean setting: Java's Boolean.valueOf, so only 'true' (any case)
    is true. Jetty 9.4's XML trims the value first; Jetty 10 and later do not, so
    ``needClientAuth= true`` is false there (observed on real Jetty 10.0, 11.0, 12.0, 12.1).
    An unknown version is read as 9.4 reads it."""
    if version is None or version.family == "9.4":
        value = value.strip(_JAVA_BLANKS)
    return value.lower() == "true"


def is_true(prop: Property | None, version: JettyVersion | None) -> bool:
    """Whether a property is set and Jetty's XML reads it as true (:func:`reads_true`)."""
    return prop is not None and reads_true(prop.value, version)


_JAVA_BLANKS = "".join(chr(c) for c in range(33))  # String.trim() removes chars <= U+0020
