"""A healthy JETTY_BASE to lint, and helpers to break it one way at a time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from jettycfg.cli import run
from tests.pki import Pki, make_pki, write_stores

PASSWORD = "Lint-Test-Pw-42"
BASE_INI = f"""--module=ssl
--module=https
jetty.ssl.host=127.0.0.1
jetty.sslContext.keyStorePath=etc/keystore.p12
jetty.sslContext.keyStoreType=PKCS12
jetty.sslContext.keyStorePassword={PASSWORD}
jetty.sslContext.keyManagerPassword={PASSWORD}
jetty.sslContext.trustStorePath=etc/truststore.p12
jetty.sslContext.trustStoreType=PKCS12
jetty.sslContext.trustStorePassword={PASSWORD}
"""


@dataclass
class LintBase:
    path: Path
    pki: Pki
    client: Path
    stranger: Path

    def ini(self, text: str, name: str = "start.d/zz.ini") -> Path:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return target

    def lint(
        self, capsys: pytest.CaptureFixture[str], *args: str, version: str = "9.4.57"
    ) -> tuple[int, dict]:  # type: ignore[type-arg]
        capsys.readouterr()
        code = run(
            [
                "lint",
                "--base",
                str(self.path),
                "--format",
                "json",
                *(["--jetty-version", version] if version else []),
                *args,
            ]
        )
        out = capsys.readouterr().out
        return code, json.loads(out) if out.strip().startswith("{") else {}


@pytest.fixture(scope="session")
def lint_pki() -> Pki:
    return make_pki()


@pytest.fixture
def lint_base(tmp_path: Path, lint_pki: Pki) -> LintBase:
    base = tmp_path / "base"
    write_stores(lint_pki, base / "etc", PASSWORD.encode())
    (base / "etc" / "keystore.p12").chmod(0o600)
    (base / "start.ini").write_text(BASE_INI + "jetty.sslContext.needClientAuth=true\n")
    client, _ = lint_pki.client.write_pem(tmp_path, "client", lint_pki.ca.cert)
    stranger, _ = lint_pki.stranger.write_pem(tmp_path, "stranger")
    return LintBase(base, lint_pki, client, stranger)
