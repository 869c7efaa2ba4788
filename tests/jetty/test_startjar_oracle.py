"""jettycfg's effective values equal what real start.jar reports with --list-config, on every
Jetty line JOC ships (9.4, 10.0, 11.0, 12.0, 12.1)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jettycfg.jetty.base import load_effective

pytestmark = pytest.mark.jetty
BUILTIN = re.compile(r"^(java\.|jetty\.(home|base)(\.uri)?$|runtime\.|at\.least)")


class StartJarRefused(Exception):
    pass


def start_jar_properties(home: Path, base: Path) -> dict[str, tuple[str, str]]:
    """(spelling, value) from `java -jar start.jar --list-config`, keyed by lower-cased name."""
    argv = ["java", "-jar", str(home / "start.jar"), f"jetty.home={home}", f"jetty.base={base}"]
    done = subprocess.run([*argv, "--list-config"], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise StartJarRefused(done.stdout + done.stderr)
    out = done.stdout
    # 9.4-11: "Properties:"; 12: "Properties: Jetty" (the core environment; no ee module here)
    section = re.split(r"\nProperties(?::|: Jetty)\n", out, maxsplit=1)[1].split("\n\n", 1)[0]
    props = {}
    for line in section.splitlines()[1:]:  # skip the ----- underline
        key, sep, value = line[1:].partition(" = ")
        if sep and not BUILTIN.match(key):
            props[key.lower()] = (key, value)
    return props


def ours(base: Path) -> dict[str, tuple[str, str]]:
    config = load_effective(base)
    if config.errors:
        raise StartJarRefused("; ".join(config.errors))
    return {k: (p.key, p.raw) for k, p in config.properties.items()}


def agree(home: Path, base: Path) -> None:
    """Both give the same properties, or both refuse the base (with the same reason)."""
    try:
        theirs = start_jar_properties(home, base)
    except StartJarRefused as refused:
        with pytest.raises(StartJarRefused) as mine:
            ours(base)
        # the same reason: start.jar's words are in ours
        reasons = [r for r in REFUSALS if r in str(refused)]
        assert len(reasons) == 1 and reasons[0] in str(mine.value), (str(refused), mine.value)
        return
    mine = ours(base)
    module_set = module_ini_keys(home)
    # Jetty 10+ modules set properties in their own [ini] sections (logging: slf4j.version, ...):
    # jettycfg does not model module [ini] sections, so a key only a module set is left out.
    theirs = {k: v for k, v in theirs.items() if k in mine or k not in module_set}
    assert mine == theirs


def module_ini_keys(home: Path) -> frozenset[str]:
    """Lower-cased keys that the home's modules/*.mod set in their [ini] sections."""
    keys = set()
    for mod in (home / "modules").rglob("*.mod"):
        section = ""
        for line in mod.read_text(encoding="utf-8", errors="replace").splitlines():
            text = line.strip()
            if text.startswith("[") and text.endswith("]"):
                section = text[1:-1].strip().lower()
            elif section == "ini" and text and not text.startswith("#"):
                keys.add(re.split(r"[+?]?=", text.removeprefix("-D"), maxsplit=1)[0].lower())
    return frozenset(keys)


REFUSALS = (
    "expansion loop",
    "Duplicate Configuration Source Reference",
    "Not a directory",
    "Argument is missing a required value",
)


def write_base(base: Path, files: dict[str, str]) -> Path:
    """``files`` (relative path: text; "-> target": a symbolic link to base/target)."""
    for rel, text in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if text.startswith("-> "):
            path.symlink_to(base / text[3:])
        else:
            path.write_bytes(text.encode("utf-8"))
    return base


COLLATION_NAMES = "10 9 ab Ab a-b b_c B bc s.x ssl ssl-context sx x0 x-1 z-a zz".split()  # noqa: SIM905

CASES = {
    "duplicates across files": {
        "start.ini": "--module=ssl\njetty.ssl.port=1\na=1\n",
        "start.d/b.ini": "jetty.ssl.port=2\na=2\n",
        "start.d/A.ini": "jetty.ssl.port=3\n",
    },
    "append to an empty value keeps the comma": {
        "start.ini": "--module=ssl\na=\na+=,x\nb+=,y\n",
    },
    "append and conditional": {
        "start.ini": "--module=ssl\nlist+=,x\nlist+=,y\nc?=1\nc?=2\nd?=1\nd=2\n",
        "start.d/z.ini": "list+=,z\nc=3\nnew?=n\n",
    },
    "case-variant keys": {
        "start.ini": "--module=ssl\njetty.sslContext.needClientAuth=true\n",
        "start.d/ssl.ini": "JETTY.sslContext.NEEDCLIENTAUTH=false\n",
    },
    "repeated line in one file and spaces": {
        "start.ini": "--module=ssl\na=1\na=2\na=1\n  sp = v  \n\t-Dsys.k=v\n# c=1\n   #d=2\n",
    },
    "start.ini plus start.d, CRLF, references": {
        "start.ini": "--module=ssl\r\nx=${y}-$$-${nope}\r\ny=1\r\n",
        "start.d/ssl.ini": "y=2\r\njetty.sslContext.keyStorePath=etc/k.p12\r\n",
    },
    "a system property whose value loops makes start.jar refuse": {
        "start.ini": "--module=ssl\n-Dq=x\nq=${b}\nb=${q}\n",
    },
    "escaped references and $$": {
        "start.ini": "--module=ssl\n-Dx=1\nx=$$${y}\ny=1\n-Da=d\na=$$\na+=${a}\n"
        "-Dq=${n}-${n}\nn=1\n",
    },
    "a looping plain property is fine until used": {
        "start.ini": "--module=ssl\na=${b}\nb=${a}\n-Dq=${a2}\na2=1\n",
    },
    "included jetty dirs are read before the base": {
        "start.ini": "--include-jetty-dir=${jetty.base}/shared\n--include-jetty-dir=other\n"
        "--module=ssl\na=base\nd+=,based\n",
        "shared/start.ini": "a=shared\nc=shared\nd+=,shared\ne=shared\n",
        "shared/start.d/x.ini": "d+=,sharedx\n",
        "other/start.ini": "e=other\nf=other\nd+=,other\n",
    },
    "an included folder's own includes are followed, depth first": {
        "start.ini": "--include-jetty-dir=${jetty.base}/s\n--include-jetty-dir=${jetty.base}/u\n"
        "--module=ssl\na=base\n",
        "s/start.ini": "--include-jetty-dir=${jetty.base}/t\nb=s\nc=s\n",
        "t/start.ini": "b=t\nd=t\ne=t\n",
        "u/start.d/u.ini": "c=u\nd=u\nf=u\n",
    },
    "the same include line twice in one file counts once; a missing folder is skipped": {
        "start.ini": "--include-jetty-dir=${jetty.base}/s\n--include-jetty-dir=${jetty.base}/s\n"
        "--include-jetty-dir=${jetty.base}/missing\n--module=ssl\na=1\n",
        "s/start.ini": "b=2\n",
    },
    "two links to one folder are two sources": {
        "start.ini": "--include-jetty-dir=${jetty.base}/s\n--include-jetty-dir=${jetty.base}/l\n"
        "--module=ssl\na=1\n",
        "s/start.ini": "b=2\n",
        "l": "-> s",
    },
    "including the base itself is refused": {
        "start.ini": "--include-jetty-dir=${jetty.base}\n--module=ssl\na=1\n",
    },
    "a folder spelled two ways is refused": {
        "start.ini": "--include-jetty-dir=${jetty.base}/s\n--include-jetty-dir=${jetty.base}/./s\n"
        "--module=ssl\n",
        "s/start.ini": "b=2\n",
    },
    "the same include line in two files is refused": {
        "start.ini": "--include-jetty-dir=${jetty.base}/s\n--module=ssl\n",
        "start.d/x.ini": "--include-jetty-dir=${jetty.base}/s\n",
        "s/start.ini": "b=2\n",
    },
    "a link back to the base is refused": {
        "start.ini": "--include-jetty-dir=${jetty.base}/l\n--module=ssl\n",
        "l": "-> .",
    },
    "an included file is refused": {
        "start.ini": "--include-jetty-dir=${jetty.base}/x.txt\n--module=ssl\n",
        "x.txt": "a=1\n",
    },
    "an empty include is refused": {
        "start.ini": "--include-jetty-dir=\n--module=ssl\na=1\n",
    },
    "BOM turns the first line into a property": {
        "start.ini": "\ufeff--module=ssl\nk=v\n",
    },
    # start.d files in Java Collator order: '-' ignored first, '_' and '.' before digits before
    # letters, case second (ssl-context.ini after ssl.ini - a Jetty 12 base has both)
    "start.d read in Java Collator order": {
        "start.ini": "--module=ssl\n",
        **{f"start.d/{n}.ini": f"order+=,{n}\nlast={n}\n" for n in COLLATION_NAMES},
    },
}


@pytest.mark.parametrize("name", list(CASES))
def test_effective_values_match_start_jar(any_jetty_home: Path, tmp_path: Path, name: str) -> None:
    agree(any_jetty_home, write_base(tmp_path / "base", CASES[name]))


def test_samples_match_start_jar(any_jetty_home: Path, tmp_path: Path) -> None:
    if (any_jetty_home / "modules" / "ssl-context.mod").exists() or "12." in any_jetty_home.name:
        pytest.skip("the samples are JOC 2.4 / 2.7 bases: Jetty 12 has no 'deploy' module")
    root = Path(__file__).resolve().parents[2] / "samples"
    for sample in ("joc-2.4/jetty_base", "joc-2.7/jetty_base"):
        base = tmp_path / sample.replace("/", "-")
        shutil.copytree(root / sample, base)
        agree(any_jetty_home, base)


_keys = st.sampled_from(["a", "A", "b", "jetty.ssl.port", "JETTY.ssl.Port", "c.d"])
_values = st.sampled_from(
    ["", "1", "2", ",x", "v w", "${a}", "$$", "${b}z", "$${a}", "${A}", "${nope}", "a$$${b}"]
)
_line = st.one_of(
    st.tuples(_keys, st.sampled_from(["=", "+=", "?="]), _values).map(lambda t: "".join(t)),
    st.sampled_from(["# a=9", "", "  ", "--module=ssl", "-Da=d", " a = s ", "\ta=1", "A?=q"]),
)
_file = st.lists(_line, max_size=8).map(lambda lines: "\n".join(lines) + "\n")


@settings(
    max_examples=int(os.environ.get("JETTYCFG_ORACLE_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(start=_file, first=_file, second=_file)
def test_random_bases_match_start_jar(
    any_jetty_home: Path,
    tmp_path_factory: pytest.TempPathFactory,
    start: str,
    first: str,
    second: str,
) -> None:
    base = write_base(
        tmp_path_factory.mktemp("rand"),
        {"start.ini": "--module=ssl\n" + start, "start.d/a.ini": first, "start.d/B.ini": second},
    )
    agree(any_jetty_home, base)
