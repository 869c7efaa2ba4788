"""JOC's login check, after the handshake (sos-berlin/sos-components @ bd6773408b,
sos-webservices/sos-webservices-joc-global/src/main/java/com/sos/auth/):

* ``client/ClientCertificateHandler.java`` (lines 62-65): the account is
  ``new LdapName(cert.getSubjectX500Principal().getName()).getRdns()`` filtered to the first RDN
  whose ``getType()`` is ``CN`` (ignoring case). ``getRdns()`` lists RDNs in DER order (index 0
  is the right-most of the RFC 2253 string); a multi-valued RDN's ``Rdn`` sorts its entries by
  type (case-insensitive, the RFC 2253 keyword or the dotted OID), then by upper-cased value, and
  ``getType()`` is the first entry's - so ``CN=x+C=DE`` yields no account.
* ``classes/SOSAuthHelper.java#checkCertificate`` (lines 207-268): ``account.isEmpty() ||
  clientCertCN.equals(account)`` - exact and case-sensitive - then the login fails when
  ``now < notBefore`` or ``now > notAfter`` of the leaf. Java does not check a pinned leaf's
  dates (it is the trust anchor), so an expired pinned certificate passes the handshake and
  fails here.
* The value is what ``LdapName`` gives JOC: text for the string types Java prints as text (a
  BMPString's UTF-16 bytes read as UTF-8 before Java 25: ``\0r\0o\0o\0t``), a ``byte[]`` for
  any other (VisibleString, NumericString, UniversalString: no account).
* ``classes/SOSServicePermissionIam.java#getUserFromHeaderOrQuery``: the CN goes into an HTTP
  Basic header and the account is cut at its first ``:`` - a CN with ``:`` never logs in.
  The header is built with ``(account + ":" + pwd).getBytes()`` (``login``, line 1116) - the JVM's
  default charset - and read back as UTF-8: before Java 18 (JEP 400) a non-ASCII account comes
  back mangled wherever the default charset is not UTF-8 (:func:`header_account`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID

from jettycfg.certs import validity
from jettycfg.trust.algorithms import DEFAULT_JAVA

# The attribute types X500Principal.getName(RFC2253) prints by keyword; all others as OIDs.
RFC2253_KEYWORDS = {
    NameOID.COMMON_NAME: "CN",
    NameOID.COUNTRY_NAME: "C",
    NameOID.LOCALITY_NAME: "L",
    NameOID.STATE_OR_PROVINCE_NAME: "ST",
    NameOID.ORGANIZATION_NAME: "O",
    NameOID.ORGANIZATIONAL_UNIT_NAME: "OU",
    NameOID.STREET_ADDRESS: "STREET",
    NameOID.DOMAIN_COMPONENT: "DC",
    NameOID.USER_ID: "UID",
}


def _type_name(oid: x509.ObjectIdentifier) -> str:
    return RFC2253_KEYWORDS.get(oid, oid.dotted_string)


# The string types X500Principal.getName(RFC2253) prints as text (AVA.isDerString); any other
# (VisibleString, NumericString, UniversalString, ...) comes out as #hex, which LdapName's Rdn
# holds as a byte[] - JOC's getValue().toString() is then "[B@...": no account.
_TEXT_TYPES = {
    _ASN1Type.PrintableString,
    _ASN1Type.T61String,
    _ASN1Type.IA5String,
    _ASN1Type.UTF8String,
    _ASN1Type.BMPString,
}
_JAVA_BMP_FIXED = 25  # Java 11-21 read a BMPString's UTF-16 bytes as UTF-8 ("\0r\0o\0o\0t")


def _value_text(attr: x509.NameAttribute[str | bytes], java: int) -> str | None:
    """The value as Java's LdapName gives it to JOC's code; None when that is no text."""
    value = attr.value
    if not isinstance(value, str):
        return "#" + value.hex()
    kind = getattr(attr, "_type", _ASN1Type.UTF8String)
    if kind not in _TEXT_TYPES:
        return None
    if kind is _ASN1Type.BMPString and java < _JAVA_BMP_FIXED:
        return value.encode("utf-16-be").decode("utf-8", "replace")
    return value


def non_text_cn(cert: x509.Certificate) -> bool:
    """Whether the subject's first CN is of a type Java hands JOC as bytes (no account)."""
    cns = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return bool(cns) and _value_text(cns[0], DEFAULT_JAVA) is None


def account_of(cert: x509.Certificate, java: int = DEFAULT_JAVA) -> str | None:
    """The account JOC takes from ``cert``: the first RDN in DER order whose first entry, in
    the order Java's ``Rdn`` sorts them, is a CN; None when there is none (or it is no text)."""
    for rdn in cert.subject.rdns:
        if len(rdn) == 1:  # the usual RDN: nothing to sort
            (attr,) = rdn
            if _type_name(attr.oid).upper() == "CN":
                return _value_text(attr, java)
            continue
        entries = sorted(
            ((_type_name(a.oid), _value_text(a, java)) for a in rdn),
            key=lambda e: (e[0].upper(), (e[1] or "").upper()),
        )
        if entries and entries[0][0].upper() == "CN":
            return entries[0][1]
    return None


# JEP 400: from Java 18 the default charset is UTF-8 on every platform.
JAVA_UTF8_DEFAULT = 18


def header_account(account: str, charset: str) -> str:
    """The account JOC reads back from the Basic header it builds for a certificate login on a
    JVM whose default charset is ``charset``: ``(account + ":" + pwd).getBytes()`` (a character
    the charset lacks becomes ``?``), Base64, then ``new String(..., UTF_8)`` (a malformed
    sequence becomes U+FFFD) cut at the first ``:`` (``getUserFromHeaderOrQuery``)."""
    sent = (account + ":").encode(charset, errors="replace")
    return sent.decode("utf-8", errors="replace").split(":", 1)[0]


@dataclass(frozen=True)
class LoginCheck:
    """JOC's verdict on one certificate that Jetty accepted."""

    account: str | None  # the account JOC reads from the certificate
    account_known: bool | None  # None: no account list given
    valid_now: bool
    not_before: dt.datetime
    not_after: dt.datetime
    charset_dependent: bool = False  # non-ASCII account on Java <= 17: see header_account

    @property
    def cut_at_colon(self) -> bool:
        """JOC puts the account into an HTTP Basic header and cuts it at the first ':'
        (SOSServicePermissionIam); its CN check then fails."""
        return self.account is not None and ":" in self.account

    @property
    def possible(self) -> bool:
        return (
            self.account is not None
            and self.account_known is not False
            and self.valid_now
            and not self.cut_at_colon
        )


def check_login(
    leaf: x509.Certificate, accounts: set[str] | None, at: dt.datetime, java: int = DEFAULT_JAVA
) -> LoginCheck:
    """What JOC's CERTIFICATE identity service decides for ``leaf`` at ``at`` on ``java``."""
    account = account_of(leaf, java)
    known = None if accounts is None or account is None else account in accounts
    not_before, not_after = validity(leaf)
    dependent = account is not None and java < JAVA_UTF8_DEFAULT and not account.isascii()
    valid = not_before <= at <= not_after
    return LoginCheck(account, known, valid, not_before, not_after, dependent)
