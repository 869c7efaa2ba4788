"""Stores jettycfg reads but Java cannot open (issue 8): real keytool (Java 17) decides; `store
list` must warn exactly when keytool fails to load the store or decrypt its key, and lint must
predict that Jetty does not start (JC308) exactly then."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jettycfg.cli import run
from tests.keytool import keytool, openssl

# (key PBE, certificate PBE) for `openssl pkcs12 -export`; keytool says which Java opens
SCHEMES = [
    ("AES-192-CBC", "AES-192-CBC"),
    ("AES-256-CBC", "AES-192-CBC"),
    ("AES-192-CBC", "AES-256-CBC"),
    ("AES-256-CBC", "AES-256-CBC"),
    ("AES-128-CBC", "AES-128-CBC"),
]


def _make(tmp_path: Path, keypbe: str, certpbe: str) -> Path:
    key, cert, p12 = tmp_path / "k.pem", tmp_path / "c.pem", tmp_path / "etc" / "ks.p12"
    p12.parent.mkdir()
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
            str(cert), "-subj", "/CN=pbes2", "-days", "30")  # fmt: skip
    openssl("pkcs12", "-export", "-in", str(cert), "-inkey", str(key), "-name", "srv",
            "-keypbe", keypbe, "-certpbe", certpbe, "-passout", "pass:changeit",
            "-out", str(p12))  # fmt: skip
    return p12


def _java_opens(p12: Path, copy: Path) -> bool:
    """keytool loads the store (-list) and decrypts its keys (-importkeystore), as Jetty's key
    manager does: -list alone never decrypts a key."""
    listed = keytool("-list", "-keystore", str(p12), "-storepass", "changeit", check=False)
    copied = keytool("-importkeystore", "-srckeystore", str(p12), "-srcstorepass", "changeit",
                     "-destkeystore", str(copy), "-deststorepass", "changeit",
                     "-deststoretype", "PKCS12", "-noprompt", check=False)  # fmt: skip
    return listed.returncode == 0 and copied.returncode == 0


@pytest.mark.parametrize(("keypbe", "certpbe"), SCHEMES, ids=["-".join(s) for s in SCHEMES])
def test_java_cannot_open_is_said_exactly_when_keytool_fails(
    keypbe: str,
    certpbe: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    require_keytool: None,
) -> None:
    p12 = _make(tmp_path, keypbe, certpbe)
    java_opens = _java_opens(p12, tmp_path / "copy.p12")
    capsys.readouterr()
    assert run(["store", "list", str(p12), "--storepass", "changeit"]) == 0
    text = capsys.readouterr().out
    assert ("Java cannot open this store" in text) is (not java_opens)
    assert run(["store", "list", str(p12), "--storepass", "changeit", "--format", "json"]) == 0
    assert (json.loads(capsys.readouterr().out)["java_cannot_open"] is None) is java_opens
    (tmp_path / "start.ini").write_text(
        "--module=ssl\n--module=https\n"
        + "".join(
            f"jetty.sslContext.{k}={v}\n"
            for k, v in {
                "keyStorePath": "etc/ks.p12",
                "trustStorePath": "etc/ks.p12",
                "keyStorePassword": "changeit",
                "trustStorePassword": "changeit",
                "keyManagerPassword": "changeit",
                "keyStoreType": "PKCS12",
                "trustStoreType": "PKCS12",
                "needClientAuth": "true",
            }.items()
        )
    )
    run(["lint", "--base", str(tmp_path), "--jetty-version", "9.4", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    rules = {f["rule"] for f in doc["findings"]}
    assert ("JC308" in rules) is (not java_opens)
    assert doc["summary"]["jetty_starts"] is java_opens
