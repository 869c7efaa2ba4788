"""Exit-code classes (issue 11): bad input exits 0, 1 or 2 - never 3 - and exit 2 always comes
with exactly one line on stderr; bytes from a file reach stderr escaped; lint's --at counts the
chain's days_left; --client-cert reads a PKCS#12 with --client-pass."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from jettycfg.cli import run
from jettycfg.errors import StoreError, printable
from tests.lint.conftest import PASSWORD, LintBase

CONTROL = {chr(c) for c in range(0x20)} | {"\x7f"}


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _bad_inputs(root: Path) -> dict[str, Path]:
    (root / "dir").mkdir()
    (root / "empty").write_bytes(b"")
    (root / "junk").write_bytes(b"\x00\xff junk\n\x1b[31m")
    (root / "ctl.ini").write_bytes(b"jetty.ssl.port\x1b[2J\n=1\r\n\x00x=y\n")
    return {
        "missing": root / "missing",
        "dir": root / "dir",
        "empty": root / "empty",
        "junk": root / "junk",
        "ctl": root / "ctl.ini",
    }


def _commands(b: dict[str, Path], base: Path, out: Path) -> list[list[str]]:
    cmds = []
    for p in map(str, b.values()):
        cmds += [
            ["ini", "show", "--file", p],
            ["ini", "get", "jetty.ssl.port", "--file", p],
            ["ini", "set", "a=b", "--file", p, "--dry-run"],
            ["ini", "unset", "a", "--file", p, "--dry-run"],
            ["client-auth", "need", "--base", p, "--dry-run"],
            ["lint", "--base", p, "--jetty-version", "9.4.57"],
            ["lint", "--base", str(base), "--jetty-version", "9.4.57", "--client-cert", p],
            [
                "lint",
                "--base",
                str(base),
                "--jetty-version",
                "9.4.57",
                "--client-p12",
                p,
                "--client-pass",
                "x",
            ],
            ["lint", "--base", str(base), "--jetty-version", "9.4.57", "--accounts-file", p],
            ["store", "list", p, "--storepass", "x"],
            ["store", "list", str(base / "etc/truststore.p12"), "--storepass-file", p],
            ["store", "import", p, "--store", str(out / "new.p12"), "--storepass", "x"],
            ["store", "export", p, "--alias", "a", "--storepass", "x"],
            ["store", "convert", p, str(out / "conv.jks"), "--storepass", "x"],
            ["store", "passwd", p, "--storepass", "x", "--new-storepass", "yyyyyy"],
            [
                "client",
                "bundle",
                "--cert",
                p,
                "--key",
                p,
                "--out",
                str(out / "b.p12"),
                "--bundle-pass",
                "x",
            ],
            ["password", "obfuscate", "--password-file", p],
        ]
    cmds += [
        ["init", "--base", str(b["empty"] / "sub")],
        ["lint", "--base", str(base), "--at", "yesterday"],
        ["ini", "set", "novalue", "--file", str(out / "x.ini")],
        ["rules", "JC999"],
        ["nosuchcommand"],
    ]
    return cmds


def test_bad_inputs_never_exit_3(
    lint_base: LintBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "out").mkdir()
    commands = _commands(_bad_inputs(tmp_path), lint_base.path, tmp_path / "out")
    seen = set()
    for args in commands:
        code, _, err = _run(capsys, *args)
        seen.add(code)
        assert code in (0, 1, 2), (args, code, err)
        if code == 2:
            lines = err.splitlines()
            assert len(lines) == 1 and lines[0].startswith("jettycfg: error: "), (args, err)
        assert not CONTROL & set(err.replace("\n", "")), (args, err)
    assert 2 in seen
    assert not list((tmp_path / "out").iterdir())  # nothing half-written by a failed command


def test_unreadable_client_file_says_so_on_stderr(
    lint_base: LintBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(
        capsys,
        "lint",
        "--base",
        str(lint_base.path),
        "--jetty-version",
        "9.4.57",
        "--client-cert",
        str(tmp_path / "gone.pem"),
        "--client-cert",
        str(lint_base.client),
    )
    assert code == 2 and "gone.pem" in out and "CN=root" in out  # the report goes on around it
    assert err.count("\n") == 1 and "cannot read the client certificate file" in err


def _p12(lint_base: LintBase, path: Path, password: bytes) -> Path:
    client = lint_base.pki.client
    enc = serialization.BestAvailableEncryption(password)
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"root", client.key, client.cert, [lint_base.pki.ca.cert], enc
        )
    )
    return path


def _lint_json(lint_base: LintBase, client: str) -> list[str]:
    """lint of one client file on the shared base, JSON report on stdout."""
    base = ["lint", "--base", str(lint_base.path), "--jetty-version", "9.4.57"]
    return [*base, "--format", "json", "--client-cert", client]


def test_client_cert_reads_pkcs12_with_client_pass(
    lint_base: LintBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p12 = _p12(lint_base, tmp_path / "c.p12", b"Bundle-pw-1")
    base = _lint_json(lint_base, str(p12))
    code, out, _ = _run(capsys, *base, "--client-pass", "Bundle-pw-1")
    assert code == 0 and json.loads(out)["client_certificates"][0]["accepted"] is True
    code, out, err = _run(capsys, *base)
    assert code == 2 and "--client-pass" in out and err.count("\n") == 1


def test_at_moves_the_chain_days_left(
    lint_base: LintBase, capsys: pytest.CaptureFixture[str]
) -> None:
    args = _lint_json(lint_base, str(lint_base.client))
    _, now, _ = _run(capsys, *args)
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=100)
    _, at, _ = _run(capsys, *args, "--at", later.isoformat())
    before = [c["days_left"] for c in json.loads(now)["client_certificates"][0]["chain"]]
    after = [c["days_left"] for c in json.loads(at)["client_certificates"][0]["chain"]]
    assert len(before) == len(after) > 0
    assert all(b - a in (99, 100, 101) for b, a in zip(before, after, strict=True)), (before, after)


def test_printable_escapes_every_control_character() -> None:
    raw = "".join(chr(c) for c in range(0x20)) + "\x7f\x85\u2028\u202e ok é"
    shown = printable(raw)
    assert shown.isprintable() and shown.endswith(" ok é") and "\\x1b" in shown


def test_raw_jks_bytes_are_escaped_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A JKS trusted entry whose certificate type is 'X.509\\n\\x1b[2J' (keyed SHA-1 valid)."""
    import hashlib
    import struct

    def utf(s: bytes) -> bytes:
        return struct.pack(">H", len(s)) + s

    body = b"\xfe\xed\xfe\xed" + struct.pack(">II", 2, 1)
    body += struct.pack(">I", 2) + utf(b"evil\x1b]0;x\x07") + struct.pack(">Q", 0)
    body += utf(b"X.509\n\x1b[2Jinjected") + struct.pack(">I", 3) + b"abc"
    key = "".join(c + "\0" for c in PASSWORD).encode("latin-1")
    body += hashlib.sha1(key + b"Mighty Aphrodite" + body).digest()
    store = tmp_path / "evil.jks"
    store.write_bytes(body)
    code, out, err = _run(capsys, "store", "list", str(store), "--storepass", PASSWORD)
    assert code in (0, 2), err
    assert not CONTROL & set((out + err).replace("\n", "")), (out, err)
    if code == 2:
        assert err.count("\n") == 1


def test_store_error_text_is_escaped_before_printing() -> None:
    assert "\n" not in printable(str(StoreError("alias 'a\nb'")))


def test_value_with_blanks_is_the_users_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was 'internal: could not place a' with exit 2: start.jar trims the value."""
    code, _, err = _run(capsys, "ini", "set", "a= x ", "--file", str(tmp_path / "s.ini"))
    assert code == 2 and "trims blanks" in err and err.count("\n") == 1
    assert not (tmp_path / "s.ini").exists()


def test_broken_invariant_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit that does not read back as made is our bug (exit 3), not the user's input."""
    from jettycfg.jetty.edit import Workspace

    monkeypatch.setattr(Workspace, "_value_of", lambda self, key: "something else")
    code, _, err = _run(capsys, "ini", "set", "a=b", "--file", str(tmp_path / "s.ini"))
    assert code == 3 and "internal error InternalError" in err
    assert not (tmp_path / "s.ini").exists()


def test_probe_client_cert_takes_pkcs12(
    lint_base: LintBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """probe --client-cert x.p12 --client-pass P reads the bundle (was: 'cannot read the client
    certificate'); a closed port then is the only error."""
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p12 = str(_p12(lint_base, tmp_path / "c.p12", b"Bundle-pw-2"))
    args = ["probe", f"127.0.0.1:{port}", "--client-cert", p12, "--timeout", "2"]
    code, _, err = _run(capsys, *args, "--client-pass", "nope")
    assert code == 2 and "wrong store password" in err and err.count("\n") == 1
    code, _, err = _run(capsys, *args, "--client-pass", "Bundle-pw-2")
    assert code == 2 and "connection refused" in err and err.count("\n") == 1


def test_aliases_and_ini_values_reach_stdout_escaped(
    lint_base: LintBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An alias with ESC and a newline (keytool accepts it) and an ini value with ESC."""
    cert = tmp_path / "one.crt"
    cert.write_bytes(lint_base.pki.ca.cert.public_bytes(serialization.Encoding.PEM))
    store, alias = str(tmp_path / "ev.jks"), "ev\x1b[31mil\nx"
    pw = ["--storepass", "Store-pw-9"]
    shown = []
    for args in (
        ["store", "import", store, str(cert), "--alias", alias, "--type", "jks", *pw],
        ["store", "list", store, *pw],
        ["store", "remove", store, alias, "--dry-run", *pw],
    ):
        code, out, err = _run(capsys, *args)
        assert code == 0, (args, err)
        assert not CONTROL & set(out.replace("\n", "")), (args, out)
        shown.append(out)
    assert all("ev\\x1b[31mil\\nx" in out for out in shown), shown
    base = tmp_path / "eb"
    base.mkdir()
    (base / "start.ini").write_bytes(b"a=\x1b[31mred\n")
    code, out, _ = _run(capsys, "ini", "show", "--base", str(base))
    assert code == 0 and "\\x1b[31mred" in out and "\x1b" not in out


def test_unknown_certificate_version_is_unreadable_input_not_a_crash(
    lint_base: LintBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A version field cryptography does not know (InvalidVersion is no ValueError)."""
    from cryptography import x509

    der = x509.load_pem_x509_certificate(lint_base.client.read_bytes()).public_bytes(
        serialization.Encoding.DER
    )
    v4 = der.replace(bytes.fromhex("a003020102"), bytes.fromhex("a003020103"), 1)
    assert v4 != der
    for name, data in (("v4.der", v4), ("v4.pem", _pem(v4))):
        (tmp_path / name).write_bytes(data)
        code, out, err = _run(capsys, *_lint_json(lint_base, str(tmp_path / name)))
        assert code == 2 and err.count("\n") == 1 and "JC463" in out, (name, err)


def _pem(der: bytes) -> bytes:
    import base64

    body = base64.encodebytes(der).replace(b"\n", b"")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return b"-----BEGIN CERTIFICATE-----\n" + b"\n".join(lines) + b"\n-----END CERTIFICATE-----\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["password", "obfuscate", "--password-env", "LATIN1_PW"],
        ["store", "import", "{tmp}/new.p12", "{cert}", "--storepass-env", "LATIN1_PW"],
        ["store", "list", "{store}", "--storepass-env", "LATIN1_PW"],
        [
            "store",
            "convert",
            "{store}",
            "{tmp}/x.p12",
            "--storepass",
            PASSWORD,
            "--deststorepass-env",
            "LATIN1_PW",
        ],
        [
            "ini",
            "set",
            "--base",
            "{base}",
            "jetty.sslContext.trustStorePassword",
            "--value-env",
            "LATIN1_PW",
        ],
        ["ini", "set", "--base", "{base}", "jetty.sslContext.trustStorePassword=p\udce4ss"],
        [
            "client",
            "issue",
            "--account",
            "z",
            "--self-signed",
            "--out-dir",
            "{tmp}/o",
            "--password-env",
            "LATIN1_PW",
        ],
    ],
)
def test_text_the_locale_could_not_decode_is_one_line_exit_2(
    argv: list[str],
    lint_base: LintBase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A Latin-1 password under a UTF-8 locale reaches Python as lone surrogates: it was an
    internal error (exit 3, UnicodeEncodeError) in obfuscate, stores, ini and client."""
    monkeypatch.setenv("LATIN1_PW", "p\udce4ss")  # the bytes p, 0xE4, s, s
    base = lint_base.path
    before = {p: p.read_bytes() for p in base.rglob("*") if p.is_file()}
    names = {"tmp": tmp_path, "base": base, "cert": lint_base.client}
    names["store"] = base / "etc" / "truststore.p12"
    code, _, err = _run(capsys, *[a.format(**names) for a in argv])
    assert code == 2 and err.count("\n") == 1 and "UTF-8" in err, err
    assert {p: p.read_bytes() for p in base.rglob("*") if p.is_file()} == before
    assert not any((tmp_path / n).exists() for n in ("new.p12", "x.p12", "o"))


@pytest.mark.parametrize("value", ["abc", "nan", "-1", "inf", ""])
def test_a_bad_lock_timeout_is_one_line_exit_2(
    value: str,
    lint_base: LintBase,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """$JETTYCFG_LOCK_TIMEOUT was read with float() when the module was imported: a bad value
    broke every command with an internal error (exit 3). Empty means the default."""
    monkeypatch.setenv("JETTYCFG_LOCK_TIMEOUT", value)
    argv = ["ini", "set", "--base", str(lint_base.path), "jetty.sslContext.wantClientAuth=true"]
    code, _, err = _run(capsys, *argv)
    if value == "":
        assert code == 0, err
        return
    assert code == 2 and err.count("\n") == 1 and "JETTYCFG_LOCK_TIMEOUT" in err, err


@pytest.mark.parametrize(
    "argv",
    [
        ["store", "list", "{p}"],
        ["store", "import", "{p}", "{cert}", "--storepass", "x"],
        ["store", "convert", "{p}", "{tmp}/o.jks", "--storepass", "x", "--deststorepass", "y"],
        ["store", "passwd", "{p}", "--storepass", "x", "--new-storepass", "yyyyyy"],
        ["store", "export", "{p}", "a", "--storepass", "x"],
    ],
)
def test_an_empty_store_file_is_named_in_the_error(
    argv: list[str], lint_base: LintBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.p12"
    empty.write_bytes(b"")
    names = {"p": str(empty), "cert": str(lint_base.client), "tmp": str(tmp_path)}
    code, _, err = _run(capsys, *[a.format(**names) for a in argv])
    assert code == 2 and err == f"jettycfg: error: {empty}: empty file\n", err


@pytest.mark.parametrize(
    ("hostname", "message"),
    [
        ("", "not a host name"),
        ("localhost:8443", "not a host name"),
        ("[::1]", "not a host name"),
        ("a..b", "not a host name"),
        ("-x.example.com", "not a host name"),
        (f"{'a' * 30}.{'b' * 30}.example.com", "at most 64 characters"),  # was exit 3
    ],
)
def test_init_hostname_is_checked_before_anything_is_written(
    hostname: str,
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("INIT_PW", "init-pass-1")
    base = tmp_path / "b"
    argv = ["init", "--base", str(base), "--generate-keystore", "--keystore-password-env"]
    code, _, err = _run(capsys, *argv, "INIT_PW", "--hostname", hostname)
    assert code == 2 and err.count("\n") == 1 and message in err, err
    assert not base.exists() or not any(p.is_file() for p in base.rglob("*"))


def test_init_hostname_forms_java_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A non-ASCII name goes in as its IDNA A-label ('ü.de' was an internal error), a wildcard
    and an IPv6 address as they are."""
    from cryptography import x509

    from jettycfg.stores import files

    monkeypatch.setenv("INIT_PW", "init-pass-1")
    argv = ["init", "--base", str(tmp_path / "b"), "--generate-keystore"]
    names = ["ü.de", "*.example.com", "::1"]
    hosts = [a for n in names for a in ("--hostname", n)]
    code, _, err = _run(capsys, *argv, "--keystore-password-env", "INIT_PW", *hosts)
    assert code == 0, err
    (store,) = [p for p in (tmp_path / "b").rglob("*keystore*") if p.is_file()]
    cert = files.load(store, "init-pass-1").entries[0].certs[0]
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["xn--tda.de", "*.example.com"]
    assert [str(a) for a in san.get_values_for_type(x509.IPAddress)] == ["::1"]


@pytest.mark.parametrize("value", ["resources/joc/", "", "etc"])
def test_init_store_path_must_name_a_file(
    value: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--keystore resources/joc/` wrote the generated keystore as a file named resources/joc
    and named a truststore that can never exist (exit 0)."""
    monkeypatch.setenv("INIT_PW", "init-pass-1")
    base = tmp_path / "b"
    (base / "etc").mkdir(parents=True)
    argv = ["init", "--base", str(base), "--generate-keystore", "--keystore-password-env"]
    code, _, err = _run(capsys, *argv, "INIT_PW", "--keystore", value)
    assert code == 2 and err.count("\n") == 1 and "not a folder" in err, err
    assert [p.name for p in base.iterdir()] == ["etc"] and not any((base / "etc").iterdir())
