"""set / unset: the effective value is what was asked, and only the lines that must change do."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jettycfg.errors import UsageError
from jettycfg.jetty.base import evaluate
from jettycfg.jetty.edit import Workspace, parse_assignment


def make_base(root: Path, files: dict[str, bytes]) -> Workspace:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return Workspace.for_base(root)


def changed_lines(old: bytes | None, new: bytes) -> list[str]:
    # Line texts only: a last line that gains a line ending before an appended line is fine.
    a = (old or b"").decode().splitlines()
    b = new.decode().splitlines()
    return [line for line in difflib.ndiff(a, b) if line.startswith(("+ ", "- "))]


def test_set_replaces_effective_line_in_place(tmp_path: Path) -> None:
    ws = make_base(
        tmp_path,
        {
            "start.ini": b"--module=ssl\r\njetty.ssl.port=1\r\n# keep me\r\n",
            "start.d/x.ini": b"jetty.ssl.port=2\n",
        },
    )
    assert ws.set("jetty.ssl.port", "9443")
    changes = {c.path.name: c for c in ws.changes()}
    assert list(changes) == ["x.ini"]
    assert changes["x.ini"].new == b"jetty.ssl.port=9443\n"
    assert not ws.set("jetty.ssl.port", "9443")


def test_set_activates_commented_template_line(tmp_path: Path) -> None:
    ws = make_base(
        tmp_path,
        {
            "start.ini": b"--module=ssl\n## Whether\n# jetty.sslContext.wantClientAuth=false\nz=1",
        },
    )
    ws.set("jetty.sslContext.wantClientAuth", "true")
    (change,) = ws.changes()
    assert change.new == b"--module=ssl\n## Whether\njetty.sslContext.wantClientAuth=true\nz=1"


def test_set_appends_to_file_enabling_ssl(tmp_path: Path) -> None:
    ws = make_base(
        tmp_path,
        {
            "start.d/http.ini": b"--module=http\n",
            "start.d/ssl.ini": b"--module=ssl\njetty.ssl.port=1",
        },
    )
    ws.set("jetty.sslContext.needClientAuth", "true")
    (change,) = ws.changes()
    assert change.path.name == "ssl.ini"
    # the file had no final newline and keeps that style (issue 8)
    assert change.new == b"--module=ssl\njetty.ssl.port=1\njetty.sslContext.needClientAuth=true"


def test_set_creates_startd_ssl_ini(tmp_path: Path) -> None:
    ws = make_base(
        tmp_path, {"start.d/http.ini": b"--module=http\n", "start.d/https.ini": b"--module=https\n"}
    )
    ws.set("jetty.sslContext.needClientAuth", "true")
    (change,) = ws.changes()
    assert change.path == tmp_path / "start.d" / "ssl.ini" and change.old is None
    assert b"--module=ssl\n" in change.new


def test_set_fixes_case_variant_key(tmp_path: Path) -> None:
    ws = make_base(tmp_path, {"start.ini": b"--module=ssl\nJETTY.sslContext.needClientAuth=true\n"})
    ws.set("jetty.sslContext.needClientAuth", "true")
    (change,) = ws.changes()
    assert change.new == b"--module=ssl\njetty.sslContext.needClientAuth=true\n"


def test_set_survives_start_jar_duplicate_line_rule(tmp_path: Path) -> None:
    # start.jar drops a line repeated verbatim in the same file.
    ws = make_base(tmp_path, {"start.ini": b"a=1\na=2\na=3\n"})
    ws.set("a", "1")
    assert evaluate(ws.docs, tmp_path).properties["a"].raw == "1"
    ws2 = make_base(tmp_path / "two", {"start.ini": b"a=1\na=1\n"})
    ws2.set("a", "5")
    assert evaluate(ws2.docs, tmp_path).properties["a"].raw == "5"


def test_unset_removes_every_definition(tmp_path: Path) -> None:
    ws = make_base(
        tmp_path,
        {
            "start.ini": b"--module=ssl\na=1\n# a=template\nA+=2\n",
            "start.d/z.ini": b"a?=3\n-Da=4\nb=1\n",
        },
    )
    assert ws.unset("a") == 4
    assert "a" not in evaluate(ws.docs, tmp_path).properties
    news = {c.path.name: c.new for c in ws.changes()}
    assert news == {"start.ini": b"--module=ssl\n# a=template\n", "z.ini": b"b=1\n"}
    assert ws.unset("nothing") == 0


def test_single_file_mode_creates_file(tmp_path: Path) -> None:
    ws = Workspace.for_file(tmp_path / "new.ini", create=True)
    ws.set("k", "v")
    (change,) = ws.changes()
    assert change.old is None and change.new == b"k=v\n"
    with pytest.raises(UsageError):
        Workspace.for_file(tmp_path / "other.ini")


@pytest.mark.parametrize("bad", ["novalue", "=x", " k=v", "k+=v", "#k=v", "k=a\nb=c", "k=v\r"])
def test_bad_assignments_are_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError):
        parse_assignment(bad)


_keys = st.sampled_from(["a", "A", "b", "jetty.ssl.port"])
_values = st.sampled_from(["1", "2", "", "x y"])
_line = st.one_of(
    st.tuples(_keys, st.sampled_from(["=", "+=", "?="]), _values).map("".join),
    st.sampled_from(["# a=0", "#b=", "## note", "", "--module=ssl", "-Da=7"]),
)
_eol = st.sampled_from(["\n", "\r\n"])
_file = st.tuples(st.lists(_line, max_size=8), _eol, st.booleans()).map(
    lambda t: (t[1].join(t[0]) + (t[1] if t[2] else "")).encode()
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=_file, other=_file, key=st.sampled_from(["a", "b", "c", "jetty.ssl.port"]), value=_values
)
def test_set_is_minimal_and_effective(
    tmp_path_factory: pytest.TempPathFactory, start: bytes, other: bytes, key: str, value: str
) -> None:
    root = tmp_path_factory.mktemp("edit")
    ws = make_base(root, {"start.ini": start, "start.d/x.ini": other})
    try:
        ws.set(key, value)
    except UsageError as exc:  # an ssl setting with no line for it on a base without https
        assert key.startswith("jetty.ssl") and "no TLS connector" in str(exc)
        assert not any(d.enables_module("https") for d in ws.docs) and ws.changes() == []
        return
    prop = evaluate(ws.docs, root).properties[key.lower()]
    assert (prop.key, prop.raw) == (key, value)
    try:
        changes = ws.changes()
    except UsageError as exc:  # a port Java cannot parse stops real Jetty (JC107): refused
        assert key == "jetty.ssl.port" and not value.isdigit() and "JC107" in str(exc)
        return
    for change in changes:
        for line in changed_lines(change.old, change.new):
            body = line[2:].rstrip("\r\n")
            # Only lines about `key` (or a created file's header) may change.
            assert key.lower() in body.lower() or change.old is None or body == "", line


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=_file, other=_file, key=st.sampled_from(["a", "b", "jetty.ssl.port"]))
def test_unset_leaves_key_unset_and_other_values_alone(
    tmp_path_factory: pytest.TempPathFactory, start: bytes, other: bytes, key: str
) -> None:
    root = tmp_path_factory.mktemp("unset")
    ws = make_base(root, {"start.ini": start, "start.d/x.ini": other})
    before = evaluate(ws.docs, root).properties
    ws.unset(key)
    after = evaluate(ws.docs, root).properties
    assert key.lower() not in after
    expected = {k: v.raw for k, v in before.items() if k != key.lower()}
    # Other keys keep their values unless they referenced nothing of `key` (no ${} here).
    assert {k: v.raw for k, v in after.items()} == expected


def test_included_jetty_dir_is_read_first_and_edited_in_place(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    ws = make_base(
        tmp_path / "base",
        {
            "start.ini": f"--include-jetty-dir={shared}\n--module=ssl\na=base\n".encode(),
        },
    )
    (shared / "start.d").mkdir(parents=True)
    (shared / "start.d" / "s.ini").write_bytes(b"a=shared\nonly.shared=1\n")
    ws = Workspace.for_base(tmp_path / "base")
    config = evaluate(ws.docs, ws.root)
    assert config.properties["a"].raw == "base"
    assert config.properties["only.shared"].raw == "1"
    ws.set("only.shared", "2")
    ws.set("jetty.sslContext.needClientAuth", "true")
    news = {c.path: c.new for c in ws.changes()}
    assert news[shared / "start.d" / "s.ini"] == b"a=shared\nonly.shared=2\n"
    assert b"needClientAuth=true" in news[tmp_path / "base" / "start.ini"]
