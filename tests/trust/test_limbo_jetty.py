"""Calibrates the Java harness against real Jetty 9.4: a handful of x509-limbo cases, each
handed to a real Jetty (need mode, a PKCS12 truststore of the case's roots) by a real TLS
handshake; the handshake's outcome must be the recorded Java 17 verdict."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12 as c_pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID

from jettycfg.certs.lenient import load_cert
from jettycfg.stores import files
from jettycfg.stores.model import Entry, EntryKind, Store, StoreFormat
from tests.jettyrun import accepted, free_port, init_base, running_jetty
from tests.pki import issue
from tests.trust import peer_suite as ps

pytestmark = pytest.mark.jetty
PASSWORD = "limbo-pw"
KEYS = {
    line.split("\t")[0]: base64.b64decode(line.split("\t")[1])
    for line in (ps.CORPUS / "calibration-keys.tsv").read_text().splitlines()
    if line and not line.startswith("#")
}


def _pem(der: bytes) -> bytes:
    body = base64.encodebytes(der).decode().replace("\n", "")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return (
        "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"
    ).encode()


def _base(tmp: Path, case: ps.Case, port: int, monkeypatch: pytest.MonkeyPatch) -> Path:
    base = tmp / "base"
    etc = base / "etc"
    etc.mkdir(parents=True)
    server_ca = issue("Limbo Server CA", ca=True)
    server = issue(
        "localhost", server_ca, eku=[ExtendedKeyUsageOID.SERVER_AUTH], san_ip="127.0.0.1"
    )
    (etc / "keystore.p12").write_bytes(
        c_pkcs12.serialize_key_and_certificates(
            b"https",
            server.key,
            server.cert,
            [server_ca.cert],
            serialization.BestAvailableEncryption(PASSWORD.encode()),
        )
    )
    roots = [load_cert(der, anchor=True) for der in case.roots]
    store = Store(
        StoreFormat.PKCS12, [Entry(f"r{i}", EntryKind.TRUSTED, [c]) for i, c in enumerate(roots)]
    )
    (etc / "truststore.p12").write_bytes(files.serialize(store, StoreFormat.PKCS12, PASSWORD))
    monkeypatch.setenv("LIMBO_PW", PASSWORD)
    init_base(base, port, mode="need", password_env="LIMBO_PW")
    return base


@pytest.mark.parametrize("case_id", sorted(KEYS))
def test_real_jetty_decides_as_the_harness(
    case_id: str, jetty_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = next(c for c in ps.load_cases() if c.id == case_id)
    port = free_port()
    base = _base(tmp_path, case, port, monkeypatch)
    cert, key = tmp_path / "client.crt", tmp_path / "client.key"
    cert.write_bytes(b"".join(_pem(d) for d in case.sent))
    key.write_bytes(KEYS[case_id])
    with running_jetty(jetty_home, base, port, timeout=30):
        real = accepted(port, cert, key)
    java = ps.load_verdicts()[case_id][17][0] == "ACCEPT"
    assert real is java
