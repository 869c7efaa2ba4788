"""Drive the real keytool and openssl, and parse what keytool reports."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

KIND = {
    "trustedCertEntry": "trusted-certificate",
    "PrivateKeyEntry": "private-key",
    "SecretKeyEntry": "secret-key",
}


def keytool(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["keytool", *args], capture_output=True, text=True, timeout=120, check=check
    )


def keytool_entries(
    store: Path, password: str | None = "changeit", *extra: str
) -> dict[str, tuple[str, str]]:
    """alias -> (kind, SHA-256 of the entry's first certificate), from `keytool -list -v`."""
    args = ["-list", "-v", "-keystore", str(store), *extra]
    args += ["-storepass", password] if password is not None else []
    out = keytool(*args).stdout
    entries = {}
    for block in out.split("Alias name: ")[1:]:
        alias = block.splitlines()[0].strip()
        kind = re.search(r"Entry type: (\w+)", block)
        sha = re.search(r"SHA256: ([0-9A-F:]+)", block)
        assert kind and sha, block[:300]
        entries[alias] = (KIND[kind.group(1)], sha.group(1))
    return entries


def jettycfg_entries(doc: dict) -> dict[str, tuple[str, str]]:  # type: ignore[type-arg]
    """The same view from `jettycfg store list --format json` (entries Java sees)."""
    return {
        e["alias"]: (e["kind"], e["sha256"])
        for e in doc["entries"]
        if e["kind"] != "certificate-java-ignores"
    }


def openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], capture_output=True, check=True, timeout=60)
