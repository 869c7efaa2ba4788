"""Interoperability with the real keytool and openssl: entry for entry, both directions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jettycfg.cli import run
from tests.keytool import jettycfg_entries, keytool, keytool_entries, openssl
from tests.stores.conftest import Material

pytestmark = [pytest.mark.keytool, pytest.mark.usefixtures("require_keytool")]
PW = ["--storepass", "changeit"]


def listed(store: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict:  # type: ignore[type-arg]
    capsys.readouterr()
    assert run(["store", "list", str(store), "--format", "json", *extra]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def assert_keytool_agrees(
    store: Path, capsys: pytest.CaptureFixture[str], password: str = "changeit"
) -> None:
    ours = jettycfg_entries(listed(store, capsys, "--storepass", password))
    theirs = keytool_entries(store, password)
    assert ours == theirs
    for alias in theirs:  # keytool can export every entry
        pem = keytool(
            "-exportcert",
            "-rfc",
            "-alias",
            alias,
            "-keystore",
            str(store),
            "-storepass",
            password,
        ).stdout
        assert "BEGIN CERTIFICATE" in pem


def keytool_keystore(folder: Path, name: str, *extra: str) -> Path:
    store = folder / name
    for alias, alg in (("rsa-key", "RSA"), ("ec-key", "EC")):
        keytool(
            "-genkeypair",
            "-alias",
            alias,
            "-keyalg",
            alg,
            "-dname",
            f"CN={alias}",
            "-keystore",
            str(store),
            "-storepass",
            "changeit",
            "-keypass",
            "changeit",
            "-validity",
            "30",
            *extra,
        )
    return store


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("trust.p12", []),
        ("trust-legacy.p12", ["--legacy"]),
        ("trust.jks", ["--type", "jks"]),
    ],
)
def test_import_creates_stores_keytool_reads(
    material: Material, capsys: pytest.CaptureFixture[str], name: str, args: list[str]
) -> None:
    store = material.folder / name
    assert run(["store", "import", str(store), str(material.bundle), *args, *PW]) == 0
    assert (store.stat().st_mode & 0o777) == 0o600
    assert_keytool_agrees(store, capsys)
    assert len(keytool_entries(store)) == 3


def test_edits_keep_keytool_agreeing(
    material: Material, capsys: pytest.CaptureFixture[str]
) -> None:
    src = keytool_keystore(material.folder, "src.p12", "-storetype", "PKCS12")
    for fmt, dst in (("jks", "conv.jks"), ("pkcs12", "conv.p12"), ("pkcs12", "conv-legacy.p12")):
        target = material.folder / dst
        legacy = ["--legacy"] if "legacy" in dst else []
        assert run(["store", "convert", str(src), str(target), "--to", fmt, *legacy, *PW]) == 0
        assert_keytool_agrees(target, capsys)
        assert set(keytool_entries(target)) == {"rsa-key", "ec-key"}
        assert run(["store", "import", str(target), str(material.bundle), *PW]) == 0
        assert_keytool_agrees(target, capsys)
        assert run(["store", "remove", str(target), "test ca 1", *PW]) == 0
        assert run(["store", "rename", str(target), "rsa-key", "renamed", *PW]) == 0
        assert_keytool_agrees(target, capsys)
        assert set(keytool_entries(target)) == {"renamed", "ec-key", "test ca 0", "test ca 2"}
        assert run(["store", "passwd", str(target), *PW, "--new-storepass", "n3w-pass"]) == 0
        assert_keytool_agrees(target, capsys, "n3w-pass")
        theirs = keytool_entries(target, "n3w-pass")
        assert len(theirs) == 4
        # The key survived. PKCS#12: its password followed the store's (Java requires it);
        # JKS: key passwords stay as they were, as with keytool -storepasswd.
        keypass = "changeit" if fmt == "jks" else "n3w-pass"
        keytool(
            "-certreq",
            "-alias",
            "ec-key",
            "-keystore",
            str(target),
            "-storepass",
            "n3w-pass",
            "-keypass",
            keypass,
        )


def test_stores_keytool_writes_are_read(
    material: Material, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = material.folder
    made = {
        "java17.p12": keytool_keystore(folder, "java17.p12", "-storetype", "PKCS12"),
        "legacy.p12": keytool_keystore(
            folder, "legacy.p12", "-storetype", "PKCS12", "-J-Dkeystore.pkcs12.legacy"
        ),
        "store.jks": keytool_keystore(folder, "store.jks", "-storetype", "JKS"),
    }
    for name, store in made.items():
        extra = ["-J-Dkeystore.pkcs12.legacy"] if name == "legacy.p12" else []
        keytool(
            "-importcert",
            "-noprompt",
            "-alias",
            "ca",
            "-file",
            str(material.bundle),
            "-keystore",
            str(store),
            "-storepass",
            "changeit",
            *extra,
        )
        doc = listed(store, capsys, *PW)
        assert jettycfg_entries(doc) == keytool_entries(store)
        assert doc["protection"]["legacy"] is (name != "java17.p12")


def test_openssl_stores(material: Material, capsys: pytest.CaptureFixture[str]) -> None:
    folder = material.folder
    cases = {
        "nokeys.p12": ["-nokeys", "-in", str(material.bundle)],
        "nokeys-legacy.p12": ["-legacy", "-nokeys", "-in", str(material.bundle)],
        "withkey.p12": [
            "-in",
            str(material.server_pem),
            "-inkey",
            str(material.server_key),
            "-name",
            "server",
        ],
        "withkey-legacy.p12": [
            "-legacy",
            "-in",
            str(material.server_pem),
            "-inkey",
            str(material.server_key),
            "-name",
            "server",
        ],
    }
    for name, args in cases.items():
        store = folder / name
        openssl("pkcs12", "-export", "-out", str(store), "-passout", "pass:changeit", *args)
        doc = listed(store, capsys, *PW)
        assert jettycfg_entries(doc) == keytool_entries(store), name
        ignored = [e for e in doc["entries"] if e["kind"] == "certificate-java-ignores"]
        assert len(ignored) == (3 if "nokeys" in name else 0), name


def test_repair_trust_makes_openssl_truststore_visible(
    material: Material, capsys: pytest.CaptureFixture[str]
) -> None:
    store = material.folder / "openssl-trust.p12"
    openssl(
        "pkcs12",
        "-export",
        "-nokeys",
        "-in",
        str(material.bundle),
        "-out",
        str(store),
        "-passout",
        "pass:changeit",
    )
    assert keytool_entries(store) == {}
    capsys.readouterr()
    assert run(["store", "repair-trust", str(store), "--dry-run", *PW]) == 0
    assert "would mark" in capsys.readouterr().out and keytool_entries(store) == {}
    assert run(["store", "repair-trust", str(store), "--backup", *PW]) == 0
    assert len(keytool_entries(store)) == 3
    assert_keytool_agrees(store, capsys)
    assert keytool_entries(store.with_name(store.name + ".bak")) == {}


def test_debian_cacerts_fingerprints(capsys: pytest.CaptureFixture[str]) -> None:
    cacerts = Path("/etc/ssl/certs/java/cacerts")
    if not cacerts.exists():
        pytest.fail("Debian's Java cacerts is missing (ca-certificates-java)")
    ours = jettycfg_entries(listed(cacerts, capsys, *PW))
    assert len(ours) > 100
    assert ours == keytool_entries(cacerts)


def test_pyjks_reads_our_jks(material: Material) -> None:
    import jks  # pyjks: an independent reader, test-only

    src = keytool_keystore(material.folder, "src.p12", "-storetype", "PKCS12")
    target = material.folder / "ours.jks"
    assert run(["store", "convert", str(src), str(target), *PW]) == 0
    assert run(["store", "import", str(target), str(material.bundle), *PW]) == 0
    ks = jks.KeyStore.load(str(target), "changeit")
    assert set(ks.private_keys) == {"rsa-key", "ec-key"}
    assert set(ks.certs) == {"test ca 0", "test ca 1", "test ca 2"}
    for entry in ks.private_keys.values():
        assert entry.is_decrypted() and entry.pkey


def test_jceks_and_passwordless_pkcs12(
    material: Material, capsys: pytest.CaptureFixture[str]
) -> None:
    jceks = keytool_keystore(material.folder, "store.jceks", "-storetype", "JCEKS")
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        str(material.bundle),
        "-storetype",
        "JCEKS",
        "-keystore",
        str(jceks),
        "-storepass",
        "changeit",
    )
    doc = listed(jceks, capsys, *PW)
    assert doc["format"] == "JCEKS"
    assert jettycfg_entries(doc) == keytool_entries(jceks, "changeit", "-storetype", "JCEKS")
    # JCEKS keys (PBEWithMD5AndTripleDES) decrypt: convert keeps them usable for keytool
    converted = material.folder / "from-jceks.p12"
    assert run(["store", "convert", str(jceks), str(converted), *PW]) == 0
    assert_keytool_agrees(converted, capsys)
    keytool("-certreq", "-alias", "rsa-key", "-keystore", str(converted), "-storepass", "changeit")
    nopw = material.folder / "nopw.p12"
    openssl(
        "pkcs12",
        "-export",
        "-nokeys",
        "-in",
        str(material.bundle),
        "-certpbe",
        "NONE",
        "-nomac",
        "-passout",
        "pass:",
        "-out",
        str(nopw),
    )
    doc = listed(nopw, capsys)  # no password needed, none asked
    assert [e["kind"] for e in doc["entries"]] == ["certificate-java-ignores"] * 3
    assert doc["protection"]["integrity"] == "none"
