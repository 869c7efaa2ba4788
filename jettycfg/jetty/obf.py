"""Jetty's OBF password format (``org.eclipse.jetty.util.security.Password``).

Obfuscation, not protection: anyone can reverse it. Only the three password properties accept
it (keyStorePassword, keyManagerPassword, trustStorePassword).
"""

from __future__ import annotations

from jettycfg.errors import PasswordError

PREFIX = "OBF:"
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(value: int) -> str:
    out = ""
    while value:
        value, rem = divmod(value, 36)
        out = _DIGITS[rem] + out
    return out or "0"


def _signed(byte: int) -> int:
    return byte - 256 if byte > 127 else byte


def obfuscate(password: str) -> str:
    """Return ``OBF:...`` exactly as Jetty's ``Password.obfuscate`` writes it."""
    data = password.encode("utf-8")
    n = len(data)
    out = [PREFIX]
    for i in range(n):
        b1, b2 = _signed(data[i]), _signed(data[n - 1 - i])
        if b1 < 0 or b2 < 0:
            out.append("U" + _base36((b1 & 0xFF) * 256 + (b2 & 0xFF)).rjust(4, "0"))
        else:
            i1, i2 = 127 + b1 + b2, 127 + b1 - b2
            out.append(_base36(i1 * 256 + i2).rjust(4, "0"))
    return "".join(out)


def deobfuscate(text: str) -> str:
    """Reverse :func:`obfuscate`; accepts the value with or without the ``OBF:`` prefix."""
    body = text[len(PREFIX) :] if text.startswith(PREFIX) else text
    out = bytearray()
    i = 0
    try:
        while i < len(body):
            if body[i] == "U":
                chunk = body[i + 1 : i + 5]
                if len(chunk) != 4:
                    raise ValueError("short U group")
                out.append(int(chunk, 36) >> 8)
                i += 5
            else:
                chunk = body[i : i + 4]
                if len(chunk) != 4:
                    raise ValueError("short group")
                i0 = int(chunk, 36)
                out.append((((i0 // 256) + (i0 % 256) - 254) // 2) & 0xFF)
                i += 4
        return out.decode("utf-8")
    except (ValueError, UnicodeDecodeError) as exc:
        raise PasswordError("not a valid OBF value") from exc


def reveal(value: str) -> str:
    """The password Jetty uses for a configured value: OBF decoded, anything else as is."""
    return deobfuscate(value) if value.startswith(PREFIX) else value
