"""``store passwd --base``: the store's new password and the base's password properties change
in one transaction, so Jetty never sees one without the other - proven with real keytool
(the store opens with the new password only) and a real Jetty 9.4 (the base still starts and
serves client-certificate TLS)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jettycfg.cli import run
from jettycfg.jetty.base import evaluate, load_documents
from jettycfg.jetty.obf import deobfuscate, obfuscate
from tests.jettyrun import free_port, init_base, running_jetty, tls_base
from tests.keytool import keytool
from tests.pki import make_pki, write_stores

OLD, NEW = "old-store-pw", "New-store-pw-2"


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, int]:
    monkeypatch.setenv("NEW_PW", NEW)
    return tls_base(tmp_path, monkeypatch, "OLD_PW", OLD)


def _value(base: Path, key: str) -> str | None:
    """The password as written, OBF read back (init writes OBF)."""
    prop = evaluate(load_documents(base), base).get(key)
    if prop is None:
        return None
    return deobfuscate(prop.raw) if prop.raw.startswith("OBF:") else prop.raw


def _snapshot(base: Path) -> dict[str, bytes]:
    return {str(p.relative_to(base)): p.read_bytes() for p in base.rglob("*") if p.is_file()}


def stranger_store(tmp_path: Path) -> Path:
    """A keystore (password OLD) that no base opens."""
    stranger = tmp_path / "other" / "keystore.p12"
    write_stores(make_pki(), stranger.parent, OLD.encode())
    return stranger


def _passwd(store: Path, *extra: str) -> int:
    args = ["store", "passwd", str(store), "--storepass-env", "OLD_PW"]
    return run([*args, "--new-storepass-env", "NEW_PW", *extra])


def _opens(store: Path, password: str) -> bool:
    return (
        keytool("-list", "-keystore", str(store), "-storepass", password, check=False).returncode
        == 0
    )


def test_keystore_and_its_ini_passwords_change_together_and_jetty_starts(
    base: tuple[Path, int], jetty_home: Path
) -> None:
    folder, port = base
    keystore = folder / "etc" / "keystore.p12"
    assert _passwd(keystore, "--base", str(folder), "--jetty-version", "9.4.57") == 0
    assert _opens(keystore, NEW) and not _opens(keystore, OLD)  # real keytool
    assert _value(folder, "jetty.sslContext.keyStorePassword") == NEW
    manager = _value(folder, "jetty.sslContext.keyManagerPassword")
    assert manager in (None, NEW)  # a PKCS#12 key has the store's password
    assert _value(folder, "jetty.sslContext.trustStorePassword") == OLD  # the other store
    with running_jetty(jetty_home, folder, port, timeout=30):
        pass  # real Jetty 9.4 starts with the switched pair


def test_truststore_password_and_obf_form_kept(base: tuple[Path, int]) -> None:
    folder, _ = base
    key = "jetty.sslContext.trustStorePassword"
    assert run(["ini", "set", "--base", str(folder), f"{key}={OLD}"]) == 0  # plain
    truststore = folder / "etc" / "truststore.p12"
    assert _passwd(truststore, "--base", str(folder)) == 0
    assert _opens(truststore, NEW)
    plain = evaluate(load_documents(folder), folder).get(key)
    assert plain is not None and plain.raw == NEW  # plain stays plain
    run(["store", "passwd", str(truststore), "--storepass", NEW, "--new-storepass", OLD])
    assert run(["ini", "set", "--base", str(folder), f"{key}={obfuscate(OLD)}"]) == 0
    assert _passwd(truststore, "--base", str(folder)) == 0
    assert _opens(truststore, NEW)
    prop = evaluate(load_documents(folder), folder).get(key)
    assert prop is not None and prop.raw == obfuscate(NEW)  # OBF stays OBF


def test_without_base_only_the_store_changes(base: tuple[Path, int]) -> None:
    folder, _ = base
    keystore = folder / "etc" / "keystore.p12"
    ini_before = {k: v for k, v in _snapshot(folder).items() if k.endswith(".ini")}
    assert _passwd(keystore) == 0
    assert _opens(keystore, NEW)
    assert {k: v for k, v in _snapshot(folder).items() if k.endswith(".ini")} == ini_before


def test_refusals_write_nothing(
    base: tuple[Path, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = base
    stranger = stranger_store(tmp_path)
    before, stranger_before = _snapshot(folder), stranger.read_bytes()
    capsys.readouterr()
    assert _passwd(stranger, "--base", str(folder)) == 2  # not a store this base opens
    err = capsys.readouterr().err
    assert "neither the keystore nor the truststore" in err and err.count("\n") == 1
    assert stranger.read_bytes() == stranger_before
    # a password taken from a ${...} reference is the user's to change
    with (folder / "start.ini").open("a") as ini:
        ini.write(f"my.vault={OLD}\njetty.sslContext.keyStorePassword=${{my.vault}}\n")
    before = _snapshot(folder)
    assert _passwd(folder / "etc" / "keystore.p12", "--base", str(folder)) == 2
    assert "reference" in capsys.readouterr().err
    assert _snapshot(folder) == before


def test_dry_run_shows_masked_diff_and_writes_nothing(
    base: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = base
    before = _snapshot(folder)
    capsys.readouterr()
    assert _passwd(folder / "etc" / "keystore.p12", "--base", str(folder), "--dry-run") == 0
    out, err = capsys.readouterr()
    assert _snapshot(folder) == before
    assert "keyStorePassword" in out + err and "binary file" in out + err
    assert NEW not in out + err and OLD not in out + err


def test_killed_between_renames_the_base_finishes_it_for_a_store_outside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kill -9 after the store's rename, before the ini's: the journal sits in the base, so
    the next jettycfg that reads the base finishes the switch (store outside the base)."""
    import os
    import subprocess
    import sys

    folder = tmp_path / "base"
    outside = tmp_path / "ext"
    write_stores(make_pki(), outside, OLD.encode())
    monkeypatch.setenv("OLD_PW", OLD)
    monkeypatch.setenv("NEW_PW", NEW)
    init_base(folder, free_port(), mode="need", password_env="OLD_PW")
    key = "jetty.sslContext.keyStorePath"
    assert run(["ini", "set", "--base", str(folder), f"{key}=../ext/keystore.p12"]) == 0
    argv = [sys.executable, "-m", "jettycfg", "store", "passwd", str(outside / "keystore.p12")]
    argv += ["--storepass-env", "OLD_PW", "--new-storepass-env", "NEW_PW", "--base", str(folder)]
    env = dict(os.environ, JETTYCFG_TEST_KILL_AT_RENAME="2")
    assert subprocess.run(argv, env=env, capture_output=True, timeout=60).returncode != 0
    assert (folder / ".jettycfg-journal").exists()
    assert run(["ini", "show", "--base", str(folder)]) == 0  # reads the base: finishes it
    assert not (folder / ".jettycfg-journal").exists()
    assert _opens(outside / "keystore.p12", NEW)
    assert _value(folder, "jetty.sslContext.keyStorePassword") == NEW


def test_a_password_start_jar_would_expand_is_refused(
    base: tuple[Path, int], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = base
    key = "jetty.sslContext.keyStorePassword"
    assert run(["ini", "set", "--base", str(folder), f"{key}={OLD}"]) == 0  # plain, not OBF
    monkeypatch.setenv("NEW_PW", "new${jetty.base}pw")
    before = _snapshot(folder)
    capsys.readouterr()
    assert _passwd(folder / "etc" / "keystore.p12", "--base", str(folder)) == 2
    err = capsys.readouterr().err
    assert "would expand" in err and "jetty.base}pw" not in err
    assert _snapshot(folder) == before
