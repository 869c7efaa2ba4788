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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import NameOID

from jettycfg.certs import validity

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


def _value_text(attr: x509.NameAttribute[str | bytes]) -> str:
    value = attr.value
    return value if isinstance(value, str) else "#" + value.hex()


def account_of(cert: x509.Certificate) -> str | None:
    """The account JOC takes from ``cert``: the first RDN in DER order whose first entry, in
    the order Java's ``Rdn`` sorts them, is a CN; None when there is none."""
    for rdn in cert.subject.rdns:
        if len(rdn) == 1:  # the usual RDN: nothing to sort
            (attr,) = rdn
            if _type_name(attr.oid).upper() == "CN":
                return _value_text(attr)
            continue
        entries = sorted(
            ((_type_name(a.oid), _value_text(a)) for a in rdn),
            key=lambda e: (e[0].upper(), e[1].upper()),
        )
        if entries and entries[0][0].upper() == "CN":
            return entries[0][1]
    return None


@dataclass(frozen=True)
class LoginCheck:
    """JOC's verdict on one certificate that Jetty accepted."""

    account: str | None  # the account JOC reads from the certificate
    account_known: bool | None  # None: no account list given
    valid_now: bool
    not_before: dt.datetime
    not_after: dt.datetime

    @property
    def possible(self) -> bool:
        return self.account is not None and self.account_known is not False and self.valid_now


def check_login(leaf: x509.Certificate, accounts: set[str] | None, at: dt.datetime) -> LoginCheck:
    """What JOC's CERTIFICATE identity service decides for ``leaf`` at ``at``."""
    account = account_of(leaf)
    known = None if accounts is None or account is None else account in accounts
    not_before, not_after = validity(leaf)
    return LoginCheck(account, known, not_before <= at <= not_after, not_before, not_after)
