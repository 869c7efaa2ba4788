"""A seeded, structure-aware mutator for DER, PKCS#12 and JKS/JCEKS (issue 11).

DER is parsed into a tree (OCTET STRINGs and [n] values that hold DER are descended into),
one node is mutated (tag, length, value, integer values around Java's caps, deletion,
duplication, deep nesting) and the tree is re-encoded with consistent lengths, so mutations
reach the parsers' inner checks. PKCS#12 SafeContents are decrypted, mutated and re-encrypted,
and the MAC recomputed; JKS fields are mutated and the keyed SHA-1 recomputed - so mutations
get past the integrity checks.
"""

from __future__ import annotations

import hashlib
import random
import struct
from dataclasses import dataclass, field

from jettycfg.stores import asn1, pbe, pkcs12

INTERESTING = [
    0,
    -1,
    1,
    2,
    127,
    128,
    255,
    256,
    5_000_000,
    5_000_001,
    2**31 - 1,
    2**31,
    2**63,
    -(2**31),
]


@dataclass
class Node:
    tag: int
    value: bytes = b""
    children: list[Node] | None = None
    encap: bool = False  # primitive value holding DER
    extra: list[Node] = field(default_factory=list)


def to_tree(data: bytes, depth: int = 0) -> Node:
    tlv = asn1.parse(data)
    return _node(tlv, depth)


def _node(tlv: asn1.TLV, depth: int) -> Node:
    if tlv.constructed and depth < 30:
        try:
            return Node(tlv.tag, children=[_node(c, depth + 1) for c in tlv.children()])
        except asn1.ASN1Error:
            return Node(tlv.tag, tlv.value)
    if tlv.tag in (asn1.OCTET_STRING, 0x80, 0x03) and tlv.value[:1] == b"\x30" and depth < 30:
        try:
            inner = asn1.parse(tlv.value)
            return Node(tlv.tag, children=[_node(inner, depth + 1)], encap=True)
        except asn1.ASN1Error:
            pass
    return Node(tlv.tag, tlv.value)


def encode(node: Node) -> bytes:
    if node.children is None:
        return asn1.tlv(node.tag, node.value)
    body = b"".join(encode(c) for c in node.children)
    return asn1.tlv(node.tag, body)


def _all(node: Node, out: list[tuple[Node, Node | None]], parent: Node | None = None) -> None:
    out.append((node, parent))
    for child in node.children or []:
        _all(child, out, node)


def _int_bytes(value: int) -> bytes:
    length = max(1, (value.bit_length() + 8) // 8)
    return value.to_bytes(length, "big", signed=True)


def mutate_tree(root: Node, rng: random.Random) -> None:
    nodes: list[tuple[Node, Node | None]] = []
    _all(root, nodes)
    node, parent = rng.choice(nodes)
    op = rng.randrange(10)
    if op == 0:
        node.tag = rng.choice(
            [0x02, 0x04, 0x05, 0x06, 0x30, 0x31, 0xA0, 0x80, 0x1E, rng.randrange(256)]
        )
    elif op == 1 or (op == 2 and node.tag == asn1.INTEGER):
        node.children, node.value = None, _int_bytes(rng.choice(INTERESTING))
    elif op == 2:
        node.children, node.value = None, node.value[: rng.randrange(len(node.value) + 1)]
    elif op == 3:
        node.children, node.value = None, rng.randbytes(rng.randrange(0, 40))
    elif op == 4 and parent is not None and parent.children:
        parent.children.remove(node)
    elif op == 5 and parent is not None and parent.children is not None:
        parent.children.insert(rng.randrange(len(parent.children) + 1), node)
    elif op == 6:
        inner = encode(node)
        for _ in range(rng.choice([2, 70, 300])):
            inner = asn1.tlv(rng.choice([0x30, 0xA0]), inner)
        node.children, node.value = None, inner[2:] if False else inner
        node.tag = 0x30
    elif op == 7 and node.value:
        raw = bytearray(node.value)
        raw[rng.randrange(len(raw))] ^= 1 << rng.randrange(8)
        node.value = bytes(raw)
    elif op == 8 and node.children:
        node.children = node.children[: rng.randrange(len(node.children) + 1)]
    else:
        node.children, node.value = None, b""


def raw_mutate(data: bytes, rng: random.Random) -> bytes:
    """A byte-level change, often in a length byte (breaking the structure itself)."""
    raw = bytearray(data)
    if not raw:
        return bytes(rng.randbytes(4))
    pos = rng.randrange(len(raw))
    op = rng.randrange(4)
    if op == 0:
        raw[pos] = rng.choice([0x00, 0x80, 0x81, 0x84, 0x85, 0xFF])
    elif op == 1:
        del raw[pos:]
    elif op == 2:
        raw[pos : pos + 1] = rng.randbytes(rng.randrange(1, 8))
    else:
        raw += rng.randbytes(rng.randrange(1, 64))
    return bytes(raw)


def mutate_der(data: bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.15:
        return raw_mutate(data, rng)
    try:
        tree = to_tree(data)
    except asn1.ASN1Error:
        return raw_mutate(data, rng)
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        mutate_tree(tree, rng)
    return encode(tree)


# -- PKCS#12 -----------------------------------------------------------------------------------


@dataclass
class P12Seed:
    contents: list[tuple[bool, bytes]]  # (encrypted, SafeContents plaintext)
    password: str


def open_p12(data: bytes, password: str) -> P12Seed:
    parts = asn1.parse_prefix(data)[0].children()
    auth_safe = parts[1].children()[1].children()[0].octets()
    contents = []
    for info in asn1.parse(auth_safe).children():
        fields = info.children()
        if fields[0].oid() == pkcs12.DATA:
            contents.append((False, fields[1].children()[0].octets()))
        else:
            enc = fields[1].children()[0].children()[1].children()
            contents.append((True, pbe.decrypt(enc[1], enc[2].octets(), password)))
    return P12Seed(contents, password)


def build_p12(contents: list[tuple[bool, bytes]], password: str, mac_rounds: int = 1) -> bytes:
    infos = []
    for encrypted, plain in contents:
        if encrypted:
            alg, blob = pbe.encrypt(plain, password, legacy=False, iterations=1)
            body = asn1.seq(
                asn1.integer(0), asn1.seq(asn1.oid(pkcs12.DATA), alg, asn1.tlv(0x80, blob))
            )
            infos.append(asn1.seq(asn1.oid(pkcs12.ENCRYPTED_DATA), asn1.explicit(0, body)))
        else:
            infos.append(asn1.seq(asn1.oid(pkcs12.DATA), asn1.explicit(0, asn1.octets(plain))))
    auth_safe = asn1.seq(*infos)
    salt = b"fuzzsalt"
    digest = (
        pbe.mac("sha256", password, salt, mac_rounds, auth_safe)
        if 1 <= mac_rounds <= 5_000_000
        else b"x" * 32
    )
    mac_data = asn1.seq(
        asn1.seq(asn1.seq(asn1.oid(pkcs12.SHA256), asn1.null()), asn1.octets(digest)),
        asn1.octets(salt),
        asn1.integer(mac_rounds),
    )
    return asn1.seq(
        asn1.integer(3),
        asn1.seq(asn1.oid(pkcs12.DATA), asn1.explicit(0, asn1.octets(auth_safe))),
        mac_data,
    )


def mutate_p12(seed: P12Seed, rng: random.Random) -> bytes:
    roll = rng.random()
    contents = list(seed.contents)
    if roll < 0.05:
        return raw_mutate(build_p12(contents, seed.password), rng)
    if roll < 0.1:
        return build_p12(contents, seed.password, rng.choice([0, -1, 5_000_001, 2**31 - 1]))
    if roll < 0.2:
        pfx = build_p12(contents, seed.password)
        return mutate_der(pfx, rng)  # MAC now wrong or structure broken: still must be clean
    i = rng.randrange(len(contents))
    contents[i] = (contents[i][0], mutate_der(contents[i][1], rng))
    return build_p12(contents, seed.password)


# -- JKS / JCEKS -------------------------------------------------------------------------------


def jks_fields(body: bytes) -> list[tuple[int, int, str]]:
    """(offset, size, kind) of the fields of a JKS/JCEKS body (kind: u16, u32, u64, blob)."""
    out = [(4, 4, "u32"), (8, 4, "u32")]
    pos = 12
    (count,) = struct.unpack(">I", body[8:12])

    def take(size: int, kind: str) -> int:
        nonlocal pos
        out.append((pos, size, kind))
        pos += size
        return int.from_bytes(body[pos - size : pos], "big") if kind != "blob" else 0

    def cert() -> None:
        n = take(2, "u16")
        take(n, "blob")
        take(take(4, "u32"), "der")

    for _ in range(count):
        tag = take(4, "u32")
        take(take(2, "u16"), "blob")
        take(8, "u64")
        if tag == 1:
            take(take(4, "u32"), "der")
            for _ in range(take(4, "u32")):
                cert()
        elif tag == 2:
            cert()
        else:
            break
    return out


def jks_seal(body: bytes, password: str) -> bytes:
    pw = b"".join(struct.pack(">H", ord(c)) for c in password)
    return body + hashlib.sha1(pw + b"Mighty Aphrodite" + body).digest()


def mutate_jks(data: bytes, password: str, rng: random.Random) -> bytes:
    body = data[:-20]
    if rng.random() < 0.1:
        return (
            raw_mutate(data, rng)
            if rng.random() < 0.5
            else jks_seal(raw_mutate(body, rng), password)
        )
    fields = jks_fields(body)
    pos, size, kind = rng.choice(fields)
    field_bytes = body[pos : pos + size]
    if kind == "der":
        new = mutate_der(field_bytes, rng)
    elif kind == "blob":
        new = rng.choice(
            [
                b"",
                b"\n\x1b[31m",
                rng.randbytes(rng.randrange(1, 20)),
                field_bytes.upper(),
                b"\xed\xa0\x80",
            ]
        )
    else:
        value = rng.choice([*INTERESTING, rng.randrange(1 << (8 * size))]) % (1 << (8 * size))
        new = value.to_bytes(size, "big")
    return jks_seal(body[:pos] + new + body[pos + size :], password)
