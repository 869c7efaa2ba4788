"""Java's view of the bags of a PKCS#12 file (OpenJDK 17 ``sun.security.pkcs12.PKCS12KeyStore``).

Bags are read in file order; a key or trusted certificate without friendlyName is named by a
counter shared by all entries (``1``, ``2``, ... as ``getUnfriendlyName``); with one private
key in the file a key and a first-in-its-SafeContents certificate without localKeyId get the
id ``"01"`` and pair; a second key without localKeyId is skipped. Aliases are
case-insensitive (the last entry of a name wins). A key whose certificate is missing stays a
PrivateKeyEntry with no chain. Plain KeyBags are not supported by Java and are ignored. A
SecretBag is a SecretKeyEntry (named like a key; listed, never written: the writers refuse it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jettycfg.stores.model import Entry, EntryKind, Store, StoreFormat, load_cert, name_key

if TYPE_CHECKING:
    from cryptography import x509

MAX_CHAIN = 100


@dataclass
class Bag:
    kind: str  # "cert" | "shrouded" | "key" | "secret"
    value: bytes
    name: str | None = None
    key_id: bytes | None = None
    trusted: bool = False
    first: bool = False  # first bag of its SafeContents (Java's ``i == 0``)
    alias: str | None = None  # set when Java lists the bag as an entry


@dataclass
class JavaView:
    """The state PKCS12KeyStore keeps while loading."""

    bags: list[Bag] = field(default_factory=list)
    counter: int = 0
    private_keys: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, bag: Bag) -> None:
        """One bag, in file order, as ``loadSafeContents`` sees it."""
        if bag.kind == "key":
            self.notes.append(
                f"unencrypted key bag {bag.name or ''}: Java ignores it (not a keystore entry)"
            )
            return
        if bag.kind == "shrouded":
            self.private_keys += 1
            if bag.key_id is None:
                if self.private_keys != 1:
                    self.notes.append("private key without localKeyId: Java skips it")
                    return
                bag.key_id = b"01"
            bag.alias = bag.name if bag.name is not None else self._unfriendly()
        elif bag.kind == "secret":  # a SecretKeyEntry: named like a key, no certificate
            bag.alias = bag.name if bag.name is not None else self._unfriendly()
        elif bag.kind == "cert":
            if bag.key_id is None and self.private_keys == 1 and bag.first:
                bag.key_id = b"01"
            if bag.trusted:
                bag.alias = bag.name if bag.name is not None else self._unfriendly()
        self.bags.append(bag)

    def _unfriendly(self) -> str:
        self.counter += 1
        return str(self.counter)


def assemble(view: JavaView) -> Store:
    """The entries Java lists, in its order (a LinkedHashMap keyed by the lower-cased alias)."""
    loaded: dict[int, x509.Certificate] = {}

    def cert(i: int) -> x509.Certificate:
        if i not in loaded:
            loaded[i] = load_cert(view.bags[i].value)
        return loaded[i]

    cert_ids = [i for i, b in enumerate(view.bags) if b.kind == "cert"]
    by_subject: dict[bytes, int] = {}
    for i in cert_ids:
        by_subject.setdefault(_subject(cert(i)), i)
    entries: dict[str, Entry] = {}
    ignored: list[Entry] = []
    for i, bag in enumerate(view.bags):
        if bag.alias is None:
            continue
        if bag.kind == "cert":
            entry = Entry(bag.alias, EntryKind.TRUSTED, [cert(i)])
        elif bag.kind == "secret":
            entry = Entry(bag.alias, EntryKind.SECRET, [])
        else:
            chain = _chain(view, bag, cert_ids, by_subject, cert)
            entry = Entry(bag.alias, EntryKind.KEY, chain)
            entry.protected_key, entry.protected_format = bag.value, StoreFormat.PKCS12
        key = bag.alias.lower()
        entries[key] = entry if key not in entries else _replace(entries, key, entry)
    store = Store(StoreFormat.PKCS12)
    store.entries.extend(entries.values())
    used = {id(c) for e in store.entries for c in e.certs}
    taken = store.aliases()
    for i in cert_ids:
        bag = view.bags[i]
        if not bag.trusted and id(cert(i)) not in used:
            alias = store.unique_alias(bag.name or "cert", taken)
            ignored.append(Entry(alias, EntryKind.IGNORED, [cert(i)]))
    store.entries.extend(ignored)
    store.notes.extend(view.notes)
    return store


def _replace(entries: dict[str, Entry], key: str, entry: Entry) -> Entry:
    entries[key] = entry  # keeps the first position, as LinkedHashMap.put does
    return entry


def _subject(cert: x509.Certificate) -> bytes:
    return name_key(cert)


def _chain(
    view: JavaView,
    key: Bag,
    cert_ids: list[int],
    by_subject: dict[bytes, int],
    cert: object,
) -> list[x509.Certificate]:
    """``findMatchedCertificate`` (keyId, then alias, among untrusted certs), then issuers."""
    load = cert  # a callable int -> Certificate
    id_match = alias_match = None
    for i in cert_ids:
        bag = view.bags[i]
        if bag.trusted:
            continue
        same_alias = bag.name is not None and (key.alias or "").lower() == bag.name.lower()
        if key.key_id is not None and bag.key_id == key.key_id:
            id_match = i  # the last one, unless alias matches too
            if same_alias:
                break
        elif same_alias:
            alias_match = i
    current = id_match if id_match is not None else alias_match
    chain: list[int] = []
    while current is not None and current not in chain and len(chain) < MAX_CHAIN:
        chain.append(current)
        c = load(current)  # type: ignore[operator]
        issuer = name_key(c, "issuer")
        if issuer == name_key(c):
            break
        current = by_subject.get(issuer)
    return [load(i) for i in chain]  # type: ignore[operator]
