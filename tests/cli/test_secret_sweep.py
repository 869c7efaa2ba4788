"""The secrets sweep (issue 11): one canary password given in every way a secret can reach
jettycfg - env, file, option, a property referenced by a password key, a store password, a
bundle password, a wrong password, a mistyped argument - and every command run over it. No
output (stdout, stderr, reports, dry-run diffs) may show it, clear or OBF-encoded; only
`--show-secrets` may."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from jettycfg.cli import run
from jettycfg.jetty import obf
from tests.pki import issue, make_pki, write_stores

CANARY = "CanarY-s3cret-4711"


def forms() -> list[str]:
    """The canary as it could leak: clear, OBF (as ini files hold it), base64, hex."""
    return [
        CANARY,
        obf.obfuscate(CANARY).removeprefix("OBF:"),
        base64.b64encode(CANARY.encode()).decode(),
        CANARY.encode().hex(),
    ]


@pytest.fixture
def world(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> dict[str, Path]:
    monkeypatch.setenv("CANARY_PW", CANARY)
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(CANARY + "\n")
    base = tmp_path / "base"
    write_stores(make_pki(), base / "etc", CANARY.encode())
    argv = ["init", "--base", str(base), "--jetty-version", "9.4.57", "--client-auth", "need"]
    argv += ["--keystore", "etc/keystore.p12", "--truststore", "etc/truststore.p12"]
    argv += ["--keystore-password-env", "CANARY_PW", "--truststore-password-file", str(secret_file)]
    assert run([*argv, "--dry-run"]) == 0
    assert run(argv) == 0
    # a password held in another property and referenced from a password key
    with (base / "start.ini").open("a") as ini:
        ini.write(
            f"my.vault.entry={CANARY}\njetty.sslContext.trustStorePassword=${{my.vault.entry}}\n"
        )
    ca = tmp_path / "ca.pem"
    ca.write_bytes(issue("Sweep CA", ca=True).cert.public_bytes(Encoding.PEM))
    client_ca = tmp_path / "client-ca.pem"
    authority = issue("Sweep Client CA", ca=True)
    from cryptography.hazmat.primitives import serialization

    client_ca.write_bytes(
        authority.cert.public_bytes(Encoding.PEM)
        + authority.key.private_bytes(
            Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(CANARY.encode()),
        )
    )
    return {"base": base, "secret": secret_file, "ca": ca, "client_ca": client_ca, "tmp": tmp_path}


def commands(w: dict[str, Path]) -> list[list[str]]:
    base, secret, tmp = str(w["base"]), str(w["secret"]), w["tmp"]
    store = f"{base}/etc/truststore.p12"
    env = ["--storepass-env", "CANARY_PW"]
    out = [
        ["ini", "show", "--base", base],
        ["ini", "show", "--base", base, "--format", "json"],
        ["ini", "get", "--base", base, "jetty.sslContext.keyStorePassword"],
        ["ini", "get", "--base", base, "jetty.sslContext.trustStorePassword"],
        ["ini", "get", "--base", base, "my.vault.entry"],
        [
            "ini",
            "set",
            "--base",
            base,
            "jetty.sslContext.keyManagerPassword",
            "--value-env",
            "CANARY_PW",
            "--dry-run",
        ],
        [
            "ini",
            "set",
            "--base",
            base,
            "jetty.sslContext.keyManagerPassword",
            "--value-file",
            secret,
        ],
        # --file: these edits would stop Jetty, so on --base they are refused before any diff
        ["ini", "set", "--file", f"{base}/start.ini", "my.vault.entry=other", "--dry-run"],
        ["ini", "unset", "--file", f"{base}/start.ini", "my.vault.entry", "--dry-run"],
        ["ini", "set", "--base", base, f"jetty.sslContext.keyStorePassword:{CANARY}"],
        ["ini", "show", "--base", base, CANARY],
        ["client-auth", "want", "--base", base, "--dry-run"],
        ["client-auth", "want", "--base", base],
        ["store", "list", store, *env],
        ["store", "list", store, "--storepass-file", secret, "--format", "json"],
        ["store", "list", store, "--storepass", "not-it"],
        ["store", "list", f"{base}/etc/keystore.p12", "--storepass", CANARY + "x"],
        ["store", "import", store, str(w["ca"]), *env, "--dry-run"],
        ["store", "import", store, str(w["ca"]), *env, "--backup"],
        ["store", "export", store, *env],
        ["store", "passwd", store, *env, "--new-storepass-env", "CANARY_PW", "--dry-run"],
        ["store", "convert", store, str(tmp / "t.jks"), *env],
        ["store", "list", str(tmp / "t.jks"), *env],
        [
            "client",
            "issue",
            "--account",
            "ops",
            "--ca",
            str(w["client_ca"]),
            "--ca-pass-env",
            "CANARY_PW",
            "--out-dir",
            str(tmp / "c"),
            "--password-env",
            "CANARY_PW",
            "--dry-run",
        ],
        [
            "client",
            "issue",
            "--account",
            "ops",
            "--self-signed",
            "--out-dir",
            str(tmp / "c"),
            "--password-file",
            secret,
            "--base",
            base,
            "--jetty-version",
            "9.4.57",
        ],
        [
            "client",
            "csr",
            "--account",
            "dev",
            "--out-dir",
            str(tmp / "r"),
            "--password-env",
            "CANARY_PW",
            "--dry-run",
        ],
    ]
    for fmt in ("text", "json", "sarif", "junit"):
        report = str(tmp / f"lint.{fmt}")
        out.append(["lint", "--base", base, "--format", fmt, "--output", report])
        bundle = ["--client-p12", str(tmp / "c" / "ops.p12"), "--client-pass-env", "CANARY_PW"]
        out.append(["lint", "--base", base, "--format", fmt, *bundle])
    return out


def test_no_command_shows_the_canary(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    leaks = []
    ran = 0
    codes: list[int] = []
    refused: list[tuple[str, str]] = []
    out, err = capsys.readouterr()  # the fixture's `init --dry-run` and `init`
    assert "jetty.sslContext.keyStorePassword=" in out  # the dry run's diff came out...
    leaks += [(["init"], form) for form in forms() if form in out + err]  # ...masked
    for argv in commands(world):
        capsys.readouterr()
        code = run(argv)
        ran += 1
        out, err = capsys.readouterr()
        assert code in (0, 1, 2), (argv, code, err)
        codes.append(code)
        if code == 2:
            refused.append((" ".join(argv[:4]), err.strip()))
        for form in forms():
            if form in out or form in err:
                leaks.append((argv[:3], form))
    reports = sorted(world["tmp"].glob("lint.*"))
    assert len(reports) == 4
    for report in reports:
        text = report.read_text()
        leaks += [(report.name, f) for f in forms() if f in text]
    assert ran == 34 and leaks == []  # + the two init runs of the fixture
    # the sweep exercises the commands, not only their error paths: 7 inputs are meant to be
    # refused (3 password gets without --show-secrets, a mistyped assignment, an extra
    # argument, two wrong passwords); everything else works
    assert codes.count(2) == 7, refused


def test_show_secrets_is_the_one_way_to_see_it(
    world: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The sweep above can fail: the same value does come out when asked for."""
    base = str(world["base"])
    capsys.readouterr()
    assert run(["ini", "get", "--base", base, "my.vault.entry", "--show-secrets"]) == 0
    assert CANARY in capsys.readouterr().out


def _on_terminal(args: list[str], answers: int) -> tuple[int, str]:
    """Run jettycfg on a pseudo-terminal, typing the canary at each of ``answers`` prompts."""
    import os
    import pty
    import select
    import sys

    pid, fd = pty.fork()
    if pid == 0:  # the child: jettycfg with the terminal as stdin/stdout/stderr
        os.execv(sys.executable, [sys.executable, "-m", "jettycfg", *args])
    seen = b""
    while True:
        ready, _, _ = select.select([fd], [], [], 20)
        if not ready:
            os.kill(pid, 9)
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
        if answers and chunk.rstrip().endswith(b":"):
            os.write(fd, CANARY.encode() + b"\n")
            answers -= 1
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), seen.decode(errors="replace")


def test_prompted_secrets_are_not_echoed(world: dict[str, Path]) -> None:
    """The prompt form on a real pseudo-terminal: the typed secret is never echoed."""
    base = str(world["base"])
    cases = [
        (["store", "list", f"{base}/etc/truststore.p12"], 1, "Alias"),
        (  # the typed value is the one already set
            ["ini", "set", "my.vault.entry", "--value-prompt", "--base", base, "--dry-run"],
            1,
            "nothing to do",
        ),
        (["client", "csr", "--account", "tty", "--out-dir", str(world["tmp"] / "tty")], 2, "tty"),
    ]
    for args, answers, expected in cases:
        code, screen = _on_terminal(args, answers)
        assert code == 0 and expected in screen, (args, screen)
        assert CANARY not in screen, (args, screen)
