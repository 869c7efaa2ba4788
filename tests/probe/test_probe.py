"""probe against a real Jetty 9.4 on 127.0.0.1, and against servers that are not one."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from jettycfg.cli import run
from tests.jettyrun import free_port, init_base, running_jetty
from tests.pki import Pki, issue, make_pki, write_stores
from tests.probe.servers import serving

PW = "probe-pw"


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


def make_base(
    folder: Path,
    pki: Pki,
    port: int,
    mode: str,
    monkeypatch: pytest.MonkeyPatch,
    truststore: str = "etc/truststore.p12",
    version: str = "9.4.57",
) -> Path:
    write_stores(pki, folder / "etc", PW.encode())
    monkeypatch.setenv("PROBE_PW", PW)
    init_base(
        folder, port, mode=mode, password_env="PROBE_PW", truststore=truststore, version=version
    )
    return folder


def probe_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    capsys.readouterr()
    code = run(["probe", *args, "--format", "json", "--timeout", "10"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.startswith("{") else {}


@pytest.mark.jetty
def test_need_mode_ca_names_and_verdicts(
    jetty_home: Path,
    tmp_path: Path,
    pki: Pki,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    port = free_port()
    base = make_base(tmp_path / "base", pki, port, "need", monkeypatch)
    client, _ = pki.client.write_pem(tmp_path, "client", pki.ca.cert)
    stranger, _ = pki.stranger.write_pem(tmp_path, "stranger")
    ca = tmp_path / "ca.pem"
    ca.write_bytes(pki.ca.cert.public_bytes(serialization.Encoding.PEM))
    target = f"127.0.0.1:{port}"
    with running_jetty(jetty_home, base, port):
        code, doc = probe_json(
            capsys, target, "--cafile", str(ca), "--base", str(base), "--jetty-version", "9.4.57"
        )
        assert doc["client_auth"] == "need"
        assert doc["acceptable_ca_names"] == [pki.ca.cert.subject.rfc4514_string()]
        assert doc["tls_version"] in ("TLSv1.3", "TLSv1.2")
        assert doc["server_chain_valid"] is True and doc["hostname_matches"] is True
        assert doc["server_certificates"][0]["subject"] == "CN=localhost"
        assert "JC504" not in {f["rule"] for f in doc["findings"]} and code == 0
        key = tmp_path / "client.key"
        code, doc = probe_json(
            capsys,
            target,
            "--client-cert",
            str(client),
            "--client-key",
            str(key),
            "--insecure",
            "--base",
            str(base),
            "--jetty-version",
            "9.4.57",
        )
        assert doc["client_certificate"]["accepted"] is True
        assert doc["client_certificate"]["joc_account"] == "root"
        assert doc["client_certificate"]["joc_login_problems"] == []
        assert doc["prediction"]["client_certificate_accepted"] is True and code == 0
        code, doc = probe_json(
            capsys,
            target,
            "--client-cert",
            str(stranger),
            "--client-key",
            str(tmp_path / "stranger.key"),
            "--insecure",
        )
        cert = doc["client_certificate"]
        assert cert["accepted"] is False and cert["alert"]
        assert "JC506" in {f["rule"] for f in doc["findings"]} and code == 1
        p12 = tmp_path / "client.p12"
        p12.write_bytes(
            pkcs12.serialize_key_and_certificates(
                b"root",
                pki.client.key,
                pki.client.cert,
                [pki.ca.cert],
                serialization.BestAvailableEncryption(b"p12-pass"),
            )
        )
        code, doc = probe_json(
            capsys, target, "--client-p12", str(p12), "--client-pass", "p12-pass", "--insecure"
        )
        assert doc["client_certificate"]["accepted"] is True and code == 0


@pytest.mark.jetty
@pytest.mark.parametrize(("mode", "observed"), [("want", "want"), ("off", "off")])
def test_want_and_off_are_observed(
    jetty_home: Path,
    tmp_path: Path,
    pki: Pki,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    mode: str,
    observed: str,
) -> None:
    port = free_port()
    base = make_base(tmp_path / "base", pki, port, mode, monkeypatch)
    with running_jetty(jetty_home, base, port):
        code, doc = probe_json(capsys, f"127.0.0.1:{port}", "--insecure")
    assert doc["client_auth"] == observed
    assert ("JC503" in {f["rule"] for f in doc["findings"]}) is (observed == "off")
    assert code == (1 if observed == "off" else 0)


@pytest.mark.jetty
def test_a_server_running_another_truststore_is_flagged(
    jetty_home: Path,
    tmp_path: Path,
    pki: Pki,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    port = free_port()
    running = make_base(tmp_path / "running", pki, port, "need", monkeypatch)
    other = make_pki("Another Root CA")  # same layout, another CA in the truststore
    on_disk = make_base(tmp_path / "on-disk", pki, port, "need", monkeypatch)
    write_stores(other, on_disk / "etc", PW.encode())
    with running_jetty(jetty_home, running, port):
        code, doc = probe_json(
            capsys,
            f"127.0.0.1:{port}",
            "--insecure",
            "--base",
            str(on_disk),
            "--jetty-version",
            "9.4.57",
        )
    assert code == 1
    jc504 = [f for f in doc["findings"] if f["rule"] == "JC504"]
    assert jc504 and "acceptable CA names differ" in jc504[0]["message"]


@pytest.mark.jetty
def test_keystore_as_truststore_is_flagged(
    jetty_home: Path,
    tmp_path: Path,
    pki: Pki,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    port = free_port()
    base = make_base(
        tmp_path / "base", pki, port, "need", monkeypatch, truststore="etc/keystore.p12"
    )
    with running_jetty(jetty_home, base, port):
        _, doc = probe_json(capsys, f"127.0.0.1:{port}", "--insecure")
    assert doc["acceptable_ca_names"] == ["CN=localhost"]
    assert "JC501" in {f["rule"] for f in doc["findings"]}


@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts connections and never says a word."""
    held: list[socket.socket] = []
    with serving(held.append) as port:
        yield port
    for conn in held:
        conn.close()


def _answer_400(conn: socket.socket) -> None:
    with conn:
        conn.recv(1024)
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")


@pytest.fixture
def plain_http_server() -> Iterator[int]:
    with serving(_answer_400) as port:
        yield port


def one_line_exit_2(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, float]:
    capsys.readouterr()
    start = time.monotonic()
    assert run(["probe", *args]) == 2
    elapsed = time.monotonic() - start
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("jettycfg: error: "), err
    return err, elapsed


def test_refused_timeout_not_tls_unknown_host(
    capsys: pytest.CaptureFixture[str], silent_server: int, plain_http_server: int
) -> None:
    err, _ = one_line_exit_2(capsys, f"127.0.0.1:{free_port()}", "--insecure")
    assert "refused" in err
    err, elapsed = one_line_exit_2(
        capsys, f"127.0.0.1:{silent_server}", "--insecure", "--timeout", "1"
    )
    assert "timeout" in err and elapsed < 3
    err, _ = one_line_exit_2(capsys, f"127.0.0.1:{plain_http_server}", "--insecure")
    assert "not a TLS port" in err
    err, _ = one_line_exit_2(capsys, "no-such-host.invalid:443", "--insecure", "--timeout", "5")
    assert "cannot resolve" in err


def test_wrong_client_key_password(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, silent_server: int
) -> None:
    leaf = issue("someone")
    cert = tmp_path / "c.pem"
    cert.write_bytes(leaf.cert.public_bytes(serialization.Encoding.PEM))
    key = tmp_path / "c.key"
    key.write_bytes(
        leaf.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"right-one"),
        )
    )
    err, _ = one_line_exit_2(
        capsys,
        f"127.0.0.1:{silent_server}",
        "--client-cert",
        str(cert),
        "--client-key",
        str(key),
        "--client-pass",
        "wrong-one",
        "--insecure",
        "--timeout",
        "2",
    )
    assert "client key" in err and "wrong-one" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["joc..example.com:4443"], "not a valid host name"),  # IDNA: empty label
        ([f"{'a' * 64}.example.com:4443"], "not a valid host name"),  # label > 63
        (["127.0.0.1:1", "--servername", "a..b"], "--servername"),
        (["127.0.0.1:1", "--timeout", "nan"], "--timeout"),
        (["127.0.0.1:99999"], "not a TCP port"),
        # the review of stop 21: guessed (443, 33823, an unclosed bracket), or refused only
        # after the server was contacted
        (["127.0.0.1:", "--insecure"], "not HOST[:PORT]"),
        (["127.0.0.1:33_823", "--insecure"], "not HOST[:PORT]"),
        (["[::1:443", "--insecure"], "not HOST[:PORT]"),
        (["127.0.0.1:1", "--servername", "bad name", "--insecure"], "not a valid host name"),
        (["127.0.0.1:1", "--insecure", "--client-cert", "{crt}"], "holds no private key"),
        (["127.0.0.1:1", "--insecure", "--base", "{missing}"], "does not exist"),
        (
            ["127.0.0.1:1", "--insecure", "--client-cert", "{crt}", "--client-key", "{enc}"],
            "the client key is encrypted",
        ),
    ],
)
def test_bad_probe_input_is_one_line_exit_2_before_any_connection(
    args: list[str],
    message: str,
    pki: Pki,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Internal errors before (UnicodeError from the socket layer, ValueError for a NaN
    timeout); an encrypted --client-key without --client-pass fell through to OpenSSL's own
    passphrase prompt (waiting on a terminal)."""
    import socket as sockets

    def no_network(*_: object, **__: object) -> None:
        raise AssertionError("probe connected before refusing its input")

    monkeypatch.setattr(sockets, "create_connection", no_network)
    pem = serialization.Encoding.PEM
    (tmp_path / "c.crt").write_bytes(pki.client.cert.public_bytes(pem))
    (tmp_path / "enc.key").write_bytes(
        pki.client.key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"x")
        )
    )
    files = {
        "crt": str(tmp_path / "c.crt"),
        "enc": str(tmp_path / "enc.key"),
        "missing": str(tmp_path / "no-base"),
    }
    capsys.readouterr()
    assert run(["probe", *[a.format(**files) for a in args]]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err


def test_an_ipv6_target_is_named_in_brackets(capsys: pytest.CaptureFixture[str]) -> None:
    """'::1:33823: connection refused' did not say where the address ends."""
    err, _ = one_line_exit_2(capsys, f"[::1]:{free_port()}", "--insecure", "--timeout", "3")
    assert "[::1]:" in err
