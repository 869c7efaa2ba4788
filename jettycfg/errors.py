"""The error hierarchy: one base, one subclass per subsystem. Only the CLI turns them into text."""

from __future__ import annotations

import unicodedata
from pathlib import Path


def printable(text: object) -> str:
    """``text`` safe for one line of a terminal: control and format characters, line and
    paragraph separators (bytes from a file - an alias, a certificate type string, an ini key)
    are shown escaped (``\\n``, ``\\x1b``, ``\\u2028``), never acted on."""
    out = []
    for ch in str(text):
        if ch == "\\" or ch.isprintable() or ch == " ":
            out.append(ch)
        elif unicodedata.category(ch) in ("Zs",):
            out.append(" ")
        else:
            escaped = ch.encode("unicode_escape").decode("ascii")
            out.append(escaped if escaped != ch else f"\\u{ord(ch):04x}")
    return "".join(out)


class JettycfgError(Exception):
    """Base of every error jettycfg raises on bad input. Messages never contain secrets."""


class InternalError(Exception):
    """An invariant of ours failed: a bug, never the user's input (the CLI exits 3). Not a
    JettycfgError on purpose."""


class UsageError(JettycfgError):
    """The request itself is wrong (bad option value, missing base, ...)."""


class IniError(JettycfgError):
    """A start ini file cannot be read or edited."""

    def __init__(self, message: str, file: Path | str | None = None, line: int | None = None):
        self.file = str(file) if file is not None else None
        self.line = line
        where = ""
        if self.file is not None:
            where = self.file + (f":{line}" if line is not None else "") + ": "
        super().__init__(where + message)
        self.bare_message = message


class PasswordError(JettycfgError):
    """A password cannot be obtained or decoded."""


class FileWriteError(JettycfgError):
    """A user file could not be written safely."""


class StoreError(JettycfgError):
    """A key- or truststore cannot be read or written (corrupt, wrong format, unknown alias...)."""


class WrongPasswordError(StoreError):
    """The store's integrity check failed with the given password."""


class PasswordRequiredError(StoreError):
    """The store cannot be read without a password."""


class CertificateError(JettycfgError):
    """A certificate file cannot be read."""


def printable_lines(text: str) -> str:
    """A multi-line report with each line made :func:`printable` (its line breaks kept)."""
    return "\n".join(printable(line) for line in text.split("\n"))
