"""Name constraints of intermediates, as Java's PKIX checker applies them."""

from __future__ import annotations

import ipaddress

from cryptography import x509

from jettycfg.trust.names import canonical


def name_constraint_violation(nc: object, cert: x509.Certificate) -> str:

    permitted = getattr(nc, "permitted_subtrees", None) or []
    excluded = getattr(nc, "excluded_subtrees", None) or []
    subject = cert.subject
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        san = None
    names: list[object] = list(san) if san is not None else []
    if len(subject.rdns):
        names.append(x509.DirectoryName(subject))
    for name in names:
        same_type = [p for p in permitted if type(p) is type(name)]
        if same_type and not any(_within(name, p) for p in same_type):
            return f"{_show(name)} is outside the permitted names"
        if any(type(e) is type(name) and _within(name, e) for e in excluded):
            return f"{_show(name)} is in the excluded names"
    return ""


def _show(name: object) -> str:
    value = getattr(name, "value", name)
    return value.rfc4514_string() if hasattr(value, "rfc4514_string") else str(value)


def _within(name: object, base: object) -> bool:

    if isinstance(name, x509.DirectoryName) and isinstance(base, x509.DirectoryName):
        own, prefix = canonical(name.value), canonical(base.value)
        return own[: len(prefix)] == prefix
    if isinstance(name, x509.DNSName) and isinstance(base, x509.DNSName):
        n, b = name.value.lower().rstrip("."), base.value.lower().lstrip(".").rstrip(".")
        return n == b or n.endswith("." + b) or not b
    if isinstance(name, x509.RFC822Name) and isinstance(base, x509.RFC822Name):
        n, b = name.value.lower(), base.value.lower()
        return n == b or (b.startswith(".") and n.endswith(b)) or n.endswith("@" + b)
    if isinstance(name, x509.IPAddress) and isinstance(base, x509.IPAddress):
        net = base.value
        return isinstance(net, (ipaddress.IPv4Network, ipaddress.IPv6Network)) and (
            name.value in net
        )
    return True
