"""probe where the handshake ends early or the client certificate is odd, against real Jetty:
a TLS 1.2 server in need mode (Jetty 12.1), a server-chain check cut short, the account JOC's
own code reads (not the first CN), and a certificate the TLS client never sent."""

from __future__ import annotations

import datetime as dt
import json
import socket
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from jettycfg.cli import run
from jettycfg.probe.messages import ProbeError
from jettycfg.probe.run import ProbeOptions
from jettycfg.probe.server import judge_server
from tests.conftest import require_jetty_home
from tests.jettyrun import free_port, running_jetty
from tests.pki import NOW, Pki, make_pki
from tests.probe.servers import serving
from tests.probe.test_probe import make_base

PW = "probe-pw"
A = x509.NameAttribute


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


def _probe(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    """(exit code, JSON, text) of the same probe."""
    capsys.readouterr()
    code = run(["probe", *args, "--format", "json", "--timeout", "10"])
    doc = json.loads(capsys.readouterr().out)
    assert run(["probe", *args, "--timeout", "10"]) == code
    return code, doc, capsys.readouterr().out


def _client(
    pki: Pki, folder: Path, name: str, subject: x509.Name, use_dsa: bool = False
) -> list[str]:
    """--client-cert/--client-key options for a certificate of ``subject`` the test CA issued."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cryptography deprecates DSA; Java still takes it
        key = dsa.generate_private_key(2048) if use_dsa else ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(pki.ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(pki.ca.key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    (folder / f"{name}.crt").write_bytes(cert.public_bytes(pem))
    (folder / f"{name}.key").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return [
        "--client-cert",
        str(folder / f"{name}.crt"),
        "--client-key",
        str(folder / f"{name}.key"),
    ]


@pytest.mark.jetty
def test_tls12_need_server_is_reported_from_the_handshake_it_breaks_off(
    tmp_path: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Jetty 12.1 that speaks only TLS 1.2 aborts the handshake of a client without a
    certificate - after sending its version, cipher and chain. probe said 'None, None', an
    empty chain, 'not checked', and missed the keystore used as truststore (JC501, exit 0)."""
    home = require_jetty_home("12.1")
    port = free_port()
    version = home.name.rsplit("-", 1)[1]
    base = make_base(tmp_path / "base", pki, port, "need", monkeypatch, "etc/keystore.p12", version)
    ini = next(p for p in sorted(base.rglob("*.ini")) if "needClientAuth" in p.read_text())
    ini.write_text(ini.read_text() + "jetty.sslContext.includeProtocols=TLSv1.2\n")
    server_ca = tmp_path / "server-ca.pem"
    server_ca.write_bytes(pki.ca.cert.public_bytes(serialization.Encoding.PEM))
    stranger = tmp_path / "stranger.pem"
    stranger.write_bytes(pki.stranger.cert.public_bytes(serialization.Encoding.PEM))
    target = f"127.0.0.1:{port}"
    with running_jetty(home, base, port, timeout=40):
        code, doc, text = _probe(capsys, target, "--cafile", str(server_ca))
        assert doc["tls_version"] == "TLSv1.2" and doc["cipher"] and doc["client_auth"] == "need"
        assert [c["subject"] for c in doc["server_certificates"]] == [
            "CN=localhost",
            "CN=Test Root CA",
        ]
        assert doc["server_chain_valid"] is True and doc["hostname_matches"] is True
        assert "JC501" in {f["rule"] for f in doc["findings"]} and code == 1
        assert f"probe {target}: TLSv1.2, {doc['cipher']}" in text and "None" not in text
        code, doc, _ = _probe(capsys, target, "--cafile", str(stranger))
        assert doc["server_chain_valid"] is False
        assert {"JC501", "JC505"} <= {f["rule"] for f in doc["findings"]}


@pytest.fixture
def closing_server() -> Iterator[int]:
    """Accepts a connection and closes it at once, before any TLS."""
    with serving(socket.socket.close) as port:
        yield port


def test_a_server_chain_check_cut_short_is_not_a_valid_chain(pki: Pki, closing_server: int) -> None:
    """The check is one more handshake against --cafile; a connection broken off before the
    server's Certificate message came (or a timeout) said 'chain valid: yes'."""
    options = ProbeOptions("127.0.0.1", closing_server)
    valid, _ = judge_server([pki.server.cert], options, time.monotonic() + 5)
    assert valid is None
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    try:
        options = ProbeOptions("127.0.0.1", silent.getsockname()[1])
        with pytest.raises(ProbeError, match="no TLS handshake within the timeout"):
            judge_server([pki.server.cert], options, time.monotonic() + 0.5)
    finally:
        silent.close()


@pytest.mark.jetty
def test_client_account_is_what_jocs_code_reads_and_unsent_is_not_rejected(
    jetty_home: Path,
    tmp_path: Path,
    pki: Pki,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Jetty accepts all three; JOC reads no account from C=DE+CN=root, cuts 'adm:in' at ':'
    and reads a BMPString 'root' as '\\0r\\0o\\0o\\0t' on Java 17 - probe said 'JOC account:
    root' / 'adm:in'. A DSA certificate the TLS 1.3 client cannot sign with was 'REJECTED'
    with JC506, and with --base a JC504 'server rejected it'."""
    port = free_port()
    base = make_base(tmp_path / "base", pki, port, "need", monkeypatch)
    cases = {
        "multi": (
            x509.Name(
                [
                    x509.RelativeDistinguishedName(
                        [A(NameOID.COMMON_NAME, "root"), A(NameOID.COUNTRY_NAME, "DE")]
                    )
                ]
            ),
            None,
            "JC460",
        ),
        "colon": (x509.Name([A(NameOID.COMMON_NAME, "adm:in")]), "adm:in", "JC460"),
        "bmp": (
            x509.Name([A(NameOID.COMMON_NAME, "root", _type=_ASN1Type.BMPString)]),
            "\0r\0o\0o\0t",
            "JC466",
        ),
        "plain": (x509.Name([A(NameOID.COMMON_NAME, "root")]), "root", None),
    }
    target = f"127.0.0.1:{port}"
    with running_jetty(jetty_home, base, port):
        for name, (subject, account, rule) in cases.items():
            options = _client(pki, tmp_path, name, subject)
            code, doc, text = _probe(capsys, target, *options, "--insecure")
            client = doc["client_certificate"]
            assert client["accepted"] is True and client["joc_account"] == account, name
            assert [p.split()[0] for p in client["joc_login_problems"]] == ([rule] if rule else [])
            assert code == 0 and "ACCEPTED" in text
            if rule:
                assert f"  JOC login: {rule} " in text
        options = _client(pki, tmp_path, "dsa", x509.Name([A(NameOID.COMMON_NAME, "root")]), True)
        code, doc, text = _probe(
            capsys, target, *options, "--insecure", "--base", str(base), "--jetty-version", "9.4.57"
        )
        client = doc["client_certificate"]
        assert doc["tls_version"] == "TLSv1.3" and client["sent"] is False
        assert client["accepted"] is False and "NOT SENT by the TLS client" in text
        assert not {"JC506", "JC504"} & {f["rule"] for f in doc["findings"]}, doc["findings"]


@pytest.mark.jetty
def test_sni_host_check_refusal_is_reported(
    any_jetty_home: Path,
    tmp_path: Path,
    pki: Pki,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A name the server certificate does not hold (its SAN: localhost, 127.0.0.1): Jetty's
    SecureRequestCustomizer answers HTTP 400 "Invalid SNI" to every request - JC507. The
    server's own name is answered normally."""
    from jettycfg.jetty.version import detect_version

    version = str(detect_version(any_jetty_home))
    port = free_port()
    base = make_base(tmp_path / "base", pki, port, "want", monkeypatch, version=version)
    target = f"127.0.0.1:{port}"
    with running_jetty(any_jetty_home, base, port, timeout=40):
        code, doc, text = _probe(capsys, target, "--insecure", "--servername", "wrong.example")
        refused = "JC507" in {f["rule"] for f in doc["findings"]}
        status = doc["http_status"]
        _, fine, _ = _probe(capsys, target, "--insecure", "--servername", "localhost")
    assert fine["http_status"].startswith("HTTP/1.1 ") and " 400 " not in fine["http_status"]
    assert "JC507" not in {f["rule"] for f in fine["findings"]}
    assert refused == (not version.startswith("9.")), (version, status)
    if refused:
        assert " 400 " in status and code == 1 and "wrong.example" in text
