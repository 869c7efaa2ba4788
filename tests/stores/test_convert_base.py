"""``store convert SRC DST --base``: the converted store and the base's switch to it (path, type,
password properties) are one transaction, judged by the start guard - proven with real keytool
(DST opens in its new format) and a real Jetty 9.4 (the base starts with the switched store)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jettycfg.cli import run
from jettycfg.jetty.base import evaluate, load_documents
from jettycfg.jetty.obf import obfuscate
from tests.jettyrun import running_jetty
from tests.keytool import keytool
from tests.stores.test_passwd_base import NEW, OLD, _snapshot, base, stranger_store
from tests.stores.test_passwd_base import _value as _password

SC = "jetty.sslContext."
__all__ = ["base"]  # the fixture, shared with the store passwd --base tests


def _raw(base: Path, key: str) -> str | None:
    prop = evaluate(load_documents(base), base).get(key)
    return None if prop is None or prop.origin is None else prop.raw


def _convert(src: Path, dst: Path, *extra: str) -> int:
    return run(["store", "convert", str(src), str(dst), "--storepass-env", "OLD_PW", *extra])


def _store_type(store: Path, password: str) -> str | None:
    """The keystore type real keytool reports, None when it cannot open the store."""
    done = keytool("-list", "-keystore", str(store), "-storepass", password, check=False)
    if done.returncode != 0:
        return None
    line = next(x for x in done.stdout.splitlines() if x.lower().startswith("keystore type"))
    return line.split(":", 1)[1].strip().upper()


def test_keystore_to_jks_switches_path_and_type_and_jetty_starts(
    base: tuple[Path, int], jetty_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, port = base
    src, dst = folder / "etc" / "keystore.p12", folder / "etc" / "keystore.jks"
    src_before = src.read_bytes()
    capsys.readouterr()
    assert _convert(src, dst, "--base", str(folder), "--jetty-version", "9.4.57") == 0
    out = capsys.readouterr().out
    assert _store_type(dst, OLD) == "JKS"  # real keytool
    assert _raw(folder, SC + "keyStorePath") == "etc/keystore.jks"
    assert _raw(folder, SC + "keyStoreType") == "JKS"
    assert _password(folder, SC + "keyStorePassword") == OLD  # same password: left as it was
    assert _raw(folder, SC + "trustStorePath") != "etc/keystore.jks"  # the other store
    assert src.read_bytes() == src_before  # SRC is kept
    assert f"set {SC}keyStorePath=etc/keystore.jks" in out and OLD not in out
    with running_jetty(jetty_home, folder, port, timeout=30):
        pass  # real Jetty 9.4 starts with the converted keystore


def test_truststore_with_a_new_password_keeps_the_obf_form(
    base: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = base
    src = folder / "etc" / "truststore.p12"
    dst = folder / "stores" / "truststore.jks"
    dst.parent.mkdir()
    key = SC + "trustStorePassword"
    assert (_raw(folder, key) or "").startswith("OBF:")  # init writes OBF
    capsys.readouterr()
    args = ["--base", str(folder), "--deststorepass-env", "NEW_PW", "--to", "jks"]
    assert _convert(src, dst, *args) == 0
    out, err = capsys.readouterr()
    assert _store_type(dst, NEW) == "JKS" and _store_type(dst, OLD) is None
    assert (_raw(folder, key) or "").startswith("OBF:") and _password(folder, key) == NEW
    assert _raw(folder, SC + "trustStorePath") == "stores/truststore.jks"
    assert _password(folder, SC + "keyStorePassword") == OLD  # the keystore is untouched
    assert f"set {key} (value not shown)" in out and NEW not in out + err
    assert obfuscate(NEW) not in out + err


def test_outside_the_base_jetty_94_gets_a_relative_path(
    base: tuple[Path, int], tmp_path: Path
) -> None:
    folder, _ = base
    dst = tmp_path / "ext" / "keystore.jks"
    dst.parent.mkdir()
    args = ["--base", str(folder), "--jetty-version", "9.4.57"]
    assert _convert(folder / "etc" / "keystore.p12", dst, *args) == 0
    assert _raw(folder, SC + "keyStorePath") == "../ext/keystore.jks"  # 9.4 glues jetty.base


def test_refusals_write_nothing(
    base: tuple[Path, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = base
    stranger = stranger_store(tmp_path)
    before = _snapshot(folder)
    capsys.readouterr()
    dst = folder / "etc" / "stranger.jks"
    assert _convert(stranger, dst, "--base", str(folder)) == 2  # not a store this base opens
    err = capsys.readouterr().err
    assert "neither the keystore nor the truststore" in err and err.count("\n") == 1
    assert _snapshot(folder) == before and not dst.exists()
    # a password taken from a ${...} reference is the user's to change
    with (folder / "start.ini").open("a") as ini:
        ini.write(f"my.vault={OLD}\n{SC}keyStorePassword=${{my.vault}}\n")
    before = _snapshot(folder)
    dst = folder / "etc" / "keystore.jks"
    args = ["--base", str(folder), "--deststorepass-env", "NEW_PW"]
    assert _convert(folder / "etc" / "keystore.p12", dst, *args) == 2
    assert "reference" in capsys.readouterr().err
    assert _snapshot(folder) == before and not dst.exists()


def test_a_key_manager_password_follows_the_converted_keys(base: tuple[Path, int]) -> None:
    """The converted keys have the store's password: a keyManagerPassword set to anything else
    would leave Jetty unable to read its key."""
    folder, _ = base
    with (folder / "start.ini").open("a") as ini:
        ini.write(f"{SC}keyManagerPassword=not-the-key-password\n")
    dst = folder / "etc" / "keystore.jks"
    assert _convert(folder / "etc" / "keystore.p12", dst, "--base", str(folder)) == 0
    assert _password(folder, SC + "keyManagerPassword") == OLD


def test_dry_run_shows_the_switch_and_writes_nothing(
    base: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = base
    before = _snapshot(folder)
    dst = folder / "etc" / "keystore.jks"
    capsys.readouterr()
    args = ["--base", str(folder), "--deststorepass-env", "NEW_PW", "--dry-run"]
    assert _convert(folder / "etc" / "keystore.p12", dst, *args) == 0
    out, err = capsys.readouterr()
    assert _snapshot(folder) == before and not dst.exists()
    assert "keyStorePath" in out + err and "keyStoreType" in out + err
    assert "would write" in out and NEW not in out + err and OLD not in out + err
    assert obfuscate(NEW) not in out + err and obfuscate(OLD) not in out + err  # masked


def test_a_line_break_in_the_path_or_password_is_refused(
    base: tuple[Path, int], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A DST name or a password (from a file or the environment) with a line break would add
    lines to the ini file that the start guard never judged: refused, nothing written."""
    folder, _ = base
    assert run(["ini", "set", "--base", str(folder), f"{SC}keyStorePassword={OLD}"]) == 0  # plain
    before = _snapshot(folder)
    src = folder / "etc" / "keystore.p12"
    sneaky = folder / "etc" / f"x\n{SC}needClientAuth=false\ny.jks"
    assert _convert(src, sneaky, "--base", str(folder)) == 2
    monkeypatch.setenv("NL_PW", f"abc12345\n{SC}needClientAuth=false")
    dst = folder / "etc" / "keystore.jks"
    assert _convert(src, dst, "--base", str(folder), "--deststorepass-env", "NL_PW") == 2
    assert _snapshot(folder) == before and not dst.exists() and not sneaky.exists()
    assert "span lines" in capsys.readouterr().err


def test_a_truststore_taking_the_keystores_type_keeps_its_own(base: tuple[Path, int]) -> None:
    """Without trustStoreType the truststore is opened with the keystore's type: converting
    the keystore to JKS writes the truststore's old type explicitly."""
    folder, _ = base
    ini = folder / "start.ini"
    ini.write_text(ini.read_text().replace(f"{SC}trustStoreType=PKCS12\n", ""))
    assert _raw(folder, SC + "trustStoreType") is None
    dst = folder / "etc" / "keystore.jks"
    assert _convert(folder / "etc" / "keystore.p12", dst, "--base", str(folder)) == 0
    assert _raw(folder, SC + "keyStoreType") == "JKS"
    assert _raw(folder, SC + "trustStoreType") == "PKCS12"
