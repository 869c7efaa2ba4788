"""PKCS#12 files as Java 17's keytool lists them (issue 8): entries without friendlyName are
named 1, 2, ...; plain KeyBags are ignored; trailing bytes after the PFX are ignored; the empty
password is a password. Files made by openssl, verdicts from the real keytool."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from jettycfg.cli import run
from tests.keytool import jettycfg_entries, keytool_entries


def _openssl(tmp: Path, *args: str) -> None:
    subprocess.run(["openssl", *args], cwd=tmp, capture_output=True, check=True, timeout=60)


def _jettycfg_list(
    store: Path, password: str, capsys: pytest.CaptureFixture[str]
) -> dict[str, tuple[str, str]]:
    capsys.readouterr()
    code = run(["store", "list", str(store), "--storepass", password, "--format", "json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert out.err == ""  # no Python warnings in a normal run
    return jettycfg_entries(json.loads(out.out))


@pytest.fixture
def pems(tmp_path: Path, require_keytool: None) -> Path:
    _openssl(
        tmp_path,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-subj",
        "/CN=view ca",
        "-days",
        "30",
    )
    _openssl(
        tmp_path,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "k.pem",
        "-out",
        "r.csr",
        "-subj",
        "/CN=view leaf",
    )
    _openssl(
        tmp_path,
        "x509",
        "-req",
        "-in",
        "r.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-out",
        "c.pem",
        "-days",
        "30",
        "-set_serial",
        "7",
    )
    return tmp_path


CASES = {
    "no-friendly-name": ["-in", "c.pem", "-inkey", "k.pem", "-certfile", "ca.pem"],
    "named": ["-in", "c.pem", "-inkey", "k.pem", "-name", "Server"],
    "plain-keybag": ["-in", "c.pem", "-inkey", "k.pem", "-keypbe", "NONE", "-certpbe", "NONE"],
    "certs-only": ["-in", "c.pem", "-nokeys", "-certfile", "ca.pem"],
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("password", ["changeit", ""])
def test_pkcs12_as_keytool_lists_it(
    pems: Path, case: str, password: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = pems / f"{case}.p12"
    _openssl(
        pems, "pkcs12", "-export", *CASES[case], "-passout", f"pass:{password}", "-out", out.name
    )
    expected = keytool_entries(out, password)
    assert _jettycfg_list(out, password, capsys) == expected


def test_trailing_bytes_after_the_pfx_ignored_as_java_does(
    pems: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = pems / "t.p12"
    _openssl(
        pems, "pkcs12", "-export", *CASES["named"], "-passout", "pass:changeit", "-out", out.name
    )
    out.write_bytes(out.read_bytes() + b"\x00garbage after the PFX\n")
    expected = keytool_entries(out, "changeit")
    assert expected and _jettycfg_list(out, "changeit", capsys) == expected
