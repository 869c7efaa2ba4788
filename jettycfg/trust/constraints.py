"""Name constraints of intermediates, as Java's PKIX checker applies them.

Follows jdk17u sun/security/x509/NameConstraintsExtension.java ``verify(X509Certificate)``:
the subject DN is checked as a directoryName; without a SAN extension the subject's
emailAddress attributes count as rfc822Names; and when the names have no IP address (DNS
name), the subject's most specific CN counts as one if it parses as an IP literal (a DNS name).
"""

from __future__ import annotations

import ipaddress
import re

from cryptography import x509
from cryptography.x509.oid import NameOID

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
    if san is None:
        names += [
            x509.RFC822Name(str(a.value))
            for a in subject.get_attributes_for_oid(NameOID.EMAIL_ADDRESS)
            if str(a.value).isascii()
        ]
    cn_name = _cn_as_name(subject)
    if cn_name is not None and not any(type(n) is type(cn_name) for n in names):
        names.append(cn_name)
    if len(subject.rdns):
        names.append(x509.DirectoryName(subject))
    for name in names:
        same_type = [p for p in permitted if type(p) is type(name)]
        if same_type and not any(_within(name, p) for p in same_type):
            return f"{_show(name)} is outside the permitted names"
        if any(type(e) is type(name) and _within(name, e) for e in excluded):
            return f"{_show(name)} is in the excluded names"
    return ""


_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]*)?\Z")


def _cn_as_name(subject: x509.Name) -> x509.GeneralName | None:
    """The last CN as Java's IPAddressName / DNSName would read it (None if neither parses)."""
    cns = subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not cns:
        return None
    cn = str(cns[-1].value)
    try:
        return x509.IPAddress(ipaddress.ip_address(cn))
    except ValueError:
        pass
    if not cn or any(not _LABEL.match(label) for label in cn.split(".")):
        return None  # DNSName(String) throws IOException: Java skips the CN
    return x509.DNSName(cn)


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
        if not isinstance(net, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
            return False
        ip = name.value
        if isinstance(ip, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
            # An 8/32-byte IP SAN (malformed, but Java's IPAddressName reads it as a subnet):
            # Java's constrains() says SAME/WIDENS for a subnet inside the constraint.
            return ip.version == net.version and ip.subnet_of(net)  # type: ignore[arg-type]
        return ip in net
    return True
