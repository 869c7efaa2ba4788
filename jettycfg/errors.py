"""The error hierarchy: one base, one subclass per subsystem. Only the CLI turns them into text."""

from __future__ import annotations

from pathlib import Path


class JettycfgError(Exception):
    """Base of every error jettycfg raises on bad input. Messages never contain secrets."""


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
