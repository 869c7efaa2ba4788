"""cryptography 51 deprecates DSA and warns on the class and on every DSA key it loads; Java
still reads DSA certificates, so lint judges them - without a warning on the user's stderr."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from tests import chains
from tests.jettyrun import tls_base
from tests.lint.conftest import LintBase


def _dsa_certificate() -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from cryptography.hazmat.primitives.asymmetric import dsa

        key = dsa.generate_private_key(2048)
    return chains.make(chains.name("dsa-user"), key, None).public_bytes(Encoding.PEM)


def test_lint_of_a_dsa_client_certificate_says_nothing_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _ = tls_base(tmp_path, monkeypatch, "QUIET_PW", "quiet-pw")
    client = tmp_path / "dsa.pem"
    client.write_bytes(_dsa_certificate())
    env = {**os.environ, "PYTHONWARNINGS": "default"}  # every warning shown, if one is raised
    for args in (
        ["lint", "--base", str(base), "--jetty-version", "9.4.57", "--client-cert", str(client)],
        ["store", "list", str(base / "etc" / "truststore.p12"), "--storepass", "quiet-pw"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "jettycfg", *args], env=env, capture_output=True, text=True
        )
        assert done.returncode in (0, 1), done.stderr
        assert "Warning" not in done.stderr, done.stderr


def test_an_empty_cn_prints_no_python_warning(
    lint_base: LintBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cryptography warns about an empty CN (a UserWarning trace on stderr); lint says what
    matters about it (JC460)."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    with warnings.catch_warnings():  # cryptography warns here too, building it
        warnings.simplefilter("ignore", UserWarning)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "", _validate=False)])
    cert = chains.make(name, chains.ec_key(), None)
    client = tmp_path / "empty-cn.pem"
    client.write_bytes(cert.public_bytes(Encoding.PEM))
    argv = ["lint", "--base", str(lint_base.path), "--jetty-version", "9.4.57"]
    done = subprocess.run(  # a real process: pytest would catch the warning in-process
        [sys.executable, "-m", "jettycfg", *argv, "--client-cert", str(client), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stderr == "" and "JC418" in done.stdout, done.stderr
