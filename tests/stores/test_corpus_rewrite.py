"""Rewrites of the public store corpus (issue 8): every store keytool lists is converted (to
PKCS#12 and to JKS) and re-passworded by jettycfg, and the real keytool reads each result back
with the same entries (aliases, kinds, SHA-256) it listed in the original; what jettycfg does not
write is refused with one line and nothing written, each with the reason it must name."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from jettycfg.cli import run
from tests.keytool import keytool, keytool_entries

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "stores"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["stores"]
VERDICTS = json.loads((CORPUS / "verdicts.json").read_text(encoding="utf-8"))["stores"]
STORES = [m for m in MANIFEST if "error" not in VERDICTS[m["file"]]]
PYCA = [m for m in STORES if m["file"].startswith("pyca/")]
JCEKS_SECRET = "pyjks/jceks_AES128.jceks"
UNLINKED = ("pyjks/jks_RSA2048_3certs.jks", "pyjks/jceks_RSA2048_3certs.jceks")
SECRET_KEYS = "vertx/digest-keystore.p12"  # HMAC secret keys in PKCS#12 SecretBags
# key passwords nobody published (keytool -importkeystore cannot open them either)
KEY_PASS_UNKNOWN = {
    "vertx/multiple-alias-password.jks": "wrong key password",
    "spring-boot/metrics-chains.p12": "cannot decrypt the private key",
}


# Refusals that keep Java's view (issue 8), each with the words the one-line error must carry:
# a key without certificate cannot go into PKCS#12 (nothing to pair it with) nor JKS; certificates
# Java ignores in a PKCS#12 file would become trusted entries in JKS; a key chain that is not
# issuer-linked would come back from PKCS#12 as a chain of one; secret keys have no place.
REFUSED = {
    ("pyca/no-cert-key-aes256cbc.p12", "pkcs12"): "has no certificate",
    # in JKS, Java (keytool) would list it as a SecretKeyEntry
    ("pyca/no-cert-key-aes256cbc.p12", "jks"): "has no certificate",
    **{
        (m["file"], "jks"): "certificates Java ignores"
        for m in PYCA
        if any(c in m["file"] for c in ("name-1-pwd", "name-2", "name-3", "name-all", "no-name"))
        or "unicode-pwd" in m["file"]
        or not VERDICTS[m["file"]]["entries"]  # keytool lists none: Java ignores every one
    },
    ("netty/rsaValidations-server-keystore.p12", "jks"): "certificates Java ignores",
    **{(f, "pkcs12"): "not issuer-linked" for f in UNLINKED},
    **{(JCEKS_SECRET, fmt): "secret-key entries are not supported" for fmt in ("pkcs12", "jks")},
    **{(SECRET_KEYS, fmt): "secret-key entry" for fmt in ("pkcs12", "jks")},
    **{(f, fmt): why for f, why in KEY_PASS_UNKNOWN.items() for fmt in ("pkcs12", "jks")},
}


# keytool -storepasswd fails on these too (a key without chain: NullPointerException; a PKCS#12
# key under another password: UnrecoverableKeyException)
PASSWD_REFUSED = {
    "pyca/no-cert-key-aes256cbc.p12": "has no certificate",
    "spring-boot/metrics-chains.p12": "cannot decrypt the private key",
}
# jettycfg writes no JCEKS (keytool does) and keeps no secret keys: refused, nothing written
PASSWD_NOT_WRITTEN = {
    **{
        m["file"]: "cannot write JCEKS"
        for m in STORES
        if m["file"].endswith((".jceks", ".jce")) and m["file"] != JCEKS_SECRET
    },
    JCEKS_SECRET: "secret-key entries are not supported",
    SECRET_KEYS: "secret-key entry",
}


def _truth(item: dict[str, str]) -> dict[str, tuple[str, str]]:
    return {e["alias"]: (e["kind"], e["sha256"]) for e in VERDICTS[item["file"]]["entries"]}


@pytest.mark.parametrize("item", STORES, ids=[m["file"] for m in STORES])
def test_rewritten_store_read_back_by_keytool_with_the_same_entries(
    item: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    require_keytool: None,
) -> None:
    src = CORPUS / item["file"]
    pw = ["--storepass", item["password"]]
    keypass = ["--keypass", item["keypass"]] if "keypass" in item else []
    for fmt in ("pkcs12", "jks"):
        dst = tmp_path / f"out.{fmt}"
        args = ["store", "convert", str(src), str(dst), "--to", fmt, *pw, *keypass]
        capsys.readouterr()
        code = run([*args, "--deststorepass", "changeit"])
        if (item["file"], fmt) in REFUSED:
            err = capsys.readouterr().err
            assert code == 2 and not dst.exists() and REFUSED[item["file"], fmt] in err, err
            assert err.count("jettycfg: error:") == 1 and "Traceback" not in err
            continue
        assert code == 0, fmt
        assert keytool_entries(dst, "changeit") == _truth(item), fmt
    copy = tmp_path / src.name
    shutil.copyfile(src, copy)
    capsys.readouterr()
    code = run(["store", "passwd", str(copy), *pw, "--new-storepass", "n3w-pass"])
    err = capsys.readouterr().err
    refused = PASSWD_REFUSED.get(item["file"]) or PASSWD_NOT_WRITTEN.get(item["file"])
    if refused is not None:
        assert code == 2 and copy.read_bytes() == src.read_bytes() and refused in err, err
        if item["file"] in PASSWD_REFUSED:  # and the real keytool cannot do it either
            theirs = keytool("-storepasswd", "-keystore", str(copy), "-storepass", item["password"],
                             "-new", "n3w-pass", check=False)  # fmt: skip
            assert theirs.returncode != 0
        return
    # no --keypass needed: JKS keys keep their own passwords, as keytool -storepasswd keeps them
    assert code == 0, err
    assert keytool_entries(copy, "n3w-pass") == _truth(item)
    if keypass:  # the key still opens with its own password, not the new store password
        dst = tmp_path / "again.p12"
        again = ["store", "convert", str(copy), str(dst), "--to", "pkcs12", "--storepass"]
        assert run([*again, "n3w-pass", *keypass, "--deststorepass", "changeit"]) == 0
        assert keytool_entries(dst, "changeit") == _truth(item)
        assert run([*again, "n3w-pass", "--deststorepass", "x", "--dry-run"]) == 2


JCEKS = [m for m in MANIFEST if m["file"].endswith(".jceks")][:2]


@pytest.mark.parametrize("item", JCEKS, ids=[m["file"] for m in JCEKS])
def test_jceks_write_is_refused_before_anything_is_printed_as_done(
    item: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "store.jceks"
    shutil.copyfile(CORPUS / item["file"], copy)
    before = copy.read_bytes()
    capsys.readouterr()
    pw = ["--storepass", item["password"]]
    assert run(["store", "passwd", str(copy), *pw, "--new-storepass", "n3w-pass"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and copy.read_bytes() == before
    dst = tmp_path / "out.jceks"
    assert run(["store", "convert", str(CORPUS / item["file"]), str(dst), *pw]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and not dst.exists()
