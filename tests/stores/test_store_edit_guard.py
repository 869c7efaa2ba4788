"""Store edits with ``--base``: judged with the base that uses the store before anything is
written. Removing the server key from the keystore Jetty opens is refused (real Jetty 9.4 shows
why: without the guard it starts and then fails every TLS handshake); edits that keep the base
serving go through, and a base that was already broken does not block unrelated edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from jettycfg.cli import run
from jettycfg.stores import files
from tests.jettyrun import running_jetty, serves_tls, tls_base
from tests.pki import make_pki

PW = "guard-store-pw"


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, int]:
    return tls_base(tmp_path, monkeypatch, "GUARD_PW", PW, mode="want")


def _store(*args: str) -> int:
    return run(["store", *args, "--storepass-env", "GUARD_PW"])


def _aliases(path: Path) -> set[str]:
    return {e.alias.lower() for e in files.load(path, PW).entries}


def test_removing_the_server_key_is_refused_with_base(
    base: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = base
    keystore = folder / "etc" / "keystore.p12"
    before = keystore.read_bytes()
    for extra in ([], ["--dry-run"]):
        capsys.readouterr()
        assert _store("remove", str(keystore), "https", "--base", str(folder), *extra) == 2
        err = capsys.readouterr().err
        assert err.startswith("jettycfg: error: this edit would leave a Jetty that")
        assert "starts but serves no TLS (JC305" in err and err.count("\n") == 1
        assert keystore.read_bytes() == before


def test_without_the_guard_real_jetty_starts_but_serves_no_tls(
    base: tuple[Path, int], jetty_home: Path
) -> None:
    """What the refusal prevents, shown with real Jetty 9.4 (no --base: the edit is made)."""
    folder, port = base
    keystore = folder / "etc" / "keystore.p12"
    with running_jetty(jetty_home, folder, port, timeout=30):
        assert serves_tls(port)  # as made: serves TLS
    assert _store("remove", str(keystore), "https") == 0
    with running_jetty(jetty_home, folder, port, timeout=30):
        assert not serves_tls(port)


def test_edits_that_keep_the_base_serving_go_through(
    base: tuple[Path, int], tmp_path: Path, jetty_home: Path
) -> None:
    folder, port = base
    truststore, keystore = folder / "etc" / "truststore.p12", folder / "etc" / "keystore.p12"
    extra_ca = tmp_path / "extra.pem"
    extra_ca.write_bytes(make_pki().ca.cert.public_bytes(Encoding.PEM))
    guard = ["--base", str(folder), "--jetty-version", "9.4.57"]
    assert _store("import", str(truststore), str(extra_ca), "--alias", "extra", *guard) == 0
    assert _aliases(truststore) == {"ca", "extra"}
    assert _store("rename", str(truststore), "extra", "second", *guard) == 0
    assert _store("remove", str(truststore), "second", *guard) == 0
    assert _store("import", str(keystore), str(extra_ca), "--alias", "other-ca", *guard) == 0
    assert _aliases(keystore) == {"https", "other-ca"}
    with running_jetty(jetty_home, folder, port, timeout=30):
        assert serves_tls(port)


def test_a_base_already_without_key_does_not_block_other_edits(
    base: tuple[Path, int], tmp_path: Path
) -> None:
    folder, _ = base
    keystore = folder / "etc" / "keystore.p12"
    extra_ca = tmp_path / "extra.pem"
    extra_ca.write_bytes(make_pki().ca.cert.public_bytes(Encoding.PEM))
    assert _store("remove", str(keystore), "https") == 0  # broken by hand, no guard
    assert _store("import", str(keystore), str(extra_ca), "--base", str(folder)) == 0
    assert len(_aliases(keystore)) == 1
