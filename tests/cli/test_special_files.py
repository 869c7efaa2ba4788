"""Special files for every option that takes a file (issue 11): a FIFO, /dev/zero and a folder
give one stderr line and exit 2 at once - never a block, never a read without limit.

Every file-taking option of every command (found from the click commands, and checked to be
covered here) is tried in-process with a watchdog (SIGALRM), so a blocking read fails the test
instead of hanging it; a few run through the real executable as well.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from jettycfg.cli import cli, run

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
PW = "jobscheduler"
X = "{X}"  # where the special file goes

# command line per option; {B} a copy of the JOC 2.7 base, {S} its keystore, {C}/{K} a client
# certificate / key, {O} an empty output folder
CASES: dict[str, list[str]] = {
    "ini get --file": ["ini", "get", "--file", X, "a"],
    "ini set --file": ["ini", "set", "--file", X, "a=b"],
    "ini unset --file": ["ini", "unset", "--file", X, "a"],
    "ini set --value-file": ["ini", "set", "--base", "{B}", "--value-file", X, "a"],
    "init --keystore-password-file": ["init", "--base", "{O}/n", "--keystore-password-file", X],
    "init --truststore-password-file": [
        "init",
        "--base",
        "{O}/n",
        "--truststore-password-file",
        X,
    ],
    "lint --client-pass-file": ["lint", "--base", "{B}", "--client-p12", "{S}"],
    "lint --accounts-file": ["lint", "--base", "{B}", "--accounts-file", X],
    "password obfuscate --password-file": ["password", "obfuscate", "--password-file", X],
    "password deobfuscate --password-file": ["password", "deobfuscate", "--password-file", X],
    "probe --client-cert": ["probe", "127.0.0.1:9", "--client-cert", X, "--client-key", "{K}"],
    "probe --client-key": ["probe", "127.0.0.1:9", "--client-cert", "{C}", "--client-key", X],
    "probe --client-p12": ["probe", "127.0.0.1:9", "--client-p12", X, "--client-pass", PW],
    "probe --client-pass-file": ["probe", "127.0.0.1:9", "--client-p12", "{S}"],
    "probe --cafile": ["probe", "127.0.0.1:9", "--cafile", X],
    "store list PATH": ["store", "list", X, "--storepass", PW],
    "store convert SRC": ["store", "convert", X, "{O}/d.jks", "--storepass", PW],
    "store export PATH": ["store", "export", X, "https", "--storepass", PW],
    "store import PATH": ["store", "import", X, "{C}", "--storepass", PW],
    "store import SOURCES": ["store", "import", "{S}", X, "--storepass", PW],
    "store passwd PATH": ["store", "passwd", X, "--storepass", PW, "--new-storepass", "abcdef"],
    "store remove PATH": ["store", "remove", X, "https", "--storepass", PW],
    "store rename PATH": ["store", "rename", X, "https", "h2", "--storepass", PW],
    "store repair-trust PATH": ["store", "repair-trust", X, "--storepass", PW],
    "client bundle --key": [
        *("client", "bundle", "--key", X, "--cert", "{C}", "--out-dir", "{O}", "--password", PW)
    ],
    "client bundle --cert": [
        *("client", "bundle", "--key", "{K}", "--cert", X, "--out-dir", "{O}", "--password", PW)
    ],
    "client bundle --chain": [
        *("client", "bundle", "--key", "{K}", "--cert", "{C}"),
        *("--chain", X, "--out-dir", "{O}", "--password", PW),
    ],
    "client issue --ca": [
        *("client", "issue", "--account", "a", "--ca", X, "--out-dir", "{O}", "--password", PW)
    ],
    "client issue --ca-key": [
        *("client", "issue", "--account", "a", "--ca", "{C}", "--ca-key", X),
        *("--out-dir", "{O}", "--password", PW),
    ],
    "client issue --accounts-file": [
        *("client", "issue", "--accounts-file", X, "--self-signed", "--out-dir", "{O}"),
        *("--password", PW),
    ],
    "client issue --truststore": [
        *("client", "issue", "--account", "a", "--self-signed", "--truststore", X),
        *("--truststore-pass", PW, "--out-dir", "{O}", "--password", PW),
    ],
}
# every `--...-pass(word)-file` secret option: the special file as the secret's file
SECRETS: dict[str, list[str]] = {
    "store list --storepass-file": ["store", "list", "{S}"],
    "store convert --storepass-file": ["store", "convert", "{S}", "{O}/d.jks"],
    "store convert --deststorepass-file": [
        "store",
        "convert",
        "{S}",
        "{O}/d.jks",
        "--storepass",
        PW,
    ],
    "store convert --keypass-file": ["store", "convert", "{S}", "{O}/d.jks", "--storepass", PW],
    "store export --storepass-file": ["store", "export", "{S}", "https"],
    "store import --storepass-file": ["store", "import", "{S}", "{C}"],
    "store import --srcstorepass-file": ["store", "import", "{S}", "{S}", "--storepass", PW],
    "store passwd --storepass-file": ["store", "passwd", "{S}", "--new-storepass", "abcdef"],
    "store passwd --new-storepass-file": ["store", "passwd", "{S}", "--storepass", PW],
    "store passwd --keypass-file": [
        *("store", "passwd", "{S}", "--storepass", PW, "--new-storepass", "abcdef")
    ],
    "store passwd --new-keypass-file": [
        *("store", "passwd", "{S}", "--storepass", PW, "--new-storepass", "abcdef")
    ],
    "store remove --storepass-file": ["store", "remove", "{S}", "https"],
    "store rename --storepass-file": ["store", "rename", "{S}", "https", "h2"],
    "store repair-trust --storepass-file": ["store", "repair-trust", "{S}"],
    "lint --client-pass-file": ["lint", "--base", "{B}", "--client-p12", "{S}"],
    "probe --client-pass-file": ["probe", "127.0.0.1:9", "--client-p12", "{S}"],
    "client bundle --key-pass-file": [
        *("client", "bundle", "--key", "{K}", "--cert", "{C}", "--out-dir", "{O}", "--password", PW)
    ],
    "client bundle --password-file": [
        *("client", "bundle", "--key", "{K}", "--cert", "{C}", "--out-dir", "{O}")
    ],
    "client csr --password-file": ["client", "csr", "--account", "a", "--out-dir", "{O}"],
    "client issue --ca-pass-file": [
        *("client", "issue", "--account", "a", "--ca", "{C}", "--ca-key", "{K}", "--out-dir", "{O}")
    ],
    "client issue --truststore-pass-file": [
        *("client", "issue", "--account", "a", "--self-signed", "--truststore", "{S}"),
        *("--out-dir", "{O}", "--password", PW),
    ],
    "client issue --password-file": [
        *("client", "issue", "--account", "a", "--self-signed", "--out-dir", "{O}")
    ],
}
# options that name folders or outputs, not files read: not special-file inputs
NOT_READ = {"--base", "--jetty-home", "--out-dir", "--output", "-o", "DST"}
FOLDER_OK: set[str] = set()
# lint reads client files as findings (JC463) and keeps reporting: tested on their own below
LINT_CLIENT_FILES = {"--client-cert", "--client-p12"}


def _secret_argv(name: str) -> list[str]:
    option = name.split()[-1]
    return [*SECRETS[name], option, X]


def _all_cases() -> dict[str, list[str]]:
    out = dict(CASES)
    for name in SECRETS:
        out[name] = _secret_argv(name)
    return out


@pytest.fixture
def world(tmp_path: Path) -> Iterator[dict[str, str]]:
    base = tmp_path / "base"
    shutil.copytree(SAMPLES / "joc-2.7" / "jetty_base", base)
    out = tmp_path / "out"
    out.mkdir()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    yield {
        "{B}": str(base),
        "{S}": str(base / "resources" / "joc" / "https-keystore.p12"),
        "{C}": str(SAMPLES / "clients" / "root.crt"),
        "{K}": str(SAMPLES / "clients" / "root.key"),
        "{O}": str(out),
        "fifo": str(fifo),
        "folder": str(folder),
    }


class _Hung(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Hung


def _fill(arg: str, world: dict[str, str]) -> str:
    for key, value in world.items():
        arg = arg.replace(key, value)
    return arg


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "folder"])
@pytest.mark.parametrize("name", sorted(_all_cases()))
def test_special_file_is_one_line_exit_2(
    name: str, kind: str, world: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    if kind == "folder" and name in FOLDER_OK:
        pytest.skip("a folder is valid input here")
    special = world.get(kind, kind)
    args = [special if a == X else _fill(a, world) for a in _all_cases()[name]]
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(5)  # a blocking read fails the test instead of hanging it
    start = time.monotonic()
    try:
        code = run(args)
    except _Hung:
        pytest.fail(f"{name} blocked on a {kind}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    elapsed = time.monotonic() - start
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2, (code, err)
    assert len(err) == 1, err
    assert special in err[0] or "regular file" in err[0] or "folder" in err[0], err[0]
    assert elapsed < 1, f"{name} took {elapsed:.2f} s on a {kind}"


def test_every_file_option_is_covered() -> None:
    """Each click option or argument of type Path is in CASES or SECRETS, or names an output
    or a folder: a new file option without a special-file test fails here."""
    names = {n.split()[-1] if n.split()[-1].startswith("-") else n for n in _all_cases()}
    covered = {(n.rsplit(" ", 1)[0], n.rsplit(" ", 1)[1]) for n in _all_cases()}
    missing = []
    ctx = click.Context(cli)

    def walk(cmd: click.Command, path: list[str]) -> None:
        if isinstance(cmd, click.Group):
            for sub in cmd.list_commands(ctx):
                found = cmd.get_command(ctx, sub)
                assert found is not None
                walk(found, [*path, sub])
            return
        for param in cmd.params:
            if not isinstance(param.type, click.Path):
                continue
            label = param.opts[0] if param.opts[0].startswith("-") else param.opts[0].upper()
            if label in NOT_READ or (" ".join(path), label) in covered:
                continue
            if path == ["lint"] and label in LINT_CLIENT_FILES:
                continue
            missing.append(f"{' '.join(path)} {label}")

    walk(cli, [])
    assert names and not missing, missing


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_real_executable_does_not_block(kind: str, world: dict[str, str]) -> None:
    special = world.get(kind, kind)
    for argv in (
        ["ini", "get", "--file", special, "a"],
        ["store", "list", world["{S}"], "--storepass-file", special],
    ):
        start = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "jettycfg", *argv], capture_output=True, text=True, timeout=20
        )
        assert done.returncode == 2, (argv, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert time.monotonic() - start < 5


@pytest.mark.parametrize("option", sorted(LINT_CLIENT_FILES))
@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_lint_reports_a_special_client_file_and_goes_on(
    option: str, kind: str, world: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    special = world.get(kind, kind)
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(5)
    start = time.monotonic()
    try:
        code = run(["lint", "--base", world["{B}"], option, special, "--client-pass", PW])
    except _Hung:
        pytest.fail(f"lint {option} blocked on a {kind}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    out = capsys.readouterr().out
    assert code in (1, 2) and time.monotonic() - start < 1
    assert "not a regular file" in out and "Configuration" in out  # the rest is still reported


@pytest.mark.parametrize("command", [["ini", "show"], ["lint"], ["client-auth", "want"]])
@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_special_ini_file_inside_a_base(
    command: list[str], kind: str, world: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A FIFO or a device link among the base's start.d/*.ini files is skipped (ini_paths
    takes regular files only): never read, never a block."""
    ini = Path(world["{B}"]) / "start.d" / "zz.ini"
    if kind == "fifo":
        os.mkfifo(ini)
    else:
        ini.symlink_to(kind)
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(5)
    try:
        code = run([*command, "--base", world["{B}"]])
    except _Hung:
        pytest.fail(f"{command} blocked on a {kind} in start.d")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    captured = capsys.readouterr()
    assert code in (0, 1) and not captured.err, (code, captured.err)
    assert "zz.ini" not in captured.out


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_jetty_home_with_a_special_start_jar_or_version_file(
    kind: str, world: dict[str, str], tmp_path: Path
) -> None:
    """--jetty-home is a folder, but its start.jar / VERSION.txt are read: never blocking."""
    from jettycfg.errors import JettycfgError
    from jettycfg.jetty.version import detect_version

    home = tmp_path / "home"
    home.mkdir()
    for name in ("start.jar", "VERSION.txt"):
        if kind == "fifo":
            os.mkfifo(home / name)
        else:
            (home / name).symlink_to(kind)
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(5)
    try:
        with pytest.raises(JettycfgError, match="cannot tell the Jetty version"):
            detect_version(home)
    except _Hung:
        pytest.fail(f"--jetty-home blocked on a {kind}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_start_jar_whose_manifest_inflates_to_gigabytes(tmp_path: Path) -> None:
    import resource
    import zipfile

    from jettycfg.jetty.version import detect_version

    home = tmp_path / "home"
    home.mkdir()
    with zipfile.ZipFile(home / "start.jar", "w", zipfile.ZIP_DEFLATED) as jar:
        with jar.open("META-INF/MANIFEST.MF", "w", force_zip64=True) as member:
            chunk = b"x" * (1 << 20)
            for _ in range(128):  # 128 MB of "x", ~128 KB compressed
                member.write(chunk)
        jar.writestr(
            "META-INF/maven/org.eclipse.jetty/jetty-start/pom.properties", "version=9.4.57\n"
        )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.monotonic()
    assert str(detect_version(home)).startswith("9.4.57")
    assert time.monotonic() - start < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 64 * 1024  # KB
