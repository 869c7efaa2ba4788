"""The effective configuration: start.jar's order and operators, aliases, defaults, origins."""

from __future__ import annotations

from pathlib import Path

import pytest

from jettycfg.errors import UsageError
from jettycfg.ini.model import parse_bytes
from jettycfg.jetty.base import evaluate, ini_paths, load_effective, resolve_base
from jettycfg.jetty.version import JettyVersion


def docs(**files: bytes) -> list:  # type: ignore[type-arg]
    return [parse_bytes(data, Path(name)) for name, data in files.items()]


def test_operators_and_origins() -> None:
    config = evaluate(
        docs(**{"start.ini": b"a=1\nl+=,x\nc?=1\n", "z.ini": b"l+=,y\nc?=2\na=${c}$$\n"}),
        Path("/base"),
    )
    props = config.properties
    assert props["l"].raw == "x,y" and props["l"].origin is not None
    assert str(props["l"].origin) == "z.ini:1"
    assert props["c"].raw == "1"
    assert (props["a"].raw, props["a"].value) == ("${c}$$", "1$")
    escaped = evaluate(docs(**{"start.ini": b"y=1\nx=$${y}\nz=$$${y}\nw=a$$b\n"}), Path("/b"))
    values = {k: escaped.properties[k].value for k in "xzw"}
    assert values == {"x": "${y}", "z": "$${y}", "w": "a$$b"}  # as start.jar 9.4.57 expands
    skipped = [a for a in config.assignments if not a.took_effect]
    assert [(a.key, a.why_not) for a in skipped] == [("c", "already set")]


def test_deprecated_alias_only_when_new_name_unset() -> None:
    v94 = JettyVersion.parse("9.4.57")
    config = evaluate(docs(**{"start.ini": b"jetty.ssl.needClientAuth=true\n"}), Path("/b"), v94)
    need = config.get("jetty.sslContext.needClientAuth")
    assert need is not None and need.raw == "true" and need.via_alias == "jetty.ssl.needClientAuth"
    # Jetty 10+ dropped that alias: the default applies.
    config10 = evaluate(
        docs(**{"start.ini": b"jetty.ssl.needClientAuth=true\n"}),
        Path("/b"),
        JettyVersion.parse("10"),
    )
    need10 = config10.get("jetty.sslContext.needClientAuth")
    assert need10 is not None and need10.is_default and need10.raw == "false"


@pytest.mark.parametrize(
    ("version", "key", "value"),
    [
        ("9.4.57", "jetty.sslContext.keyStoreType", "JKS"),
        ("9.4.57", "jetty.sslContext.trustStorePath", "etc/keystore"),
        ("11", "jetty.sslContext.keyStoreType", "PKCS12"),
        ("12.0.8", "jetty.sslContext.keyStorePath", "etc/keystore.p12"),
        ("9.4.16", "jetty.sslContext.endpointIdentificationAlgorithm", "HTTPS"),
    ],
)
def test_version_defaults(version: str, key: str, value: str) -> None:
    config = evaluate([], Path("/b"), JettyVersion.parse(version))
    prop = config.get(key)
    assert prop is not None and prop.is_default and prop.raw == value and prop.origin is None


def test_no_truststore_default_on_10_and_no_eia_default_after_9_4_18() -> None:
    assert (
        evaluate([], Path("/b"), JettyVersion.parse("10")).get("jetty.sslContext.trustStorePath")
        is None
    )
    assert (
        evaluate([], Path("/b"), JettyVersion.parse("9.4.19")).get(
            "jetty.sslContext.endpointIdentificationAlgorithm"
        )
        is None
    )


def test_ini_paths_order(tmp_path: Path) -> None:
    (tmp_path / "start.d").mkdir()
    for name in ("b.ini", "A.ini", "c.txt", "a2.ini"):
        (tmp_path / "start.d" / name).write_text("x=1\n")
    (tmp_path / "start.ini").write_text("")
    names = [p.name for p in ini_paths(tmp_path)]
    assert names == ["start.ini", "A.ini", "a2.ini", "b.ini"]


def test_resolve_base_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        resolve_base(tmp_path / "nope")
    (tmp_path / "f").write_text("")
    with pytest.raises(UsageError, match="not a folder"):
        resolve_base(tmp_path / "f")
    with pytest.raises(UsageError, match="not a Jetty base"):
        resolve_base(tmp_path)
    (tmp_path / "start.ini").write_text("")
    monkeypatch.setenv("JETTY_BASE", str(tmp_path))
    assert resolve_base(None) == tmp_path


def test_sample_bases(sample_base: Path, sample_base27: Path) -> None:
    c24 = load_effective(sample_base, JettyVersion.parse("9.4.57"))
    assert c24.get("jetty.sslContext.needClientAuth").raw == "false"  # type: ignore[union-attr]
    c27 = load_effective(sample_base27, JettyVersion.parse("11"))
    need = c27.get("jetty.sslContext.needClientAuth")
    assert need is not None and need.raw == "true" and need.origin is not None
    assert need.origin.file.name == "ssl.ini"


def test_append_after_empty_value_keeps_comma_and_sysprop_loops_are_errors() -> None:
    config = evaluate(docs(**{"start.ini": b"a=\na+=,x\nb+=,y\n"}), Path("/b"))
    assert (config.properties["a"].raw, config.properties["b"].raw) == (",x", "y")
    looping = evaluate(docs(**{"start.ini": b"-Dq=x\nq=${b}\nb=${q}\nc=${c}\n"}), Path("/b"))
    assert looping.errors == [
        "property expansion loop detected: b -> q -> b (start.jar refuses to start)"
    ]
    assert looping.properties["c"].note == "expansion loop: c -> c"


def test_doubling_references_are_bounded(tmp_path: Path) -> None:
    """`a1=${a0}${a0}`, 40 levels deep: a terabyte if expanded naively (issue 11). Each name is
    expanded once, and a value past 1 MiB is shown as written with a note."""
    from jettycfg.jetty.base import MAX_EXPANSION, load_effective

    lines = ["--module=ssl", "a0=x"] + [f"a{i}=${{a{i - 1}}}${{a{i - 1}}}" for i in range(1, 41)]
    (tmp_path / "start.ini").write_text("\n".join(lines) + "\n")
    config = load_effective(tmp_path)
    a20 = config.get("a20")
    assert a20 is not None and a20.value == "x" * (1 << 20)
    a40 = config.get("a40")
    assert a40 is not None and a40.value == "${a39}${a39}"
    assert "not expanded" in a40.note and str(MAX_EXPANSION) in a40.note
