"""Disagreements a differential review found between lint and real Jetty (stop 21), each now
judged as the real Jetty judges it: lint's prediction beside what the server did."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.x509.oid import ExtendedKeyUsageOID

from jettycfg.cli import run
from tests.jetty.test_versions_real import init, prepared, version_of
from tests.jettyrun import accepted, running_jetty
from tests.pki import Pki, issue, make_pki


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


def _lint(capsys: pytest.CaptureFixture[str], base: Path, *args: str) -> dict:  # type: ignore[type-arg]
    capsys.readouterr()
    run(["lint", "--base", str(base), "--format", "json", "--fail-on", "never", *args])
    doc: dict = json.loads(capsys.readouterr().out)  # type: ignore[type-arg]
    return doc


def _set(base: Path, *lines: str) -> None:
    ini = next(p for p in sorted(base.rglob("*.ini")) if "needClientAuth" in p.read_text())
    ini.write_text(ini.read_text() + "".join(f"{line}\n" for line in lines))


@pytest.mark.parametrize("line", ["9.4", "12.1"])
@pytest.mark.parametrize("algorithm", ["HTTPS", "ldaps", "FOO"])
def test_an_unknown_endpoint_identification_algorithm_refuses_every_client(
    line: str,
    algorithm: str,
    tmp_path: Path,
    pki: Pki,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Java checks the client's address for HTTPS and LDAP(S) and throws 'Unknown
    identification algorithm' for anything else; lint took any value as HTTPS and accepted a
    client whose SAN holds its address."""
    home, base, port = prepared(line, tmp_path, pki, monkeypatch)
    init(base, home, port, "start.d", "need")
    _set(base, f"jetty.sslContext.endpointIdentificationAlgorithm={algorithm}")
    client = issue("root", pki.ca, eku=[ExtendedKeyUsageOID.CLIENT_AUTH], san_ip="127.0.0.1")
    cert, key = client.write_pem(tmp_path, "client", pki.ca.cert)
    doc = _lint(
        capsys, base, "--jetty-version", version_of(home), "--client-cert", str(cert),
        "--client-ip", "127.0.0.1",
    )  # fmt: skip
    (predicted,) = doc["client_certificates"]
    with running_jetty(home, base, port, timeout=40):
        real = accepted(port, cert, key)
    assert predicted["accepted"] is real is (algorithm != "FOO")
    if algorithm == "FOO":
        assert [p["rule"] for p in predicted["problems"]] == ["JC417"]
        assert "Unknown identification algorithm" in predicted["problems"][0]["message"]
