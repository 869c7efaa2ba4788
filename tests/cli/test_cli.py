"""The command line: output, exit codes, safe writes, secrets, one-line errors."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from jettycfg.cli import run


def out_err(capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_show_masks_passwords(sample_base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["ini", "show", "--base", str(sample_base), "--jetty-version", "9.4.57"]) == 0
    out, _ = out_err(capsys)
    assert "jobscheduler" not in out and "********" in out
    assert "jetty.sslContext.keyStoreType" in out and "start.ini:43" in out
    assert run(["ini", "show", "--base", str(sample_base), "--show-secrets"]) == 0
    assert "jobscheduler" in out_err(capsys)[0]


def test_show_json(sample_base27: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(
            [
                "ini",
                "show",
                "--base",
                str(sample_base27),
                "--format",
                "json",
                "--jetty-version",
                "11",
            ]
        )
        == 0
    )
    data = json.loads(out_err(capsys)[0])
    props = {p["key"]: p for p in data["properties"]}
    need = props["jetty.sslContext.needClientAuth"]
    assert need["value"] == "true" and need["default"] is False
    assert need["file"].endswith("ssl.ini") and need["line"] == 43
    assert props["jetty.sslContext.keyStorePassword"]["value"] == "********"
    assert props["jetty.ssl.sniHostCheck"]["default"] is True
    assert data["jetty_version"] == "11"


def test_get(sample_base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["ini", "get", "--base", str(sample_base), "jetty.ssl.port"]) == 0
    assert out_err(capsys)[0] == "4443\n"
    assert run(["ini", "get", "--base", str(sample_base), "no.such.key"]) == 1
    assert run(["ini", "get", "--base", str(sample_base), "jetty.sslContext.keyStorePassword"]) == 2
    assert "jobscheduler" not in "".join(out_err(capsys))
    assert (
        run(
            [
                "ini",
                "get",
                "--file",
                str(sample_base / "start.ini"),
                "jetty.sslContext.keyStorePassword",
                "--show-secrets",
            ]
        )
        == 0
    )
    assert out_err(capsys)[0] == "jobscheduler\n"


def test_set_dry_run_shows_masked_diff_and_changes_nothing(
    sample_base: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jettycfg.jetty.obf import obfuscate

    ini = sample_base / "start.ini"
    before = ini.read_bytes()
    secret = obfuscate("jobscheduler")  # the same password, so Jetty still starts (issue 8)
    code = run(
        [
            "ini",
            "set",
            "--base",
            str(sample_base),
            "--dry-run",
            "jetty.ssl.port=9443",
            f"jetty.sslContext.keyStorePassword={secret}",
        ]
    )
    out, _ = out_err(capsys)
    assert code == 0 and ini.read_bytes() == before
    assert "-jetty.ssl.port=4443\n+jetty.ssl.port=9443\n" in out
    assert secret not in out and "+jetty.sslContext.keyStorePassword=********" in out


def test_set_writes_atomically_keeps_mode_and_backup(sample_base: Path) -> None:
    ini = sample_base / "start.ini"
    ini.chmod(0o640)
    before = ini.read_bytes()
    assert run(["ini", "set", "--base", str(sample_base), "--backup", "jetty.ssl.port=9443"]) == 0
    assert stat.S_IMODE(ini.stat().st_mode) == 0o640
    assert (sample_base / "start.ini.bak").read_bytes() == before
    after = ini.read_bytes()
    assert after == before.replace(b"jetty.ssl.port=4443", b"jetty.ssl.port=9443")
    assert not [p for p in sample_base.iterdir() if p.name.endswith(".tmp")]
    assert run(["ini", "set", "--base", str(sample_base), "--backup", "jetty.ssl.port=1"]) == 0
    assert (sample_base / "start.ini.bak.2").read_bytes() == after


def test_set_keeps_crlf(sample_base27: Path) -> None:
    ssl_ini = sample_base27 / "start.d" / "ssl.ini"
    before = ssl_ini.read_bytes()
    assert run(["ini", "set", "--base", str(sample_base27), "jetty.ssl.port=5443"]) == 0
    assert ssl_ini.read_bytes() == before.replace(b"port=4443\r\n", b"port=5443\r\n")


def test_unset(sample_base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["ini", "unset", "--base", str(sample_base), "jetty.http.port", "nope"]) == 0
    assert b"jetty.http.port" not in (sample_base / "start.ini").read_bytes()
    assert "nope was not set" in out_err(capsys)[1]


@pytest.mark.parametrize(
    "argv",
    [
        ["ini", "show", "--base", "{tmp}/missing"],
        ["ini", "show", "--base", "{tmp}/file"],
        ["ini", "show", "--base", "{tmp}/badutf8"],
        ["ini", "get", "--file", "{tmp}", "k"],
        ["ini", "set", "--base", "{tmp}/badutf8", "k=v"],
        ["ini", "set", "--base", "{tmp}/badutf8", "k v"],
        ["no-such-command"],
        ["ini", "show", "--format", "xml"],
        ["client-auth", "maybe"],
        ["init", "--base", "{tmp}/file"],
        ["ini", "show", "--jetty-version", "8"],
    ],
)
def test_bad_input_is_one_line_exit_2(
    tmp_path: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("x")
    (tmp_path / "badutf8" / "start.d").mkdir(parents=True)
    (tmp_path / "badutf8" / "start.d" / "ssl.ini").write_bytes(b"--module=ssl\nk=\xc3\x28\n")
    args = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert run(args) == 2
    out, err = out_err(capsys)
    assert out == "" and err.count("\n") == 1 and err.startswith("jettycfg: error: ")
    assert (
        tmp_path / "badutf8" / "start.d" / "ssl.ini"
    ).read_bytes() == b"--module=ssl\nk=\xc3\x28\n"


def test_internal_error_is_exit_3_without_secrets(
    sample_base: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("password=hunter2")

    monkeypatch.setattr("jettycfg.jetty.base.evaluate", boom)
    monkeypatch.setattr("jettycfg.cli.ini_cmd.evaluate", boom)
    assert run(["ini", "show", "--base", str(sample_base)]) == 3
    _, err = out_err(capsys)
    assert "internal error RuntimeError" in err and "hunter2" not in err


def test_password_obfuscate_and_back(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PW", "jobscheduler")
    assert run(["password", "obfuscate", "--password-env", "PW"]) == 0
    obf = out_err(capsys)[0].strip()
    assert obf == "OBF:1wmv1v2h1tv91z0d1shq1toi1toc1shs1z0h1tvt1v1x1wnb"
    monkeypatch.setenv("OBFV", obf)
    assert run(["password", "deobfuscate", "--password-env", "OBFV"]) == 0
    assert out_err(capsys)[0] == "jobscheduler\n"
    assert run(["password", "obfuscate", "--password-env", "UNSET_VAR_X"]) == 2


def test_client_auth_twice(sample_base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["client-auth", "need", "--base", str(sample_base)]
    assert run(argv) == 0
    first = out_err(capsys)[0]
    assert "jetty.sslContext.needClientAuth=true" in first
    text = (sample_base / "start.ini").read_text()
    assert "jetty.sslContext.endpointIdentificationAlgorithm=\n" in text  # version unknown
    assert run(argv) == 0
    assert "already 'need': nothing changed" in out_err(capsys)[0]
    assert (sample_base / "start.ini").read_text() == text


def test_client_auth_dry_run(sample_base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (sample_base / "start.ini").read_bytes()
    assert (
        run(
            [
                "client-auth",
                "want",
                "--base",
                str(sample_base),
                "--jetty-version",
                "9.4.57",
                "--dry-run",
            ]
        )
        == 0
    )
    out, _ = out_err(capsys)
    assert "+jetty.sslContext.wantClientAuth=true" in out
    assert "endpointIdentificationAlgorithm" not in out  # 9.4.57 does not need it
    assert (sample_base / "start.ini").read_bytes() == before


def test_init_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = tmp_path / "new"
    assert run(["init", "--base", str(base), "--jetty-version", "12", "--client-auth", "need"]) == 0
    ssl_ini = (base / "start.d" / "ssl.ini").read_text()
    assert "--modules=ssl" in ssl_ini and "needClientAuth=true" in ssl_ini
    assert "endpointIdentificationAlgorithm" not in ssl_ini
    (base / "start.d" / "ssl.ini").write_text("# mine\n")
    assert run(["init", "--base", str(base), "--jetty-version", "12"]) == 2
    assert (base / "start.d" / "ssl.ini").read_text() == "# mine\n"
    assert run(["init", "--base", str(base), "--jetty-version", "12", "--force"]) == 0
    assert (base / "start.d" / "ssl.ini.bak").read_text() == "# mine\n"


def test_installed_entry_points(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "jettycfg"
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("jettycfg, version ")
    bad = subprocess.run(
        [sys.executable, "-m", "jettycfg", "ini", "show", "--base", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        env={**os.environ, "JETTY_BASE": ""},
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.strip() == f"jettycfg: error: Jetty base does not exist: {tmp_path / 'x'}"


def test_unreadable_file_is_one_line_exit_2(
    sample_base: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Tests run as root here, where chmod 000 still reads: make the read itself fail.
    from jettycfg import fsio

    real = fsio.read_limited

    def denied(path: Path, limit: int) -> bytes:
        if path.name == "start.ini":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, limit)

    monkeypatch.setattr(fsio, "read_limited", denied)
    assert run(["ini", "show", "--base", str(sample_base)]) == 2
    err = capsys.readouterr().err
    assert err == f"jettycfg: error: {sample_base / 'start.ini'}: cannot read: Permission denied\n"


def test_writes_follow_symlinks_and_refuse_devices(
    sample_base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "etc-start.ini"
    (sample_base / "start.ini").rename(real)
    (sample_base / "start.ini").symlink_to(real)
    assert run(["ini", "set", "--base", str(sample_base), "jetty.ssl.port=9999"]) == 0
    assert (sample_base / "start.ini").is_symlink()
    assert b"jetty.ssl.port=9999" in real.read_bytes()
    capsys.readouterr()
    assert run(["ini", "set", "--file", "/dev/null", "k=v"]) == 2
    assert "not a regular file" in capsys.readouterr().err
    assert Path("/dev/null").is_char_device()


def test_no_python_warnings_on_stderr_for_java_cacerts() -> None:
    """Debian's cacerts holds certificates with a non-positive serial: cryptography warns,
    the tool does not pass that on (and the library sets no global filter at import)."""
    import subprocess
    import sys
    from pathlib import Path

    cacerts = Path("/etc/ssl/certs/java/cacerts")
    if not cacerts.exists():
        pytest.skip("no Debian Java cacerts")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "jettycfg",
            "store",
            "list",
            str(cacerts),
            "--storepass",
            "changeit",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stderr == ""
    probe = "import warnings, jettycfg.certs, jettycfg.api; print(len(warnings.filters))"
    before = subprocess.run(
        [sys.executable, "-c", "import warnings; print(len(warnings.filters))"],
        capture_output=True,
        text=True,
    ).stdout
    after = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout
    assert before == after


def test_lint_with_an_unreadable_client_file_says_so_on_stderr(
    sample_base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 2 for the user's input always comes with one stderr line; the report still comes
    out with JC463 for that file."""
    bad = tmp_path / "bad.pem"
    bad.write_bytes(b"garbage\n")
    capsys.readouterr()
    assert run(["lint", "--base", str(sample_base), "--client-cert", str(bad)]) == 2
    out, err = out_err(capsys)
    assert "JC463" in out
    assert err.count("\n") == 1 and str(bad) in err and "cannot read" in err


def test_raw_bytes_from_files_are_escaped_in_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An alias (friendlyName) with a newline and an escape sequence, and a file name with a
    line break: shown escaped, never acted on, one line per error."""
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    from tests.pki import issue

    leaf = issue("evil")
    store = tmp_path / "evil.p12"
    name = b"line1\nForged: entry\x1b[31m"
    store.write_bytes(
        pkcs12.serialize_key_and_certificates(
            name, leaf.key, leaf.cert, None, BestAvailableEncryption(b"pw")
        )
    )
    capsys.readouterr()
    assert run(["store", "list", str(store), "--storepass", "pw"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b[31m" in out
    assert not any(line.lower().startswith("forged:") for line in out.splitlines())
    missing = tmp_path / "no\nsuch\x1b[2J.p12"
    assert run(["store", "list", str(missing), "--storepass", "pw"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err and "no\\nsuch" in err


def test_symlink_loops_and_read_only_places_are_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A link loop as the file to edit or the store to write, and `init` where no folder can be
    made (/proc, /sys: read-only even for root): one line, exit 2, nothing written."""
    loop = tmp_path / "loop.ini"
    loop.symlink_to(loop.name)
    store_loop = tmp_path / "loop.p12"
    store_loop.symlink_to(store_loop.name)
    ca = tmp_path / "ca.pem"
    from cryptography.hazmat.primitives.serialization import Encoding

    from tests.pki import issue

    ca.write_bytes(issue("Loop CA", ca=True).cert.public_bytes(Encoding.PEM))
    cases = [
        ["ini", "set", "--file", str(loop), "k=v"],
        ["store", "import", str(store_loop), str(ca), "--storepass", "pw-123456"],
        ["init", "--base", "/proc/jettycfg-test-base", "--jetty-version", "9.4"],
        ["init", "--base", "/sys/kernel/jettycfg-test-base", "--jetty-version", "12.1"],
    ]
    for argv in cases:
        capsys.readouterr()
        assert run(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "internal error" not in err, (argv, err)
    assert loop.is_symlink() and store_loop.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ca.pem", "loop.ini", "loop.p12"]


def test_init_force_does_not_break_a_base_that_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """JOC 2.4's base starts; `init --force` without its passwords wrote a start.ini whose
    keystore password was a commented placeholder (JC302, exit 0). Now the start guard judges
    the rewrite as any edit; with the passwords it goes through. A dry run of a clash without
    --force is refused as the real run is (it showed a diff and exit 0)."""
    base = tmp_path / "jetty_base"
    shutil.copytree(Path(__file__).resolve().parents[2] / "samples/joc-2.4/jetty_base", base)
    before = (base / "start.ini").read_bytes()
    init = ["init", "--base", str(base), "--jetty-version", "9.4.57"]
    capsys.readouterr()
    assert run([*init, "--dry-run"]) == 2
    assert run([*init, "--force"]) == 2
    err = capsys.readouterr().err
    assert "does not start (JC302" in err.splitlines()[-1], err
    assert (base / "start.ini").read_bytes() == before and not (base / "start.ini.bak").exists()
    monkeypatch.setenv("JOC_PW", "jobscheduler")  # the sample's own store password
    pw = ["--keystore-password-env", "JOC_PW", "--truststore-password-env", "JOC_PW"]
    assert run([*init, "--force", *pw]) == 0
    assert (base / "start.ini.bak").read_bytes() == before


def test_init_refuses_a_layout_another_file_overrides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A start.ini written beside a start.d/ssl.ini: start.jar reads start.d later, so `need`
    and the new port silently stayed `want` and the old port (exit 0)."""
    base = tmp_path / "b"
    init = ["init", "--base", str(base), "--jetty-version", "10"]
    assert run([*init, "--client-auth", "want"]) == 0
    before = sorted(p.name for p in base.rglob("*"))
    capsys.readouterr()
    assert run([*init, "--layout", "start.ini", "--client-auth", "need", "--port", "9443"]) == 2
    err = capsys.readouterr().err
    assert "start.d/ssl.ini sets" in err and "--layout start.d" in err and err.count("\n") == 1
    assert sorted(p.name for p in base.rglob("*")) == before  # no start.ini written
    assert run([*init, "--client-auth", "need", "--force"]) == 0  # same layout: fine
