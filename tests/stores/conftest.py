"""Fixtures for store tests: a small PKI on disk and the real-tool requirements."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID

from tests.conftest import _require
from tests.pki import Issued, issue


@dataclass
class Material:
    folder: Path
    cas: list[Issued]
    server: Issued
    bundle: Path  # PEM with every CA
    server_pem: Path
    server_key: Path


@pytest.fixture
def material(tmp_path: Path) -> Material:
    cas = [issue(f"Test CA {i}", ca=True) for i in range(3)]
    server = issue("server", cas[0], eku=[ExtendedKeyUsageOID.SERVER_AUTH], san_ip="127.0.0.1")
    pem = serialization.Encoding.PEM
    bundle = tmp_path / "cas.pem"
    bundle.write_bytes(b"".join(c.cert.public_bytes(pem) for c in cas))
    server_pem, server_key = server.write_pem(tmp_path, "server", cas[0].cert)
    return Material(tmp_path, cas, server, bundle, server_pem, server_key)


@pytest.fixture(scope="session")
def require_keytool() -> None:
    _require("keytool (Java)", shutil.which("keytool") is not None)
    _require("openssl", shutil.which("openssl") is not None)
