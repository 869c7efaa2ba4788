"""Rewrites of the public store corpus (issue 8): every store keytool lists is converted (to
PKCS#12 and to JKS) and re-passworded by jettycfg, and the real keytool reads each result back
with the same entries (aliases, kinds, SHA-256) it listed in the original; a store jettycfg
cannot write (JCEKS) is refused before anything is printed as done."""

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
PYCA = [
    m
    for m in MANIFEST
    if m["file"].startswith("pyca/")
    and "error" not in VERDICTS[m["file"]]
    and VERDICTS[m["file"]]["entries"]
]


# Refusals that keep Java's view (issue 8), each with the words the one-line error must carry:
# a key without certificate cannot go into PKCS#12 (nothing to pair it with) nor JKS; certificates
# Java ignores in a PKCS#12 file would become trusted entries in JKS.
REFUSED = {
    ("pyca/no-cert-key-aes256cbc.p12", "pkcs12"): "has no certificate",
    # in JKS, Java (keytool) would list it as a SecretKeyEntry
    ("pyca/no-cert-key-aes256cbc.p12", "jks"): "has no certificate",
    **{
        (m["file"], "jks"): "certificates Java ignores"
        for m in PYCA
        if any(c in m["file"] for c in ("name-1-pwd", "name-2", "name-3", "name-all", "no-name"))
        or "unicode-pwd" in m["file"]
    },
}


# keytool -storepasswd fails on it too (NullPointerException: a key without chain)
PASSWD_REFUSED = {"pyca/no-cert-key-aes256cbc.p12"}


def _truth(item: dict[str, str]) -> dict[str, tuple[str, str]]:
    return {e["alias"]: (e["kind"], e["sha256"]) for e in VERDICTS[item["file"]]["entries"]}


@pytest.mark.parametrize("item", PYCA, ids=[m["file"] for m in PYCA])
def test_rewritten_store_read_back_by_keytool_with_the_same_entries(
    item: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    require_keytool: None,
) -> None:
    src = CORPUS / item["file"]
    pw = ["--storepass", item["password"]]
    for fmt in ("pkcs12", "jks"):
        dst = tmp_path / f"out.{fmt}"
        args = ["store", "convert", str(src), str(dst), "--to", fmt, *pw]
        capsys.readouterr()
        code = run([*args, "--deststorepass", "changeit"])
        if (item["file"], fmt) in REFUSED:
            err = capsys.readouterr().err
            assert code == 2 and not dst.exists() and REFUSED[item["file"], fmt] in err, err
            continue
        assert code == 0, fmt
        assert keytool_entries(dst, "changeit") == _truth(item), fmt
    copy = tmp_path / "copy.p12"
    shutil.copyfile(src, copy)
    code = run(["store", "passwd", str(copy), *pw, "--new-storepass", "n3w-pass"])
    if item["file"] in PASSWD_REFUSED:  # and the real keytool cannot do it either
        assert code == 2 and copy.read_bytes() == src.read_bytes()
        theirs = keytool("-storepasswd", "-keystore", str(copy), "-storepass", item["password"],
                         "-new", "n3w-pass", check=False)  # fmt: skip
        assert theirs.returncode != 0
        return
    assert code == 0
    assert keytool_entries(copy, "n3w-pass") == _truth(item)


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
