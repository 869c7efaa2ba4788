"""RC2-CBC decryption (RFC 2268) for PKCS#12's PBEWithSHA1AndRC2_40.

keytool wrote certificate bags with it up to Java 15 / 11.0.11 / 8u292, and ``openssl pkcs12
-legacy`` still does. cryptography's RC2 accepts 128-bit keys only, so the 40-bit variant is
done here, in pure Python; only decryption is needed (jettycfg writes 3DES in legacy mode).
"""

from __future__ import annotations

PITABLE = bytes.fromhex(
    "d978f9c419ddb5ed28e9fd794aa0d89dc67e37832b76538e624c6488448bfba2"
    "179a59f587b34f1361456d8d09817d32bd8f40eb86b77b0bf09521225c6b4e82"
    "54d66593ce60b21c7356c014a78cf1dc1275ca1f3bbee4d1423dd430a33cb626"
    "6fbf0eda4669075727f21d9bbc944303f811c7f690ef3ee706c3d52fc8661ed7"
    "08e8eade8052eef784aa72ac354d6a2a961ad2715a1549744b9fd05e0418a4ec"
    "c2e0416e0f51cbcc2491af50a1f47039997c3a8523b8b47afc02365b25559731"
    "2d5dfa98e38a92ae05df2910676cbac9d300e6cfe19ea82c6316013f58e289a9"
    "0d38341bab33ffb0bb480c5fb9b1cd2ec5f3db47e5a59c770aa62068fe7fc1ad"
)


def _expand(key: bytes, effective_bits: int) -> list[int]:
    t = len(key)
    table = bytearray(128)
    table[:t] = key
    for i in range(t, 128):
        table[i] = PITABLE[(table[i - 1] + table[i - t]) & 0xFF]
    t8 = (effective_bits + 7) // 8
    tm = 0xFF % (1 << (8 + effective_bits - 8 * t8))
    table[128 - t8] = PITABLE[table[128 - t8] & tm]
    for i in range(127 - t8, -1, -1):
        table[i] = PITABLE[table[i + 1] ^ table[i + t8]]
    return [table[2 * i] | (table[2 * i + 1] << 8) for i in range(64)]


_SHIFTS = (1, 2, 3, 5)


def _decrypt_block(k: list[int], block: bytes) -> bytes:
    r = [int.from_bytes(block[i : i + 2], "little") for i in range(0, 8, 2)]
    j = 63
    for rnd in range(16):
        for i in (3, 2, 1, 0):
            s = _SHIFTS[i]
            x = ((r[i] >> s) | (r[i] << (16 - s))) & 0xFFFF
            a, b, c = r[(i - 1) % 4], r[(i - 2) % 4], r[(i - 3) % 4]
            r[i] = (x - k[j] - (a & b) - ((~a) & c)) & 0xFFFF
            j -= 1
        if rnd in (4, 10):
            for i in (3, 2, 1, 0):
                r[i] = (r[i] - k[r[(i - 1) % 4] & 63]) & 0xFFFF
    return b"".join(x.to_bytes(2, "little") for x in r)


def decrypt_cbc(key: bytes, iv: bytes, data: bytes, effective_bits: int | None = None) -> bytes:
    """Decrypt ``data`` (a multiple of 8 bytes); padding is left for the caller to remove."""
    if len(data) % 8 or len(iv) != 8:
        raise ValueError("RC2 data must be whole 8-byte blocks")
    k = _expand(key, effective_bits if effective_bits is not None else 8 * len(key))
    out = bytearray()
    previous = iv
    for pos in range(0, len(data), 8):
        block = data[pos : pos + 8]
        plain = _decrypt_block(k, block)
        out.extend(a ^ b for a, b in zip(plain, previous, strict=True))
        previous = block
    return bytes(out)
