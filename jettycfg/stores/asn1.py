"""A small DER/BER reader and DER writer: just what PKCS#12 and JKS key protection need.

The reader accepts BER's indefinite lengths and constructed strings (some PKCS#12 writers use
them); the writer always emits DER. Malformed input raises :class:`ASN1Error`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

SEQUENCE = 0x30
SET = 0x31
INTEGER = 0x02
OCTET_STRING = 0x04
NULL = 0x05
OID = 0x06
BMP_STRING = 0x1E
UTF8_STRING = 0x0C


class ASN1Error(ValueError):
    """The bytes are not valid DER/BER."""


@dataclass(frozen=True)
class TLV:
    tag: int
    value: bytes  # content octets (for indefinite length: without the end-of-contents)
    raw: bytes  # the whole encoding

    @property
    def constructed(self) -> bool:
        return bool(self.tag & 0x20)

    def children(self) -> list[TLV]:
        if not self.constructed:
            raise ASN1Error(f"tag {self.tag:#x} is not constructed")
        return parse_all(self.value)

    def expect(self, tag: int) -> TLV:
        if self.tag != tag:
            raise ASN1Error(f"expected tag {tag:#x}, found {self.tag:#x}")
        return self

    def octets(self) -> bytes:
        """Content of an OCTET STRING, also in BER's constructed form (or [n] IMPLICIT)."""
        if not self.constructed:
            return self.value
        return b"".join(child.octets() for child in self.children())

    def integer(self) -> int:
        self.expect(INTEGER)
        if not self.value:
            raise ASN1Error("empty INTEGER")
        return int.from_bytes(self.value, "big", signed=True)

    def oid(self) -> str:
        self.expect(OID)
        return decode_oid(self.value)


def _read(data: bytes, pos: int, depth: int = 0) -> tuple[TLV, int]:
    if depth > 64:
        raise ASN1Error("nesting too deep")
    start = pos
    if pos + 2 > len(data):
        raise ASN1Error("truncated")
    tag = data[pos]
    if tag & 0x1F == 0x1F:
        raise ASN1Error("high tag numbers are not supported")
    pos += 1
    first = data[pos]
    pos += 1
    if first == 0x80:  # indefinite length (BER)
        if not tag & 0x20:
            raise ASN1Error("indefinite length on a primitive value")
        content_start = pos
        while True:
            if pos + 2 > len(data):
                raise ASN1Error("truncated indefinite-length value")
            if data[pos] == 0 and data[pos + 1] == 0:
                return TLV(tag, data[content_start:pos], data[start : pos + 2]), pos + 2
            _, pos = _read(data, pos, depth + 1)
    if first & 0x80:
        count = first & 0x7F
        if count > 4 or pos + count > len(data):
            raise ASN1Error("bad length")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    else:
        length = first
    end = pos + length
    if end > len(data):
        raise ASN1Error("truncated")
    return TLV(tag, data[pos:end], data[start:end]), end


def parse(data: bytes) -> TLV:
    """Parse exactly one value (trailing bytes are an error)."""
    tlv, end = _read(data, 0)
    if end != len(data):
        raise ASN1Error("trailing data")
    return tlv


def parse_prefix(data: bytes) -> tuple[TLV, int]:
    """Parse one value at the start; returns it and where it ends."""
    return _read(data, 0)


def parse_all(data: bytes) -> list[TLV]:
    out = []
    pos = 0
    while pos < len(data):
        tlv, pos = _read(data, pos)
        out.append(tlv)
    return out


@functools.lru_cache(maxsize=512)
def decode_oid(body: bytes) -> str:
    if not body:
        raise ASN1Error("empty OID")
    parts: list[int] = []
    value = 0
    for byte in body:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    if body[-1] & 0x80:
        raise ASN1Error("truncated OID")
    first = parts[0]
    head = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    return ".".join(str(p) for p in head + parts[1:])


# -- writer ----------------------------------------------------------------------------------


def tlv(tag: int, value: bytes) -> bytes:
    length = len(value)
    if length < 0x80:
        head = bytes([length])
    else:
        body = length.to_bytes((length.bit_length() + 7) // 8, "big")
        head = bytes([0x80 | len(body)]) + body
    return bytes([tag]) + head + value


def seq(*items: bytes) -> bytes:
    return tlv(SEQUENCE, b"".join(items))


def set_of(*items: bytes) -> bytes:
    return tlv(SET, b"".join(sorted(items)))  # DER sorts SET OF


def integer(value: int) -> bytes:
    length = max(1, (value.bit_length() + 8) // 8)
    return tlv(INTEGER, value.to_bytes(length, "big", signed=True))


def octets(value: bytes) -> bytes:
    return tlv(OCTET_STRING, value)


def null() -> bytes:
    return b"\x05\x00"


def oid(dotted: str) -> bytes:
    nums = [int(p) for p in dotted.split(".")]
    body = bytearray()
    for num in [40 * nums[0] + nums[1], *nums[2:]]:
        chunk = [num & 0x7F]
        num >>= 7
        while num:
            chunk.append(0x80 | (num & 0x7F))
            num >>= 7
        body.extend(reversed(chunk))
    return tlv(OID, bytes(body))


def explicit(number: int, value: bytes) -> bytes:
    return tlv(0xA0 | number, value)


def bmp_string(text: str) -> bytes:
    return tlv(BMP_STRING, text.encode("utf-16-be"))
