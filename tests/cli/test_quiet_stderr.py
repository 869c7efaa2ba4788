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
