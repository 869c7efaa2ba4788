"""Denial-of-service shapes of issue 11, measured: a 200 MB ini file (before: 1.2 GB of memory)
and 1,000,000 ``k=${a}`` lines (before: 61 s), run through ``ini show`` and ``lint`` in a
subprocess that reports its own peak RSS. Each is either refused at once with one stderr line
and exit 2 (a file over ``fsio.MAX_INI_BYTES`` = 4 MB, or over ``ini.model.MAX_LINES`` =
50,000 lines), or finishes; always under 5 s and 500 MB.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jettycfg import fsio
from jettycfg.ini import model

# runs the CLI, then writes the process's peak RSS (KB on Linux) and CPU seconds where RSS_OUT
# says: CPU time is the work an input costs, which other jobs on a shared CI box do not inflate
WRAPPER = (
    "import os, resource, sys\n"
    "from jettycfg.cli import run\n"
    "code = run(sys.argv[1:])\n"
    "sys.stdout.flush()\n"
    "with open(os.environ['RSS_OUT'], 'w') as f:\n"
    "    u = resource.getrusage(resource.RUSAGE_SELF)\n"
    "    f.write(f'{u.ru_maxrss} {u.ru_utime + u.ru_stime}')\n"
    "sys.exit(code)\n"
)


def _measure(argv: list[str], tmp: Path) -> tuple[int, str, float, float]:
    """(exit code, stderr, CPU seconds, peak MB)."""
    rss = tmp / "rss"
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "RSS_OUT": str(rss)},
    )
    peak_kb, cpu = rss.read_text().split()
    return done.returncode, done.stderr, float(cpu), int(peak_kb) / 1024


def _base(tmp: Path, content: bytes | None = None, size: int | None = None) -> Path:
    base = tmp / "base"
    base.mkdir()
    ini = base / "start.ini"
    if size is not None:  # sparse: the size is what the reader sees before reading
        with open(ini, "wb") as handle:
            handle.write(b"--module=ssl\nk=${a}\n")
            handle.truncate(size)
    else:
        ini.write_bytes(content or b"")
    return base


SHAPES = {
    "200 MB": {"size": 200 * 1024 * 1024},
    "1,000,000 k=${a} lines": {"content": b"k=${a}\n" * 1_000_000},
    "1,000,000 blank lines (1 MB)": {"content": b"\n" * 1_000_000},
    "49,990 k=${a} lines (accepted)": {"content": b"--module=ssl\n" + b"k=${a}\n" * 49_990},
    "10,000-link ${} chain (accepted)": {
        "content": b"--module=ssl\n"
        + b"".join(b"a%d=${a%d}\n" % (i, i + 1) for i in range(10_000))
        + b"-Dx=${a0}\n"
    },
    "one 3 MB line of nested ${}": {
        "content": b"--module=ssl\nk=" + b"${a" * 500_000 + b"}" * 500_000
    },
}


COMMANDS = {
    "ini show": ["ini", "show"],
    "lint": ["lint"],
    "ini set --dry-run": ["ini", "set", "--dry-run", "jetty.ssl.port=8444"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_dos_shape_is_bounded(shape: str, command: str, tmp_path: Path) -> None:
    base = _base(tmp_path, **SHAPES[shape])  # type: ignore[arg-type]
    code, err, seconds, peak = _measure([*COMMANDS[command], "--base", str(base)], tmp_path)
    print(f"{shape} / {command}: exit {code}, {seconds:.2f} s, {peak:.0f} MB")
    assert code in (0, 1, 2), err
    if code == 2:
        assert len(err.strip().splitlines()) == 1, err
        assert "refused" in err or "start.ini" in err, err
    assert seconds < 5, f"{shape} / {command}: {seconds:.2f} s"
    assert peak < 500, f"{shape} / {command}: {peak:.0f} MB"
    refused = "(accepted)" not in shape and "nested" not in shape
    assert (code == 2) == refused, (code, err)


def test_caps_are_those_documented() -> None:
    assert fsio.MAX_INI_BYTES == 4 * 1024 * 1024
    assert model.MAX_LINES == 50_000
    readme = (Path(__file__).resolve().parents[2] / "DEVELOPERS.md").read_text(encoding="utf-8")
    assert "4 MB" in readme and "50,000 lines" in readme


@pytest.mark.parametrize("command", ["lint", "client issue"])
def test_deeply_nested_accounts_json_is_one_line_exit_2(command: str, tmp_path: Path) -> None:
    """Found by hand with the DoS shapes: 200,000 nested [ was a RecursionError (exit 3)."""
    accounts = tmp_path / "accounts.json"
    accounts.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    sample = Path(__file__).resolve().parents[2] / "samples" / "joc-2.7" / "jetty_base"
    argv = (
        ["lint", "--base", str(sample)]
        if command == "lint"
        else ["client", "issue", "--self-signed", "--out-dir", str(tmp_path), "--password", "x"]
    )
    code, err, seconds, peak = _measure([*argv, "--accounts-file", str(accounts)], tmp_path)
    assert code == 2 and len(err.strip().splitlines()) == 1, (code, err)
    assert "nested too deeply" in err and seconds < 5 and peak < 500
