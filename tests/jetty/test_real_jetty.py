"""Real Jetty 9.4: a base made by `init` starts and serves TLS; client-auth modes behave."""

from __future__ import annotations

from pathlib import Path

import pytest

from jettycfg.cli import run
from tests.jettyrun import accepted, exchange, free_port, https_get, init_base, running_jetty
from tests.pki import Pki, make_pki, write_stores

pytestmark = pytest.mark.jetty


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


def _init_base(
    tmp_path: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch, mode: str
) -> tuple[Path, int]:
    base = tmp_path / "base"
    write_stores(pki, base / "etc", b"s3cret-pw")
    port = free_port()
    monkeypatch.setenv("TEST_STOREPASS", "s3cret-pw")
    init_base(base, port, mode=mode, password_env="TEST_STOREPASS")
    return base, port


def outcome(port: int, cert: Path | None = None, key: Path | None = None) -> tuple[bool, bool]:
    """(connected, the client sent its certificate because the server asked for one)."""
    try:
        _, sent = exchange(port, cert, key)
    except OSError:
        return False, False
    return True, sent


def _pem(tmp_path: Path, pki: Pki) -> dict[str, tuple[Path, Path]]:
    return {
        "client": pki.client.write_pem(tmp_path, "client", pki.ca.cert),
        "stranger": pki.stranger.write_pem(tmp_path, "stranger"),
    }


def test_init_base_starts_and_serves_tls(
    jetty_home: Path, tmp_path: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, port = _init_base(tmp_path, pki, monkeypatch, "off")
    with running_jetty(jetty_home, base, port):
        status = https_get(port)
    assert status.startswith("HTTP/1.1 ")


@pytest.mark.parametrize("truststore", ["trust.p12", "trust.jks"])
def test_truststore_made_by_store_import_is_used_by_jetty(
    jetty_home: Path, tmp_path: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch, truststore: str
) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding

    base = tmp_path / "base"
    write_stores(pki, base / "etc", b"s3cret-pw")
    (base / "etc" / "truststore.p12").unlink()
    ca_pem = tmp_path / "ca.pem"
    ca_pem.write_bytes(pki.ca.cert.public_bytes(Encoding.PEM))
    monkeypatch.setenv("TEST_STOREPASS", "s3cret-pw")
    target = base / "etc" / truststore
    assert (
        run(["store", "import", str(target), str(ca_pem), "--storepass-env", "TEST_STOREPASS"]) == 0
    )
    port = free_port()
    init_base(
        base, port, mode="need", password_env="TEST_STOREPASS", truststore=f"etc/{truststore}"
    )
    certs = _pem(tmp_path, pki)
    with running_jetty(jetty_home, base, port):
        assert accepted(port, *certs["client"])
        assert not accepted(port, *certs["stranger"])
        assert not accepted(port)


def test_init_generates_a_keystore_jetty_serves(
    jetty_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import ssl

    base = tmp_path / "fresh"
    port = free_port()
    monkeypatch.setenv("GEN_PW", "gen-pass-1")
    argv = [
        "init",
        "--base",
        str(base),
        "--jetty-version",
        "9.4",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--keystore",
        "etc/server.p12",
        "--keystore-password-env",
        "GEN_PW",
        "--client-auth",
        "off",
        "--generate-keystore",
        "--hostname",
        "joc.example",
        "--hostname",
        "127.0.0.1",
    ]
    assert run([*argv, "--dry-run"]) == 0
    assert "binary file" in capsys.readouterr().out and not base.exists()
    assert run(argv) == 0
    keystore = base / "etc" / "server.p12"
    assert (keystore.stat().st_mode & 0o777) == 0o600
    # 9.4 defaults the truststore to etc/keystore: point it at the generated store for this test
    assert (
        run(["ini", "set", "--base", str(base), "jetty.sslContext.trustStorePath=etc/server.p12"])
        == 0
    )
    with running_jetty(jetty_home, base, port):
        pem = ssl.get_server_certificate(("127.0.0.1", port))
    from cryptography import x509

    served = x509.load_pem_x509_certificate(pem.encode())
    san = served.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["joc.example"]
    # re-initialising a base that serves TLS is judged by the start guard: the truststore the
    # base uses now must stay named (else JC301: refused, nothing written)
    assert run([*argv, "--force"]) == 2
    assert "JC301" in capsys.readouterr().err
    trust = ["--truststore", "etc/server.p12", "--truststore-password-env", "GEN_PW"]
    assert run([*argv, "--force", *trust]) == 0  # keystore exists: kept, not regenerated
    assert "not generated" in capsys.readouterr().err
