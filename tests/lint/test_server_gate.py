"""The server's own verdict for every chain (not starting, no client auth, no TLS) is found once
per model in a run (jettycfg.jetty.server._server_gate) - and again when a library caller
changes what it reads between two calls."""

from __future__ import annotations

import datetime as dt

from jettycfg import memo
from jettycfg.certs import load_pem_all
from jettycfg.jetty.base import load_documents
from jettycfg.jetty.clientauth import ClientAuth
from jettycfg.jetty.server import model_server, verdict
from jettycfg.jetty.version import JettyVersion
from jettycfg.rules import Finding, Severity
from jettycfg.rules.stores import JC301
from jettycfg.trust.pkix import TrustParams
from tests.lint.conftest import LintBase


def test_the_gate_follows_the_model_within_a_run(lint_base: LintBase) -> None:
    base = lint_base.path
    model = model_server(base, JettyVersion.parse("9.4.57"), 17, load_documents(base))
    chain = load_pem_all(lint_base.client.read_bytes())
    params = TrustParams(at=dt.datetime.now(dt.timezone.utc))
    with memo.scope():
        assert verdict(model, chain, params).accepted
        model.client_auth = ClientAuth.OFF
        off = verdict(model, chain, params)
        assert not off.accepted and off.problems[0].rule.code == "JC201"
        model.client_auth = ClientAuth.NEED
        assert verdict(model, chain, params).accepted
        model.findings.append(Finding(JC301, Severity.ERROR, "keystore missing"))
        failed = verdict(model, chain, params)
        assert not failed.accepted and "would not start" in failed.problems[0].message
