"""A seeded, line-level mutator for Jetty start ini files (issue 11).

Seeds are real ini text: the samples/ bases and the ``[ini-template]`` sections of every module
of the Jetty homes present (Debian's jetty9, the Maven jetty-homes under .cache/jettys), in LF,
CRLF and BOM variants. A mutation works on lines: duplicate, delete, swap, insert a line from
another seed, turn an assignment into ``+=`` / ``?=`` / ``-D``, inject ``${...}`` references
(nested, escaped, looping), unicode and control characters, very long lines,
``--include-jetty-dir`` and ``--module=`` oddities, store paths at special files, line-ending
changes; now and then a byte-level edit (invalid UTF-8, truncation).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JETTY_HOMES = [
    Path("/usr/share/jetty9"),
    *sorted((ROOT / ".cache" / "jettys").glob("jetty-home-*")),
]

UNICODE = [
    "é",
    "\u0301",  # combining acute
    "\u202e",  # right-to-left override
    "\u2028",  # line separator (not a line end for start.jar)
    "\u0085",  # NEL
    "\ufeff",
    "\U0001f512",
    "\x00",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "\x7f",
    "\t",
    " ",
]
KEYS = [
    "jetty.sslContext.keyStorePath",
    "jetty.sslContext.keyStorePassword",
    "jetty.sslContext.trustStorePath",
    "jetty.sslContext.trustStorePassword",
    "jetty.sslContext.needClientAuth",
    "jetty.sslContext.wantClientAuth",
    "jetty.sslContext.keyStoreType",
    "jetty.ssl.port",
    "jetty.base",
    "a",
    "k",
]
ODD_LINES = [
    "--include-jetty-dir=.",
    "--include-jetty-dir=..",
    "--include-jetty-dir=${jetty.base}",
    "--include-jetty-dir=/nonexistent/x",
    "--include-jetty-dir=/dev",
    "--include-jetty-dir=",
    "--include-jetty-dir=${jetty.base}/start.d",
    "--module=",
    "--module=,,",
    "--module=ssl,",
    "--modules=ssl,https,,http",
    "--module=ssl\u202e",
    "--module=" + "m" * 5000,
    "--module=${a}",
    "jetty.sslContext.keyStorePath=/dev/zero",
    "jetty.sslContext.trustStorePath=/dev/zero",
    "jetty.sslContext.keyStorePath=start.d",
    "jetty.sslContext.keyStorePath=${jetty.base}/fifo",
    "jetty.sslContext.trustStorePath=/",
    "-Da=${a}",
    "-Dx=${y}",
    "-Dy=${x}",
    "a=${a}",
    "a=${b}${b}",
    "b=${a}${a}",
    "a=$${a}",
    "a=$$${b}",
    "k+=,x",
    "k?=y",
    "k=",
    "=v",
    "+=v",
    "?=",
    "-D",
    "-D=",
    "--",
    "#",
    "   # indented comment",
    "x.xml",
    "etc/jetty.properties",
    "\\",
]


def _template(text: str) -> list[str]:
    """The [ini-template] section of a module file."""
    out, inside = [], False
    for line in text.splitlines():
        if re.match(r"^\[[^\]]+\]\s*$", line):
            inside = line.strip().lower() == "[ini-template]"
            continue
        if inside:
            out.append(line)
    return out


def seeds() -> list[bytes]:
    """Real ini files as bytes, with CRLF and BOM variants."""
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "samples").rglob("*.ini"))]
    for home in JETTY_HOMES:
        for mod in sorted((home / "modules").glob("*.mod")):
            lines = _template(mod.read_text("utf-8", "replace"))
            if any(line.strip() for line in lines):
                texts.append("\n".join(lines) + "\n")
    out: list[bytes] = []
    for text in texts:
        lf = text.replace("\r\n", "\n")
        out += [lf.encode(), lf.replace("\n", "\r\n").encode(), b"\xef\xbb\xbf" + lf.encode()]
    return out


def _split(data: bytes) -> list[str]:
    return data.decode("utf-8", "surrogateescape").splitlines(keepends=True) or [""]


def _eol(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :] or "\n"


def _body(line: str) -> str:
    return line.rstrip("\r\n")


def _mutate_line(line: str, rng: random.Random) -> str:
    body, eol = _body(line), _eol(line)
    choice = rng.randrange(8)
    if choice == 0 and "=" in body:
        key, _, value = body.partition("=")
        return key.rstrip("+?") + rng.choice(["+=", "?=", "=", " = ", "=="]) + value + eol
    if choice == 1:
        ref = rng.choice(KEYS)
        for _ in range(rng.randrange(4)):
            ref = rng.choice(["${%s}", "${a${%s}}", "$${%s}", "${%s", "%s}"]) % ref
        return body + rng.choice(["", "/"]) + ref + eol
    if choice == 2:
        pos = rng.randrange(len(body) + 1)
        return body[:pos] + rng.choice(UNICODE) + body[pos:] + eol
    if choice == 3:
        return body + rng.choice(["x", "${a}", "é", " "]) * rng.choice([1000, 50_000]) + eol
    if choice == 4:
        return "-D" + body + eol
    if choice == 5:
        return rng.choice(KEYS) + rng.choice(["=", "+=", "?="]) + body + eol
    if choice == 6:
        return body + rng.choice(["\r\n", "\r", "\n", ""])
    return body[: rng.randrange(len(body) + 1)] + eol


def mutate(seed: bytes, pool: list[bytes], rng: random.Random) -> bytes:
    lines = _split(seed)
    for _ in range(rng.choice([1, 1, 2, 3, 5])):
        i = rng.randrange(len(lines))
        op = rng.randrange(9)
        if op == 0:
            lines.insert(i, lines[i])
        elif op == 1 and len(lines) > 1:
            del lines[i]
        elif op == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:
            lines.insert(i, rng.choice(_split(rng.choice(pool))))
        elif op in (4, 5):
            lines.insert(i, rng.choice(ODD_LINES) + _eol(lines[i]))
        else:
            lines[i] = _mutate_line(lines[i], rng)
    data = "".join(lines).encode("utf-8", "surrogateescape")
    if rng.random() < 0.03:
        pos = rng.randrange(len(data) + 1)
        data = data[:pos] + rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"]) + data[pos:]
    if rng.random() < 0.02:
        data = data[: rng.randrange(len(data) + 1)]
    return data
