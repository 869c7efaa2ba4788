"""The ini model: byte-exact round trip, start.jar's line classification, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jettycfg.errors import IniError
from jettycfg.ini.model import IniLine, LineKind, parse_bytes, read_ini

_pieces = st.sampled_from(
    [
        "--module=ssl",
        "--modules=ssl,https",
        "jetty.ssl.port=8443",
        "k+=,v",
        "k?=v",
        "-Dk=v",
        "-Xmx1g",
        "etc/jetty.xml",
        "x.properties",
        "# comment",
        "#k=v",
        "",
        "   ",
        "\t",
        "k = v ",
        "\ufeff",
        "ä€",
        "=",
        "#",
        "\x0c",
        "\u2028",
        "\x85",
    ]
)
_eols = st.sampled_from(["\n", "\r\n", "\r", ""])
_text = st.lists(st.tuples(_pieces, _eols), max_size=30).map(
    lambda parts: "".join(a + b for a, b in parts)
)


@given(_text)
def test_round_trip_of_structured_text_is_identical(text: str) -> None:
    data = text.encode("utf-8")
    assert parse_bytes(data).to_bytes() == data


@given(st.text())
def test_round_trip_of_any_text_is_identical(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return  # lone surrogates are not UTF-8; covered by the invalid-UTF-8 test
    assert parse_bytes(data).to_bytes() == data


@given(_text)
def test_lines_split_only_on_java_line_terminators(text: str) -> None:
    doc = parse_bytes(text.encode())
    for line in doc.lines:
        assert "\n" not in line.text and "\r" not in line.text
        assert line.eol in ("\n", "\r\n", "\r", "")
    assert all(line.eol for line in doc.lines[:-1])


@pytest.mark.parametrize(
    ("text", "kind", "key", "op", "value"),
    [
        ("--module=ssl", LineKind.MODULE, "module", "=", "ssl"),
        ("  --modules=ssl,https ", LineKind.MODULE, "modules", "=", "ssl,https"),
        ("jetty.ssl.port=8443", LineKind.PROPERTY, "jetty.ssl.port", "=", "8443"),
        ("a+=,b", LineKind.PROPERTY, "a", "+=", ",b"),
        ("a?=b=c", LineKind.PROPERTY, "a", "?=", "b=c"),
        ("k = v # not a comment ", LineKind.PROPERTY, "k ", "=", " v # not a comment"),
        ("-Dk=v", LineKind.SYSPROP, "k", "=", "v"),
        ("-Dflag", LineKind.SYSPROP, "flag", "=", ""),
        ("-Xmx1g", LineKind.JVM, None, None, "-Xmx1g"),
        ("--exec", LineKind.OPTION, None, None, "--exec"),
        ("etc/jetty-ssl.xml", LineKind.XML, None, None, "etc/jetty-ssl.xml"),
        ("my.properties", LineKind.PROPFILE, None, None, "my.properties"),
        ("   # x=1", LineKind.COMMENT, None, None, None),
        ("\t ", LineKind.BLANK, None, None, None),
        ("\ufeff--module=ssl", LineKind.PROPERTY, "\ufeff--module", "=", "ssl"),
        ("garbage", LineKind.UNKNOWN, None, None, "garbage"),
    ],
)
def test_classification_follows_start_jar(
    text: str, kind: LineKind, key: str | None, op: str | None, value: str | None
) -> None:
    line = IniLine(text)
    assert (line.kind, line.key, line.op, line.value) == (kind, key, op, value)


def test_commented_template_lines() -> None:
    assert IniLine("# jetty.sslContext.wantClientAuth=false").commented_assignment() == (
        "jetty.sslContext.wantClientAuth",
        "false",
    )
    assert IniLine("#jetty.sslContext.endpointIdentificationAlgorithm=").commented_assignment() == (
        "jetty.sslContext.endpointIdentificationAlgorithm",
        "",
    )
    assert IniLine("## The port to listen on = 8443").commented_assignment() is None
    assert IniLine("jetty.a=1").commented_assignment() is None


def test_invalid_utf8_is_a_one_line_error_with_line_number() -> None:
    with pytest.raises(IniError) as info:
        parse_bytes(b"a=1\nb=\xff\n", Path("start.ini"))
    assert str(info.value) == "start.ini:2: not valid UTF-8 (start.jar refuses such a file)"
    assert "\n" not in str(info.value)


def test_read_ini_errors(tmp_path: Path) -> None:
    with pytest.raises(IniError, match="no such file"):
        read_ini(tmp_path / "missing.ini")
    with pytest.raises(IniError, match="is a folder"):
        read_ini(tmp_path)


def test_edits_keep_other_lines_and_endings() -> None:
    doc = parse_bytes(b"a=1\r\nb=2\r\nc=3")
    doc.replace_text(1, "b=9")
    doc.append(["d=4"])
    # no final newline stays so (issue 8: files keep their style)
    assert doc.to_bytes() == b"a=1\r\nb=9\r\nc=3\r\nd=4"
    doc.delete(len(doc.lines) - 1)
    doc.delete(0)
    assert doc.to_bytes() == b"b=9\r\nc=3"
    no_final = parse_bytes(b"a=1\nb=2")
    no_final.delete(1)
    assert no_final.to_bytes() == b"a=1"
