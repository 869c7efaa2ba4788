"""Whether Jetty 12.1's protocol and cipher-suite settings leave the server anything to speak.

From Jetty 12.1 ``jetty.sslContext.includeProtocols`` / ``excludeProtocols`` /
``includeCipherSuites`` / ``excludeCipherSuites`` are ini properties (earlier: XML only).
SslContextFactory.processIncludeExcludePatterns: with include patterns, the supported items
each pattern matches (a full regex match), else the enabled ones; then every item an exclude
pattern matches goes. Java then refuses what its security properties disable (TLSv1, TLSv1.1,
SSLv3 since 11.0.11), and a TLS 1.2 suite needs a key of its kind (ECDSA suites an EC key, RSA
suites an RSA key). Nothing left: Jetty starts, and every handshake fails (real Jetty 12.1:
"handshake failure", or "No supported Cipher Suite"). The suite lists are Java 17's.
"""

from __future__ import annotations

import re

from jettycfg.jetty.base import EffectiveConfig
from jettycfg.jetty.version import JettyVersion

SC = "jetty.sslContext."
SUPPORTED_PROTOCOLS = ("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3", "SSLv2Hello")
ENABLED_PROTOCOLS = ("TLSv1.3", "TLSv1.2")
ALLOWED_PROTOCOLS = frozenset(ENABLED_PROTOCOLS)  # jdk.tls.disabledAlgorithms takes the rest
TLS13_SUITES = ("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256")
TLS12_SUITES = tuple(
    f"TLS_{kx}_WITH_{cipher}"
    for kx, ciphers in (
        ("ECDHE_ECDSA", ("AES_256_GCM_SHA384", "AES_128_GCM_SHA256", "CHACHA20_POLY1305_SHA256")),
        ("ECDHE_RSA", ("AES_256_GCM_SHA384", "CHACHA20_POLY1305_SHA256", "AES_128_GCM_SHA256")),
        ("DHE_RSA", ("AES_256_GCM_SHA384", "CHACHA20_POLY1305_SHA256", "AES_128_GCM_SHA256")),
        ("DHE_DSS", ("AES_256_GCM_SHA384", "AES_128_GCM_SHA256")),
        ("ECDHE_ECDSA", ("AES_256_CBC_SHA384", "AES_128_CBC_SHA256", "AES_256_CBC_SHA")),
        ("ECDHE_RSA", ("AES_256_CBC_SHA384", "AES_128_CBC_SHA256", "AES_256_CBC_SHA")),
        ("DHE_RSA", ("AES_256_CBC_SHA256", "AES_128_CBC_SHA256", "AES_256_CBC_SHA")),
        ("DHE_DSS", ("AES_256_CBC_SHA256", "AES_128_CBC_SHA256", "AES_256_CBC_SHA")),
        ("ECDHE_ECDSA", ("AES_128_CBC_SHA",)),
        ("ECDHE_RSA", ("AES_128_CBC_SHA",)),
        ("DHE_RSA", ("AES_128_CBC_SHA",)),
        ("DHE_DSS", ("AES_128_CBC_SHA",)),
        ("RSA", ("AES_256_GCM_SHA384", "AES_128_GCM_SHA256", "AES_256_CBC_SHA256")),
        ("RSA", ("AES_128_CBC_SHA256", "AES_256_CBC_SHA", "AES_128_CBC_SHA")),
    )
    for cipher in ciphers
)
DEFAULT_EXCLUDED_SUITES = "^.*_(MD5|SHA|SHA1)$,^SSL_.*$,^.*_NULL_.*$,^.*_anon_.*$"
DEFAULT_EXCLUDED_PROTOCOLS = "SSL,SSLv2,SSLv2Hello,SSLv3"


def _patterns(config: EffectiveConfig, key: str, default: str) -> list[re.Pattern[str]] | None:
    """The key's comma-separated patterns (StringUtil.csvSplit); None for an invalid regex."""
    prop = config.xml(SC + key)
    text = prop.value if prop is not None else default
    try:
        return [re.compile(p.strip()) for p in text.split(",") if p.strip()]
    except re.error:
        return None


def _select(
    enabled: tuple[str, ...],
    supported: tuple[str, ...],
    include: list[re.Pattern[str]],
    exclude: list[re.Pattern[str]],
) -> list[str]:
    chosen = [s for p in include for s in supported if p.fullmatch(s)] if include else enabled
    return [s for s in dict.fromkeys(chosen) if not any(p.fullmatch(s) for p in exclude)]


def nothing_to_speak(config: EffectiveConfig, version: JettyVersion, key_kind: str) -> str | None:
    """Why the settings leave no protocol or no suite for a key of ``key_kind`` ("RSA", "EC",
    "DSA"); None when something is left or the Jetty line has no such ini properties."""
    if (version.major, version.minor or 0) < (12, 1):
        return None
    patterns = [
        _patterns(config, "includeProtocols", ""),
        _patterns(config, "excludeProtocols", DEFAULT_EXCLUDED_PROTOCOLS),
        _patterns(config, "includeCipherSuites", ""),
        _patterns(config, "excludeCipherSuites", DEFAULT_EXCLUDED_SUITES),
    ]
    if any(p is None for p in patterns):
        return None  # an invalid pattern: Jetty's own error, not judged here
    inc_p, exc_p, inc_s, exc_s = (p or [] for p in patterns)
    protocols = set(_select(ENABLED_PROTOCOLS, SUPPORTED_PROTOCOLS, inc_p, exc_p))
    if not protocols & ALLOWED_PROTOCOLS:
        return "includeProtocols/excludeProtocols leave no protocol Java allows (TLSv1.2, TLSv1.3)"
    all_suites = TLS13_SUITES + TLS12_SUITES
    suites = _select(all_suites, all_suites, inc_s, exc_s)
    marker = {"EC": "_ECDSA_", "RSA": "_RSA_", "DSA": "_DSS_"}.get(key_kind, "")
    usable = [
        s
        for s in suites
        if (s in TLS13_SUITES and "TLSv1.3" in protocols and key_kind != "DSA")
        or (s not in TLS13_SUITES and "TLSv1.2" in protocols and marker and marker in s)
    ]
    if usable:
        return None
    return (
        f"includeCipherSuites/excludeCipherSuites leave no cipher suite for the server's "
        f"{key_kind} key over {', '.join(sorted(protocols & ALLOWED_PROTOCOLS))}"
    )
