"""Disagreements a differential review found between lint and real Jetty (stop 21), each now
judged as the real Jetty judges it: lint's prediction beside what the server did."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID

from jettycfg.cli import run
from tests.conftest import JETTY_LINES
from tests.jetty.test_versions_real import init, prepared, version_of
from tests.jettyrun import accepted, free_port, running_jetty, serves_tls
from tests.pki import Pki, issue, make_pki


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


@dataclass
class Review:
    """What every case here needs: a folder, the test PKI, the environment and the output."""

    tmp_path: Path
    pki: Pki
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]

    def need_base(self, line: str) -> tuple[Path, Path, int]:
        """(Jetty home of ``line``, a base `init` laid out for it in need mode, its TLS port)."""
        home, base, port = prepared(line, self.tmp_path, self.pki, self.monkeypatch)
        init(base, home, port, "start.d", "need")
        return home, base, port

    def lint(self, base: Path, *args: str) -> dict:  # type: ignore[type-arg]
        self.capsys.readouterr()
        run(["lint", "--base", str(base), "--format", "json", "--fail-on", "never", *args])
        doc: dict = json.loads(self.capsys.readouterr().out)  # type: ignore[type-arg]
        return doc

    def client(self) -> tuple[Path, Path]:
        return self.pki.client.write_pem(self.tmp_path, "client", self.pki.ca.cert)


@pytest.fixture
def review(
    tmp_path: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Review:
    return Review(tmp_path, pki, monkeypatch, capsys)


def _set(base: Path, *lines: str) -> None:
    ini = next(p for p in sorted(base.rglob("*.ini")) if "needClientAuth" in p.read_text())
    ini.write_text(ini.read_text() + "".join(f"{line}\n" for line in lines))


@pytest.mark.parametrize("line", ["9.4", "12.1"])
@pytest.mark.parametrize("algorithm", ["HTTPS", "ldaps", "FOO"])
def test_an_unknown_endpoint_identification_algorithm_refuses_every_client(
    line: str,
    algorithm: str,
    review: Review,
) -> None:
    """Java checks the client's address for HTTPS and LDAP(S) and throws 'Unknown
    identification algorithm' for anything else; lint took any value as HTTPS and accepted a
    client whose SAN holds its address."""
    home, base, port = review.need_base(line)
    _set(base, f"jetty.sslContext.endpointIdentificationAlgorithm={algorithm}")
    pki = review.pki
    client = issue("root", pki.ca, eku=[ExtendedKeyUsageOID.CLIENT_AUTH], san_ip="127.0.0.1")
    cert, key = client.write_pem(review.tmp_path, "client", pki.ca.cert)
    doc = review.lint(
        base, "--jetty-version", version_of(home), "--client-cert", str(cert),
        "--client-ip", "127.0.0.1",
    )  # fmt: skip
    (predicted,) = doc["client_certificates"]
    with running_jetty(home, base, port, timeout=40):
        real = accepted(port, cert, key)
    assert predicted["accepted"] is real is (algorithm != "FOO")
    if algorithm == "FOO":
        assert [p["rule"] for p in predicted["problems"]] == ["JC417"]
        assert "Unknown identification algorithm" in predicted["problems"][0]["message"]


def _module_lines(base: Path) -> list[Path]:
    return [p for p in sorted(base.rglob("*.ini")) if "--module" in p.read_text()]


@pytest.mark.parametrize("line", JETTY_LINES)
def test_plural_modules_lines_enable_nothing_before_jetty_12(
    line: str,
    review: Review,
) -> None:
    """`--modules=ssl` (what init writes for Jetty 12) on 9.4-11: start.jar passes it to the
    JVM, lists no module, and Jetty exits (254); lint said it starts and accepts clients."""
    home, base, port = review.need_base(line)
    for ini in _module_lines(base):
        ini.write_text(re.sub(r"^--modules?=", "--modules=", ini.read_text(), flags=re.M))
    cert, _ = review.client()
    doc = review.lint(base, "--jetty-version", version_of(home), "--client-cert", str(cert))
    rules = {f["rule"] for f in doc["findings"]}
    modern = not line.startswith(("9.", "10.", "11."))
    argv = ["java", "-jar", str(home / "start.jar"), f"jetty.home={home}", f"jetty.base={base}"]
    listed = subprocess.run(
        [*argv, "--list-config"], capture_output=True, text=True, timeout=60, cwd=base
    ).stdout

    def section(title: str) -> str:  # 9.4 prints no "Enabled Modules:" when there is none
        return listed.split(f"{title}:", 1)[1].split("\n\n", 1)[0] if title in listed else ""

    assert ("ssl" in section("Enabled Modules")) is modern
    assert ("--modules=ssl" in section("JVM Arguments")) is not modern
    if modern:
        assert doc["summary"]["jetty_starts"] is True and not rules & {"JC112", "JC114"}
        with running_jetty(home, base, port, timeout=40):
            assert serves_tls(port)
        return
    assert {"JC112", "JC114"} <= rules and doc["summary"]["jetty_starts"] is False
    assert doc["client_certificates"][0]["accepted"] is False
    with (
        pytest.raises(RuntimeError, match=r"Jetty exited \(254\)"),
        running_jetty(home, base, port),
    ):
        pass


@pytest.mark.parametrize("line", ["9.4", "12.1"])
def test_a_base_without_a_tls_module_serves_no_tls(
    line: str,
    review: Review,
) -> None:
    """Only `--module=http`: Jetty starts and listens for plain HTTP; the TLS port stays shut.
    lint judged the sslContext settings as if they served TLS."""
    home, base, port = review.need_base(line)
    for ini in _module_lines(base):
        ini.write_text(re.sub(r"^--modules?=.*$", "", ini.read_text(), flags=re.M))
    http = free_port()
    _set(base, "--module=http", "jetty.http.host=127.0.0.1", f"jetty.http.port={http}")
    cert, _ = review.client()
    doc = review.lint(base, "--jetty-version", version_of(home), "--client-cert", str(cert))
    assert "JC113" in {f["rule"] for f in doc["findings"]}
    assert doc["summary"]["jetty_starts"] is True
    (client,) = doc["client_certificates"]
    assert client["accepted"] is False and "brings in TLS" in client["problems"][0]["message"]
    with running_jetty(home, base, http, timeout=40):
        assert not serves_tls(port)


def test_jetty_home_in_a_store_path_is_expanded_as_start_jar_does(
    review: Review,
) -> None:
    """keyStorePath=${jetty.home}/etc/joc/keystore.p12: lint glued the literal text to the base
    ('cannot be opened', 'Jetty does not start'); start.jar expands it, Jetty 12.1 serves TLS."""
    import shutil

    real_home, base, port = review.need_base("12.1")
    home = review.tmp_path / "home"
    shutil.copytree(real_home, home, symlinks=True)
    (home / "etc" / "joc").mkdir()
    shutil.move(base / "etc" / "keystore.p12", home / "etc" / "joc" / "keystore.p12")
    _set(base, "jetty.sslContext.keyStorePath=${jetty.home}/etc/joc/keystore.p12")
    cert, key = review.client()
    doc = review.lint(base, "--jetty-home", str(home), "--client-cert", str(cert))
    assert doc["summary"]["jetty_starts"] is True, doc["findings"]
    assert doc["client_certificates"][0]["accepted"] is True
    with running_jetty(home, base, port, timeout=40):
        assert accepted(port, cert, key)


@pytest.mark.parametrize("alias", ["https", "trustedca"])
def test_a_cert_alias_naming_a_trusted_entry_leaves_nothing_to_present(
    alias: str,
    review: Review,
) -> None:
    """Jetty 12.1 reads jetty.sslContext.alias (certAlias): naming a trusted-certificate entry,
    Jetty starts and every handshake fails; lint accepted the clients (and its JC330 read only
    JOC's jetty.sslContext.keystore.alias)."""
    home, base, port = review.need_base("12.1")
    ca = review.tmp_path / "ca.pem"
    ca.write_bytes(review.pki.ca.cert.public_bytes(Encoding.PEM))
    keystore = base / "etc" / "keystore.p12"
    imported = ["store", "import", str(keystore), str(ca), "--alias", "trustedca"]
    assert run([*imported, "--storepass", "v-pass-1"]) == 0
    _set(base, f"jetty.sslContext.alias={alias}")
    cert, key = review.client()
    doc = review.lint(base, "--jetty-version", version_of(home), "--client-cert", str(cert))
    rules = {f["rule"] for f in doc["findings"]}
    predicted = doc["client_certificates"][0]["accepted"]
    with running_jetty(home, base, port, timeout=40):
        real = serves_tls(port) and accepted(port, cert, key)
    assert predicted is real is (alias == "https")
    assert ("JC305" in rules) is (alias == "trustedca") and "JC330" not in rules


def test_validate_certificates_stops_jetty_121(
    review: Review,
) -> None:
    """validateCertificates=true: real 12.1 exits ('unable to find valid certification path')
    although the truststore holds the server certificate's CA; lint said it starts."""
    home, base, port = review.need_base("12.1")
    _set(base, "jetty.sslContext.validateCertificates=true")
    doc = review.lint(base, "--jetty-version", version_of(home))
    assert doc["summary"]["jetty_starts"] is False
    assert "JC214" in {f["rule"] for f in doc["findings"]}
    stopped = pytest.raises(RuntimeError, match="unable to find valid certification path")
    with stopped, running_jetty(home, base, port, timeout=40):
        pass


@pytest.mark.parametrize(
    ("settings", "speaks"),
    [
        (("includeProtocols=TLSv1.2",), True),
        (("excludeProtocols=TLSv1.3",), True),
        (("includeProtocols=TLSv1.2", "includeCipherSuites=TLS_ECDHE_RSA_.*"), False),
        (("includeProtocols=TLSv1.3", "includeCipherSuites=TLS_ECDHE_.*"), False),
        (("excludeCipherSuites=.*",), False),
        (("includeProtocols=TLSv1.1",), False),
    ],
    ids=["tls12", "no-tls13", "rsa-suites-ec-key", "tls13-without-its-suites", "no-suite", "tls11"],
)
def test_protocol_and_suite_settings_that_leave_nothing_to_speak(
    settings: tuple[str, ...],
    speaks: bool,
    review: Review,
) -> None:
    """Jetty 12.1's include/exclude properties for protocols and suites (the server key is EC
    P-256): with nothing left Jetty starts and fails every handshake; lint accepted."""
    home, base, port = review.need_base("12.1")
    _set(base, *(f"jetty.sslContext.{s}" for s in settings))
    cert, key = review.client()
    doc = review.lint(base, "--jetty-version", version_of(home), "--client-cert", str(cert))
    predicted = doc["client_certificates"][0]["accepted"]
    with running_jetty(home, base, port, timeout=40):
        real = accepted(port, cert, key)
    assert predicted is real is speaks
    assert ("JC215" in {f["rule"] for f in doc["findings"]}) is not speaks
