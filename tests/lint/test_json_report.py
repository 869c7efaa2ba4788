"""The compact JSON report (past 200 client certificates) is built from pieces - each distinct
chain certificate's summary encoded once - and must be byte for byte what json.dumps makes of
the whole document."""

from __future__ import annotations

import json
from pathlib import Path

from jettycfg.jetty.version import JettyVersion
from jettycfg.lint.context import LintOptions
from jettycfg.lint.runner import run_lint
from jettycfg.report.json_report import _compact, as_dict, render_json
from tests import chains
from tests.lint.conftest import LintBase


def test_compact_report_is_what_json_dumps_makes(lint_base: LintBase, tmp_path: Path) -> None:
    ca = chains.CA(lint_base.pki.ca.cert, lint_base.pki.ca.key)
    inter_key = chains.ec_key()
    inter = chains.CA(
        chains.make(chains.name("Zwischen-CA \u00e4"), inter_key, ca, ca=True), inter_key
    )
    files = []
    for i in range(210):
        issuer, chain = (inter, [inter.cert]) if i % 2 else (ca, [])
        cn = f'j\u00fcrgen-{i} "quoted" \\ {chr(0x2028)}'
        # every 5th expired: problems in the report
        files.append(chains.client_file(tmp_path, cn, issuer, chain, expired=i % 5 == 0))
    garbage = tmp_path / "garbage.pem"
    garbage.write_bytes(b"-----BEGIN CERTIFICATE-----\nnot base64\n")
    options = LintOptions(
        base=lint_base.path,
        client_certs=[*files, garbage],
        jobs=1,
        jetty_version=JettyVersion.parse("9.4.57"),
        accounts={"root"},
    )
    result = run_lint(options)
    whole = json.dumps(as_dict(result))
    assert _compact(result) == whole + "\n"
    assert render_json(result) == whole + "\n"
    doc = json.loads(whole)
    assert len(doc["client_certificates"]) == 211
    assert doc["client_certificates"][-1]["problems"][0]["rule"] == "JC463"
    assert any(not c["accepted"] for c in doc["client_certificates"])
    assert doc["client_certificates"][1]["chain"][1] == doc["client_certificates"][3]["chain"][1]
