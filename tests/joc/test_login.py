"""JOC's login stage: the account as JOC's own code reads it (run on real Java), the exact
case-sensitive match, JOC's own validity check after a handshake Jetty accepted, and the
accounts-file formats."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from jettycfg.cli import run
from jettycfg.joc.login import account_of, header_account
from tests.conftest import _require
from tests.lint.conftest import PASSWORD, LintBase

HERE = Path(__file__).resolve().parent
NOW = dt.datetime.now(dt.timezone.utc)
A = x509.NameAttribute
CN, C, ORG, SN, EMAIL = (
    NameOID.COMMON_NAME,
    NameOID.COUNTRY_NAME,
    NameOID.ORGANIZATION_NAME,
    NameOID.SERIAL_NUMBER,
    NameOID.EMAIL_ADDRESS,
)
RDN = x509.RelativeDistinguishedName

SUBJECTS = {
    "plain": x509.Name([A(CN, "root")]),
    "org-first": x509.Name([A(ORG, "SOS"), A(CN, "apmacwin")]),
    "two-cn-rdns": x509.Name([A(CN, "first"), A(CN, "second")]),
    "cn-plus-c": x509.Name([RDN([A(CN, "hidden"), A(C, "DE")])]),
    "cn-plus-o": x509.Name([RDN([A(CN, "seen"), A(ORG, "SOS")])]),
    "cn-plus-serial": x509.Name([RDN([A(CN, "behind-oid"), A(SN, "42")])]),
    "cn-plus-cn": x509.Name([RDN([A(CN, "zulu"), A(CN, "alpha")])]),
    "escapes": x509.Name([A(CN, "a,b+c=d \\ e")]),
    "blanks": x509.Name([A(CN, " padded ")]),
    "unicode": x509.Name([A(CN, "jürgen-ß")]),
    "email-only": x509.Name([A(EMAIL, "x@example.com")]),
    "case": x509.Name([A(CN, "Root")]),
    # string types Java reads otherwise (Java 17 here): a BMPString's UTF-16 bytes as UTF-8,
    # Visible/Numeric/UniversalString as bytes ("[B@...": no account); ':' passes this stage
    "bmp": x509.Name([A(CN, "root", _type=_ASN1Type.BMPString)]),
    "bmp-non-ascii": x509.Name([A(CN, "jü", _type=_ASN1Type.BMPString)]),
    "visible": x509.Name([A(CN, "root", _type=_ASN1Type.VisibleString)]),
    "numeric": x509.Name([A(CN, "123", _type=_ASN1Type.NumericString)]),
    "universal": x509.Name([A(CN, "root", _type=_ASN1Type.UniversalString)]),
    "colon": x509.Name([A(CN, "ops:admin")]),
}


def _cert(subject: x509.Name, *, start: dt.datetime, end: dt.datetime) -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )


def test_account_as_jocs_own_code_reads_it_on_real_java(tmp_path: Path) -> None:
    _require("java", shutil.which("java") is not None)
    files, expected = [], []
    for label, subject in SUBJECTS.items():
        cert = _cert(subject, start=NOW - dt.timedelta(days=1), end=NOW + dt.timedelta(days=9))
        path = tmp_path / f"{label}.der"
        path.write_bytes(cert.public_bytes(serialization.Encoding.DER))
        files.append(str(path))
        account = account_of(cert)
        expected.append("<none>" if account is None else f"[{account}]")
    done = subprocess.run(
        ["java", str(HERE / "AccountOf.java"), *files],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "LC_ALL": "C.UTF-8",
            "JAVA_TOOL_OPTIONS": "-Dfile.encoding=UTF-8 -Dstdout.encoding=UTF-8",
        },
    )
    assert done.returncode == 0, done.stderr[-800:]
    # a byte[] value prints as "[B@<hash>": no account JOC can match
    java = ["<none>" if x.startswith("[[B@") else x for x in done.stdout.splitlines()]
    assert dict(zip(SUBJECTS, java, strict=True)) == dict(zip(SUBJECTS, expected, strict=True))
    assert java[list(SUBJECTS).index("bmp")] == "[\0r\0o\0o\0t]"
    # the interesting ones, spelled out
    assert java[list(SUBJECTS).index("cn-plus-c")] == "<none>"
    assert java[list(SUBJECTS).index("two-cn-rdns")] == "[first]"


def _pinned_base(lint_base: LintBase, cert: x509.Certificate) -> None:
    """Add ``cert`` to the truststore (the self-signed scheme: the certificate is pinned)."""
    pem = lint_base.path / "pinned.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    trust = lint_base.path / "etc" / "truststore.p12"
    assert run(["store", "import", str(trust), str(pem), "--storepass", PASSWORD]) == 0


def _pinned_client(lint_base: LintBase, path: Path, cn: str) -> Path:
    """A valid certificate CN=``cn`` at ``path``, pinned in the base's truststore."""
    cert = _cert(
        x509.Name([A(CN, cn)]), start=NOW - dt.timedelta(days=1), end=NOW + dt.timedelta(days=9)
    )
    _pinned_base(lint_base, cert)
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def test_pinned_expired_certificate_passes_the_handshake_and_fails_the_login(
    lint_base: LintBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _cert(
        x509.Name([A(CN, "root")]),
        start=NOW - dt.timedelta(days=400),
        end=NOW - dt.timedelta(days=2),
    )
    _pinned_base(lint_base, old)
    client = tmp_path / "old.pem"
    client.write_bytes(old.public_bytes(serialization.Encoding.PEM))
    code, doc = lint_base.lint(capsys, "--client-cert", str(client), "--account", "root")
    (cert,) = doc["client_certificates"]
    assert cert["accepted"] is True  # Java does not check a pinned leaf's dates
    assert cert["login"]["possible"] is False and cert["login"]["account"] == "root"
    (problem,) = cert["login"]["problems"]
    assert problem["rule"] == "JC465" and "expired on" in problem["message"]
    assert "truststore" in problem["fix"]
    assert code == 1
    capsys.readouterr()
    run(["lint", "--base", str(lint_base.path), "--client-cert", str(client), "--account", "root"])
    text = capsys.readouterr().out
    assert "JOC login: REFUSED (JC465)" in text and "0 can log in to JOC" in text


def test_cn_differing_only_in_case_cannot_log_in(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str]
) -> None:
    _, doc = lint_base.lint(capsys, "--client-cert", str(lint_base.client), "--account", "Root")
    (cert,) = doc["client_certificates"]
    assert cert["accepted"] is True
    assert cert["login"] == {
        "possible": False,
        "account": "root",
        "problems": [
            {
                "rule": "JC461",
                "name": "cn-not-an-account",
                "severity": "error",
                "message": "CN 'root' is not one of the given accounts (did you mean 'Root'? "
                "JOC matches exactly)",
                "fix": "issue it with the account's exact name as CN",
            }
        ],
    }
    _, doc = lint_base.lint(capsys, "--client-cert", str(lint_base.client), "--account", "root")
    assert doc["client_certificates"][0]["login"]["possible"] is True
    assert doc["summary"]["logins_possible"] == 1


def test_hidden_cn_in_a_multi_valued_rdn(
    lint_base: LintBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cert = _cert(
        SUBJECTS["cn-plus-c"], start=NOW - dt.timedelta(days=1), end=NOW + dt.timedelta(days=5)
    )
    _pinned_base(lint_base, cert)
    client = tmp_path / "hidden.pem"
    client.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _, doc = lint_base.lint(capsys, "--client-cert", str(client))
    (result,) = doc["client_certificates"]
    assert result["accepted"] is True and result["common_name"] == "hidden"
    assert result["login"]["possible"] is False and result["login"]["account"] is None
    assert [p["rule"] for p in result["login"]["problems"]] == ["JC460"]


# utf-8-sig: Notepad / PowerShell 7 with a BOM; utf-16: Windows PowerShell 5's `>` (BOM first)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
@pytest.mark.parametrize("form", ["lines", "json"])
def test_accounts_file_formats(
    form: str,
    encoding: str,
    lint_base: LintBase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    accounts = tmp_path / "accounts"
    if form == "lines":  # the account first: a BOM must not become part of it
        accounts.write_text("root\n# JOC accounts\nadmin\n", encoding=encoding)
    else:
        body = {"accountItems": [{"accountName": "root"}, {"accountName": "admin"}]}
        accounts.write_text(json.dumps(body), encoding=encoding)
    _, doc = lint_base.lint(
        capsys, "--client-cert", str(lint_base.client), "--accounts-file", str(accounts)
    )
    assert doc["client_certificates"][0]["login"]["possible"] is True
    text = accounts.read_text(encoding=encoding).removeprefix("\ufeff")
    accounts.write_text(text.replace("root", "rooty"), encoding=encoding)
    _, doc = lint_base.lint(
        capsys, "--client-cert", str(lint_base.client), "--accounts-file", str(accounts)
    )
    assert [p["rule"] for p in doc["client_certificates"][0]["login"]["problems"]] == ["JC461"]


@pytest.mark.parametrize(
    "content", ['{"accountItems": [', '{"accountItems": [{"name": "x"}]}', "[1, 2]"]
)
def test_bad_accounts_file_is_one_line_exit_2(
    content: str, lint_base: LintBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accounts = tmp_path / "accounts.json"
    accounts.write_text(content)
    capsys.readouterr()
    code = run(
        [
            "lint",
            "--base",
            str(lint_base.path),
            "--client-cert",
            str(lint_base.client),
            "--accounts-file",
            str(accounts),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "accounts" in err


def test_login_decision_as_jocs_own_check_makes_it_on_real_java(tmp_path: Path) -> None:
    """SOSAuthHelper.checkCertificate (run on real Java by tests/joc/JocLogin.java) against
    check_login, over subjects x accounts x validity windows."""
    from jettycfg.joc.login import check_login

    _require("java", shutil.which("java") is not None)
    day = dt.timedelta(days=1)
    windows = {
        "valid": (NOW - day, NOW + 9 * day),
        "expired": (NOW - 9 * day, NOW - day),
        "not-yet": (NOW + day, NOW + 9 * day),
    }
    pairs: list[tuple[Path, str, bool]] = []
    for label, subject in SUBJECTS.items():
        if label in ("colon", "visible", "numeric", "universal"):
            # cut at ':' before this check (test_a_colon_in_the_cn...); a byte[] CN gives the
            # account "[B@...", which no JOC account is (the first test reads it on Java)
            continue
        for window, (start, end) in windows.items():
            if window != "valid" and label not in ("plain", "case"):
                continue
            cert = _cert(subject, start=start, end=end)
            path = tmp_path / f"{label}-{window}.der"
            path.write_bytes(cert.public_bytes(serialization.Encoding.DER))
            read = account_of(cert) or "nobody"
            for account in ("", "root", "Root", read if "\0" not in read else "nobody"):
                accounts = {account} if account else None
                pairs.append((path, account, check_login(cert, accounts, NOW).possible))
    argv = [str(int(NOW.timestamp() * 1000))]
    for path, account, _ in pairs:
        argv += [str(path), account]
    done = subprocess.run(
        ["java", str(HERE / "JocLogin.java"), *argv],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-800:]
    java = [line == "true" for line in done.stdout.split()]
    ours = [possible for _, _, possible in pairs]
    assert len(java) == len(ours) >= 40
    assert java == ours
    assert any(java) and not all(java)


def test_a_colon_in_the_cn_makes_jocs_login_fail(
    lint_base: LintBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JOC puts the CN into an HTTP Basic header and cuts the account at the first ':'
    (sos-components SOSServicePermissionIam.getUserFromHeaderOrQuery, `indexOf(':')`), so
    CN 'ops:admin' logs in as 'ops' and fails the CN check; lint said 'possible'."""
    client = _pinned_client(lint_base, tmp_path / "colon.pem", "ops:admin")
    code, doc = lint_base.lint(capsys, "--client-cert", str(client), "--account", "ops:admin")
    login = doc["client_certificates"][0]["login"]
    assert code == 1  # the login error is a finding
    assert doc["client_certificates"][0]["accepted"] is True and login["possible"] is False
    assert [p["rule"] for p in login["problems"]] == ["JC460"]
    assert "cuts the account ('ops')" in login["problems"][0]["message"]


# CNs through JOC's login header; Java's default charset names -> Python's codecs
HEADER_ACCOUNTS = ["root", "jürgen-ß", "Łukasz", "日本語", "Ã¼ber", "emoji😀", "ops:admin"]
CHARSETS = {
    "windows-1252": "cp1252",
    "US-ASCII": "ascii",
    "ISO-8859-1": "latin-1",
    "UTF-8": "utf-8",
}


def test_login_header_charset_as_jocs_own_code_makes_it_on_real_java(
    tmp_path: Path, other_javas: dict[int, str]
) -> None:
    """JOC builds the certificate login's Basic header with the JVM's default charset and reads
    it as UTF-8 (tests/joc/JocHeader.java runs that code): on Java 17 with windows-1252,
    ISO-8859-1 or ASCII as the default every non-ASCII account comes back changed (exactly as
    header_account says), with UTF-8 - and on Java 25 by default - it stays."""
    _require("java and javac (17)", bool(shutil.which("java") and shutil.which("javac")))
    accounts = tmp_path / "accounts.txt"
    accounts.write_text("\n".join(HEADER_ACCOUNTS) + "\n", encoding="utf-8")
    # compiled once (PyPI's Java 25 runtime has no compiler for source-file launching)
    javac = ["javac", "--release", "17", "-d", str(tmp_path), str(HERE / "JocHeader.java")]
    subprocess.run(javac, check=True, capture_output=True, timeout=120)
    runs = [(["java", f"-Dfile.encoding={name}"], name) for name in CHARSETS]
    runs.append(([other_javas[25]], "UTF-8"))  # JEP 400: UTF-8 by default from Java 18
    for argv, charset in runs:
        done = subprocess.run(
            [*argv, "-cp", str(tmp_path), "JocHeader", str(accounts)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-800:]
        lines = [line.split(" ") for line in done.stdout.splitlines()]
        assert {line[0] for line in lines} == {charset}
        ours = [header_account(a, CHARSETS[charset]) for a in HEADER_ACCOUNTS]
        assert [line[2] for line in lines] == [o.encode("utf-8").hex() for o in ours]
        same = [line[1] == "true" for line in lines]
        assert same == [o == a for o, a in zip(ours, HEADER_ACCOUNTS, strict=True)]
        plain = [a.isascii() and ":" not in a for a in HEADER_ACCOUNTS]
        assert same == ([":" not in a for a in HEADER_ACCOUNTS] if charset == "UTF-8" else plain)


def test_non_ascii_account_warns_on_java_17_and_older_only(
    lint_base: LintBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JC471: on Java <= 17 the login depends on JOC's default charset (a Windows JOC mangles
    the account); Java 18+ reads it in UTF-8 everywhere. The certificate itself is fine."""
    client = _pinned_client(lint_base, tmp_path / "juergen.pem", "jürgen")
    for java, warned in (("11", True), ("17", True), ("21", False), ("25", False)):
        code, doc = lint_base.lint(
            capsys, "--client-cert", str(client), "--account", "jürgen", "--java-version", java
        )
        (found,) = doc["client_certificates"]
        login = found["login"]
        assert found["accepted"] is True and login["account"] == "jürgen"
        assert login["possible"] is True and code == 0
        assert [p["rule"] for p in login["problems"]] == (["JC471"] if warned else [])
        if warned:
            (problem,) = login["problems"]
            assert problem["severity"] == "warning" and f"Java {java}" in problem["message"]
            assert "becomes 'j\ufffdrgen'" in problem["message"]
            assert "-Dfile.encoding=UTF-8" in problem["fix"]
