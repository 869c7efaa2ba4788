"""The ini corpus (tests/corpus/ini): Jetty bases from public repositories, with real start.jar's
view of each on every Jetty line recorded in verdicts.json (tools/ini_corpus_verdicts.py).

* `ini show` lists the properties `start.jar --list-config` lists, on every line where start.jar
  reads the base; CI re-runs start.jar on each base's own line so the record stays the truth.
* Every edit (client-auth need/want/off, ini set of an ssl property) on a copy either is refused
  with nothing written, or leaves a base real start.jar still accepts (`--dry-run`), with each
  file's line endings, BOM and final newline kept.
* Every ini file reads and writes back byte for byte."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from jettycfg.cli import run
from jettycfg.ini.model import read_ini
from tests.conftest import JETTY_LINES, find_jetty_home, require_jetty_home
from tests.jetty.corpus_startjar import CORPUS, run_start_jar
from tests.jetty.test_startjar_oracle import module_ini_keys, start_jar_properties

pytestmark = pytest.mark.jetty
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["bases"]
VERDICTS = json.loads((CORPUS / "verdicts.json").read_text(encoding="utf-8"))["bases"]
INI_FILES = sorted(p for p in CORPUS.rglob("*.ini"))
EDITS = {
    "need": ["client-auth", "need"],
    "want": ["client-auth", "want"],
    "off": ["client-auth", "off"],
    "keystore-type": ["ini", "set", "jetty.sslContext.keyStoreType=PKCS12"],
    "http-port": ["ini", "set", "jetty.http.port=8181"],  # not TLS: never enables a module
}


def _ini_show(base: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    capsys.readouterr()
    assert run(["ini", "show", "--base", str(base), "--format", "json", "--show-secrets"]) == 0
    shown = json.loads(capsys.readouterr().out)
    return {p["key"].lower(): p["raw"] for p in shown["properties"] if not p["default"]}


def _comparable(theirs: dict[str, str], mine: dict[str, str], line: str) -> dict[str, str]:
    """start.jar's properties minus those only a module's [ini] section set (Jetty 10+; not
    modelled, see DEVELOPERS.md)."""
    home = find_jetty_home(line)
    module_set = module_ini_keys(home) if home is not None else frozenset()
    return {k: v for k, v in theirs.items() if k in mine or k not in module_set}


CASES = [(m["base"], line) for m in MANIFEST for line in JETTY_LINES]


@pytest.mark.parametrize(("name", "line"), CASES, ids=[f"{b}-{v}" for b, v in CASES])
def test_ini_show_lists_what_start_jar_lists(
    name: str, line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    require_jetty_home(line)
    truth = VERDICTS[name][line]
    if "list_config" not in truth:  # start.jar refuses the base itself (unknown module, ...)
        assert truth["list_config_error"] and not truth["dry_run"]
        return
    mine = _ini_show(CORPUS / name, capsys)
    assert mine == _comparable(truth["list_config"], mine, line)


@pytest.mark.parametrize("item", MANIFEST, ids=[m["base"] for m in MANIFEST])
def test_recorded_verdict_is_what_start_jar_says(item: dict[str, str]) -> None:
    home = require_jetty_home(item["jetty"])
    truth = VERDICTS[item["base"]][item["jetty"]]
    base = CORPUS / item["base"]
    if "list_config" in truth:
        live = {k: v for k, (_, v) in start_jar_properties(home, base).items()}
        assert live == truth["list_config"]
    else:
        assert not run_start_jar(home, base, "--list-config").ok


def _style(data: bytes) -> tuple[bool, bool, bool]:
    body = data.removeprefix(b"\xef\xbb\xbf")
    return (data.startswith(b"\xef\xbb\xbf"), b"\r\n" in body, body.endswith(b"\n") or not body)


def _modules(files: dict[str, bytes]) -> list[bytes]:
    return sorted(ln for d in files.values() for ln in d.splitlines() if b"--module" in ln)


def _snapshot(base: Path) -> dict[str, bytes]:
    return {str(p.relative_to(base)): p.read_bytes() for p in base.rglob("*") if p.is_file()}


EDIT_CASES = [(m["base"], e) for m in MANIFEST for e in EDITS]


@pytest.mark.parametrize(("name", "edit"), EDIT_CASES, ids=[f"{b}-{e}" for b, e in EDIT_CASES])
def test_edit_keeps_start_jar_starting_and_file_style(
    name: str, edit: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    item = next(m for m in MANIFEST if m["base"] == name)
    home = require_jetty_home(item["jetty"])
    base = tmp_path / name
    shutil.copytree(CORPUS / name, base)
    before = _snapshot(base)
    version = ["--jetty-version", item["jetty"]] if EDITS[edit][0] == "client-auth" else []
    argv = [*EDITS[edit], "--base", str(base), *version]
    code = run(argv)
    after = _snapshot(base)
    err = capsys.readouterr().err
    if code != 0:  # refused: one line, nothing written
        assert code == 2 and err.count("\n") == 1 and after == before
        assert "would leave a Jetty that does not start" in err, err
        return
    for rel, data in after.items():
        if rel in before and data != before[rel]:
            assert _style(data) == _style(before[rel]), rel
    if edit == "http-port":  # no --module line comes or goes (ssl alone stops Jetty 9.4)
        assert _modules(after) == _modules(before)
    if after != before and VERDICTS[name][item["jetty"]]["dry_run"]:
        done = run_start_jar(home, base, "--dry-run")
        assert done.ok, done.error


@pytest.mark.parametrize("path", INI_FILES, ids=[str(p.relative_to(CORPUS)) for p in INI_FILES])
def test_every_ini_file_round_trips_byte_for_byte(path: Path) -> None:
    assert read_ini(path).to_bytes() == path.read_bytes()
