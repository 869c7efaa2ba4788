"""`jettycfg store ...` on bad input: one line, exit 2, the store on disk unchanged."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from jettycfg.cli import run
from tests.stores.conftest import Material

PW = ["--storepass", "s3cret-pass"]


@pytest.fixture
def store(material: Material) -> Path:
    path = material.folder / "trust.p12"
    assert run(["store", "import", str(path), str(material.bundle), *PW]) == 0
    return path


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("jettycfg: error: "), err
    assert "s3cret-pass" not in err
    return err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["store", "list", "{store}", "--storepass", "wrong"], "wrong store password"),
        (["store", "list", "{empty}", *PW], "empty file"),
        (["store", "list", "{garbage}", *PW], "unknown format"),
        (["store", "list", "{truncated}", *PW], "not a valid PKCS#12"),
        (["store", "list", "{missing}", *PW], "no such file"),
        (["store", "remove", "{store}", "nope", *PW], "no entry with alias 'nope'"),
        (["store", "rename", "{store}", "test ca 0", "test ca 1", *PW], "already exists"),
        (["store", "import", "{store}", "{one}", "--alias", "test ca 1", *PW], "already exists"),
        (["store", "import", "{store}", "{garbage}", *PW], "unknown format"),
        (["store", "export", "{store}", "--der", *PW], "one certificate"),
        (["store", "passwd", "{store}", "--storepass", "wrong", "--new-storepass", "x"], "wrong"),
        (["store", "remove", "{store}", "--fingerprint", "AB:CD", *PW], "no entry with SHA-256"),
    ],
)
def test_bad_input(
    material: Material,
    store: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    (material.folder / "empty.p12").write_bytes(b"")
    (material.folder / "garbage.p12").write_bytes(b"not a keystore at all")
    (material.folder / "truncated.p12").write_bytes(store.read_bytes()[:200])
    one = material.folder / "one.pem"
    one.write_bytes(issue_pem())
    before = store.read_bytes()
    names = {"store": store, "one": one, "missing": material.folder / "missing.p12"}
    names.update({n: material.folder / f"{n}.p12" for n in ("empty", "garbage", "truncated")})
    args = [a.format(**names) for a in argv]
    capsys.readouterr()
    assert run(args) == 2
    assert message in one_line_error(capsys)
    assert store.read_bytes() == before


def issue_pem() -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding

    from tests.pki import issue

    return issue("another", ca=True).cert.public_bytes(Encoding.PEM)


def test_import_is_idempotent_and_keeps_mode(
    material: Material, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    store.chmod(0o640)
    before = store.read_bytes()
    capsys.readouterr()
    assert run(["store", "import", str(store), str(material.bundle), *PW]) == 0
    out = capsys.readouterr().out
    assert out.count("already present as") == 3 and "nothing to do" in out
    assert store.read_bytes() == before
    one = material.folder / "one.pem"
    one.write_bytes(issue_pem())
    assert run(["store", "import", str(store), str(one), "--backup", *PW]) == 0
    assert stat.S_IMODE(store.stat().st_mode) == 0o640
    assert (material.folder / "trust.p12.bak").read_bytes() == before


def test_dry_run_changes_nothing(
    material: Material, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = store.read_bytes()
    capsys.readouterr()
    assert run(["store", "remove", str(store), "test ca 0", "--dry-run", *PW]) == 0
    assert "would remove test ca 0" in capsys.readouterr().out
    assert store.read_bytes() == before


def test_list_json_schema(
    store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STOREPASS", "s3cret-pass")
    capsys.readouterr()
    assert (
        run(["store", "list", str(store), "--format", "json", "--storepass-env", "STOREPASS"]) == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["format"] == "PKCS12"
    entry = doc["entries"][0]
    for key in ("alias", "kind", "java_trusted", "subject", "issuer", "not_after", "sha256"):
        assert key in entry
    assert entry["java_trusted"] is True
    assert len(entry["sha256"]) == 95 and entry["sha256"] == entry["sha256"].upper()


def test_export_and_password_file(
    material: Material, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pwfile = material.folder / "pw.txt"
    pwfile.write_text("s3cret-pass\n")
    out = material.folder / "ca0.der"
    assert (
        run(
            [
                "store",
                "export",
                str(store),
                "test ca 0",
                "--der",
                "-o",
                str(out),
                "--storepass-file",
                str(pwfile),
            ]
        )
        == 0
    )
    assert out.read_bytes()[:1] == b"\x30"
    capsys.readouterr()
    assert run(["store", "export", str(store), "--storepass-file", str(pwfile)]) == 0
    assert capsys.readouterr().out.count("BEGIN CERTIFICATE") == 3


def test_convert_dry_run_and_refusal(
    material: Material, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dst = material.folder / "out.jks"
    capsys.readouterr()
    assert run(["store", "convert", str(store), str(dst), "--dry-run", *PW]) == 0
    assert "would write" in capsys.readouterr().out and not dst.exists()
    assert run(["store", "convert", str(store), str(dst), *PW]) == 0
    before = dst.read_bytes()
    assert run(["store", "convert", str(store), str(dst), *PW]) == 2
    assert dst.read_bytes() == before
    assert run(["store", "convert", str(store), str(dst), "--legacy", "--modern", *PW]) == 2
