"""client-auth: the right properties, the version-aware workaround, idempotence."""

from __future__ import annotations

from pathlib import Path

import pytest

from jettycfg.jetty.base import evaluate
from jettycfg.jetty.clientauth import EIA, NEED, WANT, apply_client_auth
from jettycfg.jetty.edit import Workspace
from jettycfg.jetty.version import JettyVersion


def values(ws: Workspace) -> dict[str, str | None]:
    config = evaluate(ws.docs, ws.root)
    return {k: (p.raw if (p := config.get(k)) else None) for k in (NEED, WANT, EIA)}


@pytest.mark.parametrize(
    ("mode", "version", "expected"),
    [
        ("need", "9.4.16", ("true", "false", "")),
        ("want", None, ("false", "true", "")),
        ("need", "9.4.57", ("true", "false", None)),
        # the sample never enabled client auth: off writes nothing (want stays unset)
        ("off", "9.4.16", ("false", None, None)),
        ("need", "12", ("true", "false", None)),
    ],
)
def test_modes(sample_base: Path, mode: str, version: str | None, expected: tuple) -> None:  # type: ignore[type-arg]
    ws = Workspace.for_base(sample_base)
    apply_client_auth(ws, mode, JettyVersion.parse(version) if version else None)
    assert tuple(values(ws).values()) == expected


def test_second_run_changes_nothing(sample_base: Path) -> None:
    ws = Workspace.for_base(sample_base)
    first = apply_client_auth(ws, "need", None)
    assert first.changed and len(first.actions) == 2 + 1
    (change,) = ws.changes()
    change.path.write_bytes(change.new)
    again = apply_client_auth(Workspace.for_base(sample_base), "need", None)
    assert not again.changed and again.actions == ()


def test_workaround_activates_template_line_with_comment(sample_base: Path) -> None:
    ws = Workspace.for_base(sample_base)
    apply_client_auth(ws, "want", JettyVersion.parse("9.4.15"))
    text = ws.changes()[0].new.decode()
    assert "#jetty.sslContext.endpointIdentificationAlgorithm=" not in text
    lines = text.splitlines()
    i = lines.index("jetty.sslContext.endpointIdentificationAlgorithm=")
    assert "jetty issue 3466" in lines[i - 1]


def test_non_empty_eia_replaced_on_any_version(tmp_path: Path) -> None:
    (tmp_path / "start.ini").write_text(
        "--module=ssl\njetty.sslContext.endpointIdentificationAlgorithm=HTTPS\n"
    )
    ws = Workspace.for_base(tmp_path)
    result = apply_client_auth(ws, "need", JettyVersion.parse("11"))
    assert values(ws)[EIA] == ""
    assert any("HTTPS" in a for a in result.actions)
