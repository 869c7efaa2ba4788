"""The library API: the README example runs as written, the API needs no click, and its
functions agree with the command line on the same inputs."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jettycfg import api
from jettycfg.cli import run
from jettycfg.errors import JettycfgError, UsageError
from tests.conftest import REPO, SAMPLES


def _readme_example() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use as a library", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "README has no python example under 'Use as a library'"
    return match.group(1)


def test_readme_example_runs_and_prints_what_its_comments_say() -> None:
    code = _readme_example()
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    expected = [line.split("# ", 1)[1].strip() for line in code.splitlines() if "print(" in line]
    assert out.getvalue().splitlines() == expected


def test_import_needs_no_click() -> None:
    code = "import sys, jettycfg.api; assert 'click' not in sys.modules, 'click imported'"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_all_is_the_documented_surface() -> None:
    for name in api.__all__:
        obj = getattr(api, name)
        assert obj.__doc__, f"api.{name} has no docstring"


def test_lint_agrees_with_the_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    base = SAMPLES / "joc-2.7" / "jetty_base"
    cert = SAMPLES / "clients" / "demo-operator.crt"
    when = "2026-06-01T00:00:00+00:00"
    code = run(
        [
            "lint",
            "--base",
            str(base),
            "--jetty-version",
            "11",
            "--client-cert",
            str(cert),
            "--format",
            "json",
            "--at",
            when,
            "--fail-on",
            "never",
        ]
    )
    assert code == 0
    cli = json.loads(capsys.readouterr().out)
    import datetime as dt

    report = api.lint(
        base,
        [cert],
        options=api.LintOptions(jetty_version="11", at=dt.datetime.fromisoformat(when)),
    )
    assert json.loads(api.render(report, "json")) == cli


def test_set_client_auth_dry_run_writes_nothing(sample_base27: Path) -> None:
    before = {p: p.read_bytes() for p in sample_base27.rglob("*.ini")}
    edit = api.set_client_auth(sample_base27, "off", jetty_version="11", dry_run=True)
    assert edit.changed and not edit.written
    assert edit.diffs and all(d.startswith("---") for d in edit.diffs)
    assert {p: p.read_bytes() for p in sample_base27.rglob("*.ini")} == before
    again = api.set_client_auth(sample_base27, "need", jetty_version="11")
    assert not again.changed  # the sample already requires a certificate


def test_edit_ini_sets_and_unsets(sample_base27: Path) -> None:
    api.edit_ini(sample_base27, set={"jetty.ssl.port": "9443"})
    assert api.effective_config(sample_base27).get("jetty.ssl.port").value == "9443"  # type: ignore[union-attr]
    api.edit_ini(sample_base27, unset=["jetty.ssl.port"])
    prop = api.effective_config(sample_base27, "11").get("jetty.ssl.port")
    assert prop is None or prop.origin is None


def test_store_round_trip(tmp_path: Path) -> None:
    source = SAMPLES / "joc-2.7" / "jetty_base" / "resources" / "joc" / "https-truststore.p12"
    if not source.exists():
        source = next((SAMPLES / "joc-2.7").rglob("*truststore*"))
    store = api.open_store(source, "jobscheduler")
    target = tmp_path / "copy.p12"
    api.save_store(store, target, "new-password")
    again = api.open_store(target, "new-password")
    assert [e.alias for e in again.entries] == [e.alias for e in store.entries]
    assert target.stat().st_mode & 0o777 == 0o600
    with pytest.raises(JettycfgError):
        api.open_store(target, "wrong-password")


def test_bad_input_raises_library_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        api.set_client_auth(tmp_path, "sometimes")
    with pytest.raises(UsageError):
        api.render(api.lint(SAMPLES / "joc-2.7" / "jetty_base"), "html")
    shutil.rmtree(tmp_path)
    with pytest.raises(JettycfgError):
        api.load_base(tmp_path / "missing")


@pytest.mark.parametrize(
    "call",
    [
        lambda b: api.edit_ini(b, set={"a=b": "x"}),  # was an InternalError
        lambda b: api.edit_ini(b, set={"#x": "1"}),
        lambda b: api.edit_ini(b, set={"--module": "ssl"}),
        lambda b: api.edit_ini(b, set={"": "x"}),  # appended a line "=x"
        lambda b: api.edit_ini(b, set={"k": "a\nb=c"}),
        lambda b: api.edit_ini(b, unset=["#x"]),
        lambda b: api.edit_ini(b, set={"k": 5}),  # type: ignore[dict-item]
        lambda b: api.lint(b, options=api.LintOptions(select=("JC999",))),  # selected nothing
        lambda b: api.lint(b, options=api.LintOptions(ignore=("XC",))),
        lambda b: api.lint(b, options=api.LintOptions(client_ip="not-an-ip")),
        lambda b: api.lint(b, options=api.LintOptions(java=99)),
        lambda b: api.lint(b, options=api.LintOptions(jetty_version=[11])),  # type: ignore[arg-type]
        lambda b: api.open_store(b / "etc" / "x.p12", b"pw"),  # type: ignore[arg-type]
    ],
)
def test_the_library_checks_what_the_command_line_checks(call: object, sample_base27: Path) -> None:
    """Each raised something else than a JettycfgError (or did a wrong thing silently)."""
    before = {p: p.read_bytes() for p in sample_base27.rglob("*") if p.is_file()}
    with pytest.raises(JettycfgError):
        call(sample_base27)  # type: ignore[operator]
    assert {p: p.read_bytes() for p in sample_base27.rglob("*") if p.is_file()} == before


def test_the_library_takes_a_version_and_a_naive_time_as_the_cli_does(
    sample_base27: Path,
) -> None:
    """edit_ini had no version (the start guard judged every base as 9.4); a datetime without
    a zone was a TypeError deep in the certificate code (the CLI reads it as UTC); a version
    given as a number was an AttributeError."""
    import datetime as dt

    client = SAMPLES / "clients" / "root.crt"
    naive = api.lint(sample_base27, [client], options=api.LintOptions(at=dt.datetime(2026, 1, 1)))
    aware = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    same = api.lint(sample_base27, [client], options=api.LintOptions(at=aware))
    assert naive.clients[0].chain == same.clients[0].chain
    assert api.lint(sample_base27, options=api.LintOptions(jetty_version=11)).jetty_version == "11"
    result = api.edit_ini(sample_base27, set={"jetty.ssl.idleTimeout": "5"}, jetty_version="11.0")
    assert result.written


def test_jetty_home_expands_in_the_library_as_on_the_command_line(tmp_path: Path) -> None:
    """${jetty.home} in a store path: the CLI took the home from --jetty-home; the library had
    no way to say it (the keystore was 'missing', Jetty 'would not start')."""
    from jettycfg.jetty.base import JETTY_HOME_PATH
    from tests.pki import make_pki, write_stores

    home, base = tmp_path / "home", tmp_path / "base"
    keystore, truststore = write_stores(make_pki(), base / "etc", b"api-pw-1")
    (home / "etc" / "joc").mkdir(parents=True)
    keystore.rename(home / "etc" / "joc" / "keystore.p12")
    (base / "start.d").mkdir()
    (base / "start.d" / "ssl.ini").write_text(
        "--module=ssl\n--module=https\n"
        "jetty.sslContext.keyStorePath=${jetty.home}/etc/joc/keystore.p12\n"
        "jetty.sslContext.keyStorePassword=api-pw-1\njetty.sslContext.keyManagerPassword=api-pw-1\n"
        "jetty.sslContext.trustStorePath=etc/truststore.p12\n"
        "jetty.sslContext.trustStorePassword=api-pw-1\njetty.sslContext.needClientAuth=true\n"
    )
    assert truststore.exists()
    assert not api.load_base(base, "12.1.12").starts  # the home unknown: not found
    known = api.load_base(base, "12.1.12", jetty_home=home)
    assert known.starts, known.problems
    value = api.effective_config(base, "12.1.12", jetty_home=home).get(
        "jetty.sslContext.keyStorePath"
    )
    assert value is not None and value.value == f"{home.resolve()}/etc/joc/keystore.p12"
    report = api.lint(base, options=api.LintOptions(jetty_version="12.1.12", jetty_home=home))
    assert report.starts
    assert JETTY_HOME_PATH.get() is None  # the call's own, gone after it
    with pytest.raises(UsageError, match="jetty_home"):
        api.load_base(base, "12.1.12", jetty_home=tmp_path / "nope")
