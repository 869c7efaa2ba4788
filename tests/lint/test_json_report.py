"""The JSON report past 200 certificates is spliced from pieces (each chain summary encoded once:
the intermediates recur in thousands of entries): its text must be exactly what encoding the
whole document gives, and parse to the same document."""

from __future__ import annotations

import json
from pathlib import Path

from bench.run import _lint_fixture
from jettycfg.jetty.version import JettyVersion
from jettycfg.lint.runner import LintOptions, run_lint
from jettycfg.report.json_report import as_dict, render_json


def test_compact_report_is_the_whole_document_encoded(tmp_path: Path) -> None:
    base, paths, _, _ = _lint_fixture(tmp_path, 205, 10)
    junk = tmp_path / "junk.pem"
    junk.write_bytes(b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    options = LintOptions(
        base, client_certs=[*paths, junk], jetty_version=JettyVersion.parse("9.4.57"), jobs=1
    )
    result = run_lint(options)
    assert len(result.clients) == 206
    text = render_json(result)
    assert text == json.dumps(as_dict(result)) + "\n"
    doc = json.loads(text)
    assert doc == as_dict(result)
    assert doc["client_certificates"][-1]["login"] is None  # the unreadable file
    assert doc["client_certificates"][0]["chain"][1] == doc["client_certificates"][10]["chain"][1]
