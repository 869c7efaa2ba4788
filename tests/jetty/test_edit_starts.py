"""Every edit runs lint's start prediction on the edited base and refuses to write when the edit
would make Jetty fail to start, or start without a server key (issue 8) - proven with a real
Jetty 9.4: the base serves TLS as it is and does not once the refused edit is written by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jettycfg.cli import run
from tests.jettyrun import running_jetty, serves_tls, tls_base
from tests.pki import make_pki, write_stores

PW = "edit-pw"
EDITS = {  # jettycfg's prediction must match what real Jetty 9.4 does with the edited base
    "wrong keystore password": "jetty.sslContext.keyStorePassword=wrong",
    "missing truststore": "jetty.sslContext.trustStorePath=etc/nowhere.p12",
    "JCEKS declared for a PKCS#12 file": "jetty.sslContext.keyStoreType=JCEKS",
    "JKS declared for a PKCS#12 file (keystore.type.compat)": "jetty.sslContext.keyStoreType=JKS",
    "harmless": "jetty.ssl.idleTimeout=31000",
    "the truststore as keystore (no server key)": (
        "jetty.sslContext.keyStorePath=etc/truststore.p12"
    ),
}


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, int]:
    return tls_base(tmp_path, monkeypatch, "EDIT_PW", PW)


def _snapshot(base: Path) -> dict[str, bytes]:
    return {str(p.relative_to(base)): p.read_bytes() for p in base.rglob("*") if p.is_file()}


def _serves(home: Path, base: Path, port: int) -> bool:
    """Real Jetty starts on ``base`` and completes a TLS handshake."""
    try:
        with running_jetty(home, base, port, timeout=20):
            return serves_tls(port)
    except RuntimeError:
        return False


def test_an_edit_is_refused_exactly_when_real_jetty_would_not_serve(
    base: tuple[Path, int], jetty_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, port = base
    assert _serves(jetty_home, folder, port)  # the base as it is starts and serves TLS
    for name, assignment in EDITS.items():
        copy = folder.parent / f"edit{len(list(folder.parent.iterdir()))}"
        shutil.copytree(folder, copy)
        before = _snapshot(copy)
        capsys.readouterr()
        code = run(["ini", "set", "--base", str(copy), assignment])
        err = capsys.readouterr().err
        if code == 2:
            assert "would leave a Jetty that" in err, err
            assert err.count("\n") == 1 and _snapshot(copy) == before, name
            with (copy / "start.ini").open("a") as ini:
                ini.write(assignment + "\n")  # what the refused edit would have written
        assert code in (0, 2), err
        assert _serves(jetty_home, copy, port) is (code == 0), name


def test_an_edit_that_keeps_jetty_starting_is_written(
    base: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = base
    assert run(["client-auth", "want", "--base", str(folder), "--jetty-version", "9.4"]) == 0
    assert run(["ini", "set", "--base", str(folder), "jetty.ssl.idleTimeout=31000"]) == 0
    assert "jetty.ssl.idleTimeout=31000" in "".join(p.read_text() for p in folder.rglob("*.ini"))


def test_new_stores_move_in_one_edit_their_password_from_the_environment(
    base: tuple[Path, int], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Step by step (paths first) the start guard refuses: the new stores do not open with the
    old password. Paths and the password (bare KEYs, --value-env) in one call pass."""
    folder, _ = base
    write_stores(make_pki(), folder / "etc" / "new", b"new-store-pw")
    monkeypatch.setenv("NEW_PW", "new-store-pw")
    paths = [
        "jetty.sslContext.keyStorePath=etc/new/keystore.p12",
        "jetty.sslContext.trustStorePath=etc/new/truststore.p12",
    ]
    passwords = [
        f"jetty.sslContext.{k}"
        for k in ("keyStorePassword", "trustStorePassword", "keyManagerPassword")
    ]
    before = _snapshot(folder)
    assert run(["ini", "set", "--base", str(folder), *paths]) == 2
    assert "would leave a Jetty that does not start" in capsys.readouterr().err
    assert _snapshot(folder) == before
    argv = ["ini", "set", "--base", str(folder), *paths, *passwords, "--value-env", "NEW_PW"]
    assert run(argv) == 0
    text = "".join(p.read_text() for p in folder.rglob("*.ini"))
    assert "keyStorePath=etc/new/keystore.p12" in text
    assert "new-store-pw" not in capsys.readouterr().out
    for key in passwords:
        assert run(["ini", "get", "--base", str(folder), key, "--show-secrets"]) == 0
        assert capsys.readouterr().out.strip() == "new-store-pw"
    # a bare KEY without a secret source, or a secret source without a bare KEY: usage errors
    assert run(["ini", "set", "--base", str(folder), *paths, passwords[0]]) == 2
    assert run(["ini", "set", "--base", str(folder), *paths, "--value-env", "NEW_PW"]) == 2


def test_a_secret_given_to_bare_keys_is_masked_everywhere(
    base: tuple[Path, int], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every bare KEY holds the secret: masked in diffs whatever the key, and scrubbed from an
    error the start guard builds from it (a path key left bare by mistake)."""
    folder, _ = base
    monkeypatch.setenv("PW", "S3cr3t-Value")
    capsys.readouterr()
    argv = ["ini", "set", "--base", str(folder), "--value-env", "PW", "--dry-run", "my.note"]
    assert run(argv) == 0
    out, err = capsys.readouterr()
    assert "my.note" in out + err and "S3cr3t-Value" not in out + err
    path, pw = "jetty.sslContext.trustStorePath", "jetty.sslContext.trustStorePassword"
    assert run(["ini", "set", "--base", str(folder), "--value-env", "PW", path, pw]) == 2
    out, err = capsys.readouterr()
    assert "does not start" in err and "S3cr3t-Value" not in out + err
