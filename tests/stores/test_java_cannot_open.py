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


def _pbmac1(src: Path, dst: Path, password: str) -> None:
    """Re-seal an OpenSSL-made PKCS#12 file with a PBMAC1 MAC (RFC 9579: PBKDF2-HmacSHA256,
    32-byte key, HmacSHA256; macSalt unused, iterations 1) - OpenSSL 3.0 cannot write one."""
    import hashlib
    import hmac

    from jettycfg.stores import asn1

    version, content_info = asn1.parse(src.read_bytes()).children()[:2]
    auth_safe = content_info.children()[1].children()[0].octets()
    salt, rounds = b"0123456789abcdef", 2048
    key = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, rounds, 32)
    hmac_sha256 = asn1.seq(asn1.oid("1.2.840.113549.2.9"), asn1.null())
    kdf = asn1.seq(
        asn1.oid("1.2.840.113549.1.5.12"),
        asn1.seq(asn1.octets(salt), asn1.integer(rounds), asn1.integer(32), hmac_sha256),
    )
    alg = asn1.seq(asn1.oid("1.2.840.113549.1.5.14"), asn1.seq(kdf, hmac_sha256))
    digest = hmac.new(key, auth_safe, "sha256").digest()
    mac_data = asn1.seq(
        asn1.seq(alg, asn1.octets(digest)), asn1.octets(b"NOT USED"), asn1.integer(1)
    )
    dst.write_bytes(asn1.seq(version.raw, content_info.raw, mac_data))


def test_pbmac1_store_is_read_and_said_java_cannot_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], require_keytool: None
) -> None:
    sealed = tmp_path / "pbmac1.p12"
    _pbmac1(_make(tmp_path, "AES-256-CBC", "AES-256-CBC"), sealed, "changeit")
    assert not _java_opens(sealed, tmp_path / "copy.p12")  # Java 17 knows no PBMAC1
    capsys.readouterr()
    assert run(["store", "list", str(sealed), "--storepass", "changeit"]) == 0
    out = capsys.readouterr().out
    assert "Integrity:              PBMAC1/PBKDF2-HmacSHA256/HmacSHA256" in out
    assert "Java cannot open this store" in out and "Alias:       srv" in out
    assert run(["store", "list", str(sealed), "--storepass", "wrong"]) == 2
