"""Structure-aware fuzzing of the ini parser and everything that reads a base (issue 11).

Real ini files (samples/, every Jetty home module's [ini-template], CRLF and BOM variants) are
mutated line by line (mutate_ini.py) and written into a copy of the JOC 2.7 sample base. Each
input goes through the library - the lossless model must give the same bytes back, the
effective configuration and its text/JSON views must come out or a one-line JettycfgError -
every LINT_EVERY-th through lint of the base, and every CLI_EVERY-th through the command line
(`ini show`, `lint`: exit 0/1/2 only, exit 2 with exactly one stderr line). No input may take
5 s. CI runs FUZZ_INPUTS (10,000) with a fixed seed; `make fuzz` runs more.
"""

from __future__ import annotations

import os
import random
import shutil
import time
import traceback
import warnings
from pathlib import Path

import pytest

from jettycfg import api
from jettycfg.cli import run
from jettycfg.errors import JettycfgError
from jettycfg.ini.model import parse_bytes
from jettycfg.report.ini_view import ini_json, render_ini_text
from tests.conftest import _require
from tests.ini import mutate_ini

INPUTS = int(os.environ.get("FUZZ_INPUTS", "10000"))
SEED = int(os.environ.get("FUZZ_SEED", "20261205"))
BUDGET = float(os.environ.get("FUZZ_SECONDS", "240"))
LINT_EVERY, EDIT_EVERY, CLI_EVERY = 20, 8, 100
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "joc-2.7" / "jetty_base"
TARGETS = ["start.d/ssl.ini", "start.d/https.ini", "start.ini"]


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "base"
    shutil.copytree(SAMPLE, root)
    os.mkfifo(root / "fifo")  # `keyStorePath=${jetty.base}/fifo` must not block
    return root


def _edits(base: Path, rng: random.Random) -> None:
    """What `ini set`/`unset` and `client-auth` do with the mutated base (dry runs)."""
    key = rng.choice(mutate_ini.KEYS)
    value = rng.choice(["v", "${a}", "", "x" * 300, "é\u202e", "$${a}"])
    api.edit_ini(base, set={key: value}, unset=[rng.choice(mutate_ini.KEYS)], dry_run=True)
    api.set_client_auth(base, rng.choice(["need", "want", "off"]), dry_run=True)


def _library(data: bytes, base: Path, lint: bool) -> None:
    try:
        doc = parse_bytes(data)
    except JettycfgError:
        doc = None
    if doc is not None:
        assert doc.to_bytes() == data, "the lossless model changed the bytes"
    config = api.effective_config(base)
    render_ini_text(config, False)
    ini_json(config, False)
    if lint:
        api.lint(base)


def _cli(base: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    problems = []
    for argv in (["ini", "show", "--base", str(base)], ["lint", "--base", str(base)]):
        code = run(argv)
        err = capsys.readouterr().err.strip().splitlines()
        errors = [line for line in err if not line.startswith("jettycfg: warning:")]
        if code not in (0, 1, 2) or (code == 2 and len(errors) != 1) or (code != 2 and errors):
            problems.append(f"{argv[0]}: exit {code}, stderr {err[:3]}")
    return problems


def test_fuzz_ini(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _require("Jetty homes (Debian jetty9; make jettys)", len(mutate_ini.JETTY_HOMES) > 1)
    rng = random.Random(f"{SEED}-ini")
    pool = mutate_ini.seeds()
    assert len(pool) > 100, "seeds: the samples and the Jetty homes' module templates"
    crashes: list[str] = []
    start, done, refused = time.monotonic(), 0, 0
    while done < INPUTS and time.monotonic() - start < BUDGET:
        data = mutate_ini.mutate(rng.choice(pool), pool, rng)
        target = base / rng.choice(TARGETS)
        target.write_bytes(data)
        t0 = time.monotonic()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                _library(data, base, done % LINT_EVERY == 0)
                if done % EDIT_EVERY == 0:
                    _edits(base, rng)
        except JettycfgError as exc:
            refused += 1
            assert "\n" not in str(exc), str(exc)
        except Exception as exc:
            where = traceback.extract_tb(exc.__traceback__)[-3:]
            at = " < ".join(f"{f.name}:{f.lineno}" for f in reversed(where))
            crashes.append(f"{type(exc).__name__}: {str(exc)[:200]} at {at} [{data[:200]!r}]")
        if done % CLI_EVERY == 0:
            crashes += [f"cli {p} [{data[:300]!r}]" for p in _cli(base, capsys)]
        assert time.monotonic() - t0 < 5, f"one input took > 5 s: {data[:300]!r}"
        original = SAMPLE / target.relative_to(base)
        if original.exists():
            target.write_bytes(original.read_bytes())
        else:
            target.unlink()
        done += 1
    print(f"ini: {done} inputs, {refused} refused (one-line errors), {len(crashes)} crashes")
    assert done >= min(INPUTS, 10_000) or BUDGET != 240, f"only {done} inputs in the time box"
    assert not crashes, f"{len(crashes)} of {done}:\n" + "\n".join(crashes[:5])


# -- regressions: shapes the fuzzer found escaping ------------------------------------------------


@pytest.mark.parametrize(
    "line", ["--include-jetty-dir=" + "${a}" * 2000, "--include-jetty-dir=x\x00y"]
)
def test_include_dir_the_os_cannot_look_up_is_no_folder(base: Path, line: str) -> None:
    (base / "start.ini").write_text(line + "\nk=v\n", encoding="utf-8")
    config = api.effective_config(base)  # was OSError: File name too long (ENAMETOOLONG)
    assert config.properties["k"].value == "v"


def test_seeds_round_trip_byte_identical() -> None:
    for seed in mutate_ini.seeds():
        assert parse_bytes(seed).to_bytes() == seed
