"""Jetty's two sniRequired settings on every line JOC ships, lint's findings beside what real
Jetty did with a client that sends no SNI and one that sends `localhost` (the server
certificate: CN=localhost, SAN DNS:localhost, IP:127.0.0.1 - one host name, one entry)."""

from __future__ import annotations

import ssl
import subprocess

import pytest

from tests.conftest import JETTY_LINES
from tests.jetty.test_review_real import Review, _set, pki, review  # noqa: F401 - fixtures
from tests.jetty.test_versions_real import version_of
from tests.jettyrun import exchange, running_jetty


def _status(port: int, cert: object, key: object, sni: str | None) -> str:
    """The HTTP status code Jetty answered, or 'refused' when the handshake failed."""
    try:
        line, _ = exchange(port, cert, key, sni=sni)  # type: ignore[arg-type]
    except (ssl.SSLError, ConnectionError, OSError):
        return "refused"
    return line.split()[1]


def _finding(doc: dict, rule: str) -> dict | None:  # type: ignore[type-arg]
    return next((f for f in doc["findings"] if f["rule"] == rule), None)


@pytest.mark.parametrize("line", JETTY_LINES)
def test_ssl_context_sni_required_refuses_clients_without_sni(
    line: str,
    review: Review,  # noqa: F811
) -> None:
    home, base, port = review.need_base(line)
    _set(base, "jetty.sslContext.sniRequired=true")
    cert, key = review.client()
    doc = review.lint(base, "--jetty-version", version_of(home), "--client-cert", str(cert))
    found = _finding(doc, "JC216")
    assert found is not None and found["severity"] == "warning"
    assert "localhost" in found["message"] and _finding(doc, "JC217") is None
    with running_jetty(home, base, port, timeout=40):
        assert _status(port, cert, key, None) == "refused"
        assert _status(port, cert, key, "localhost") != "400"  # handshake and request fine


@pytest.mark.parametrize("line", JETTY_LINES)
def test_http_sni_required_answers_400(
    line: str,
    review: Review,  # noqa: F811
) -> None:
    """Before Jetty 12 the customizer knows the SNI only from Jetty's SNI key manager, which a
    keystore of one host name does not get: every request gets 400, even with SNI."""
    home, base, port = review.need_base(line)
    _set(base, "jetty.ssl.sniRequired=true")
    cert, key = review.client()
    doc = review.lint(base, "--jetty-version", version_of(home), "--client-cert", str(cert))
    found = _finding(doc, "JC217")
    assert found is not None
    every_request = not line.startswith("12.")
    assert found["severity"] == ("error" if every_request else "warning")
    (client,) = doc["client_certificates"]
    assert client["accepted"] is True  # the handshake is fine ...
    login_rules = [p["rule"] for p in client["login"]["problems"]]
    assert client["login"]["possible"] is not every_request  # ... the login request is not
    assert ("JC217" in login_rules) is every_request
    with running_jetty(home, base, port, timeout=40):
        assert _status(port, cert, key, None) == "400"
        assert (_status(port, cert, key, "localhost") == "400") is every_request


@pytest.mark.parametrize("line", ["9.4", "10.0", "11.0"])
def test_http_sni_required_with_two_host_names_refuses_only_clients_without_sni(
    line: str,
    review: Review,  # noqa: F811
) -> None:
    """A second key entry (CN=other.example) gives Jetty 9.4-11 its SNI key manager: then
    only a request without a matching SNI gets 400."""
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    from tests.pki import issue

    home, base, port = review.need_base(line)
    other = issue("other.example", review.pki.ca)
    extra = review.tmp_path / "other.p12"
    extra.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"other", other.key, other.cert, None, BestAvailableEncryption(b"v-pass-1")
        )
    )
    keytool = ["keytool", "-importkeystore", "-noprompt", "-srckeystore", str(extra)]
    keytool += ["-srcstoretype", "PKCS12", "-srcstorepass", "v-pass-1", "-srcalias", "other"]
    keytool += ["-destkeystore", str(base / "etc" / "keystore.p12"), "-deststoretype", "PKCS12"]
    keytool += ["-deststorepass", "v-pass-1"]
    subprocess.run(keytool, check=True, capture_output=True, timeout=60)
    _set(base, "jetty.ssl.sniRequired=true")
    cert, key = review.client()
    doc = review.lint(base, "--jetty-version", version_of(home), "--client-cert", str(cert))
    found = _finding(doc, "JC217")
    assert found is not None and found["severity"] == "warning"
    assert "localhost, other.example" in found["message"]
    assert doc["client_certificates"][0]["login"]["possible"] is True
    with running_jetty(home, base, port, timeout=40):
        assert _status(port, cert, key, None) == "400"
        assert _status(port, cert, key, "localhost") != "400"
