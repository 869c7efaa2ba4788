"""JC46x: client certificates as JOC sees them (the account is the subject's CN)."""

from __future__ import annotations

from jettycfg.certs import common_name, days_left, key_description
from jettycfg.lint.context import ClientCert, LintContext
from jettycfg.rules import Severity
from jettycfg.rules.chains import JC460, JC461, JC462, JC464
from jettycfg.trust.pkix import Problem


def client_problems(ctx: LintContext, client: ClientCert) -> list[Problem]:
    """JOC-level problems of one client certificate (beyond what Java decides)."""
    leaf = client.chain[0]
    problems: list[Problem] = []
    cn = common_name(leaf)
    if cn is None:
        problems.append(
            Problem(
                JC460,
                "no CN in the subject: JOC cannot map it to an account",
                "issue it with CN=<account>",
            )
        )
    elif ctx.options.accounts is not None and cn not in ctx.options.accounts:
        near = [a for a in ctx.options.accounts if a.strip().lower() == cn.strip().lower()]
        hint = f" (did you mean '{near[0]}'? JOC matches exactly)" if near else ""
        problems.append(
            Problem(
                JC461,
                f"CN '{cn}' is not one of the given accounts{hint}",
                "issue it with the account's exact name as CN",
            )
        )
    if key_description(leaf)[0] == "DSA":
        problems.append(
            Problem(
                JC464,
                "DSA key: usable only over TLS 1.2",
                "issue it with an RSA or EC key",
                Severity.WARNING,
            )
        )
    for i, cert in enumerate(client.chain):
        left = days_left(cert, ctx.options.at)
        if 0 <= left <= ctx.options.expiry_days:
            who = "the client certificate" if i == 0 else f"sent certificate #{i + 1}"
            problems.append(
                Problem(
                    JC462,
                    f"{who} expires in {left} days",
                    "issue a new one in time",
                    Severity.WARNING,
                )
            )
    return problems
