"""The host names JC216/JC217 read from the keystore (jettycfg.jetty.sni._names), as Jetty's
X509 reads them: a certificate cryptography cannot read is skipped - it crashed the rules before
- and a CA (keyCertSign) counts for nothing."""

from __future__ import annotations

from types import SimpleNamespace

from cryptography import x509

from jettycfg.jetty.sni import _names
from jettycfg.stores.model import Entry, EntryKind, Store, StoreFormat
from tests import chains
from tests.trust.test_java_rules import _with_duplicate_san


def _leaf(cn: str, *dns: str) -> x509.Certificate:
    key = chains.ec_key()
    san = x509.SubjectAlternativeName([x509.DNSName(d) for d in dns])
    return chains.make(chains.name(cn), key, None, extra=[(san, False)] if dns else None)


def test_names_skip_an_unreadable_certificate_and_a_ca() -> None:
    broken = x509.load_der_x509_certificate(_with_duplicate_san(_leaf("x", "broken.example")))
    ca_key = chains.ec_key()
    ca = chains.make(chains.name("Some CA"), ca_key, None, ca=True, ku={"key_cert_sign": True})
    entries = [
        Entry("broken", EntryKind.KEY, [broken]),
        Entry("ca", EntryKind.TRUSTED, [ca]),
        Entry("server", EntryKind.KEY, [_leaf("JOC.example.com", "joc.example.com", "*.ex.org")]),
    ]
    model = SimpleNamespace(keystore=SimpleNamespace(store=Store(StoreFormat.PKCS12, entries)))
    hosts, wilds, count = _names(model)  # type: ignore[arg-type]
    assert (hosts, wilds, count) == ({"joc.example.com"}, {"ex.org"}, 1)
