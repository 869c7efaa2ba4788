"""JC46x: client certificates as JOC sees them (the account is the subject's CN)."""

from __future__ import annotations

import datetime as dt

from cryptography import x509

from jettycfg.certs import common_name, days_left, key_description
from jettycfg.jetty.server import login_refusal
from jettycfg.joc.login import LoginCheck, check_login, header_account, non_text_cn
from jettycfg.lint.context import ClientCert, LintContext
from jettycfg.rules import Severity
from jettycfg.rules.clients import JC460, JC461, JC462, JC464, JC465, JC466, JC471
from jettycfg.rules.server import JC217
from jettycfg.trust.pkix import Problem


def login_problems(
    ctx: LintContext, client: ClientCert, handshake: bool
) -> tuple[LoginCheck, list[Problem]]:
    """JOC's login stage for one client certificate of a lint run."""
    o = ctx.options
    check, problems = joc_login_problems(client.chain[0], o.accounts, o.at, o.java, handshake)
    refused = login_refusal(ctx.model) if handshake else None
    if refused is not None:  # the handshake is fine, the login request is not
        problems.append(Problem(JC217, f"JOC never sees this login: {refused.message}"))
    return check, problems


def joc_login_problems(
    leaf: x509.Certificate, accounts: set[str] | None, at: dt.datetime, java: int, handshake: bool
) -> tuple[LoginCheck, list[Problem]]:
    """JOC's login stage for one client certificate: the account it reads (JC460, JC461,
    JC466, JC471) and, after a handshake Jetty accepted, JOC's own validity check (JC465)."""
    check = check_login(leaf, accounts, at, java)
    problems: list[Problem] = []
    cn = common_name(leaf)
    if check.account is None:
        hidden = f" (its CN '{cn}' sits where JOC's LdapName does not look)" if cn else ""
        if cn and non_text_cn(leaf):
            hidden = f" (its CN '{cn}' is of a string type Java hands JOC as bytes)"
        problems.append(
            Problem(
                JC460,
                f"no CN in the subject as JOC reads it{hidden}: JOC cannot map it to an account",
                "issue it with CN=<account>",
            )
        )
    elif check.cut_at_colon:
        problems.append(
            Problem(
                JC460,
                f"CN '{check.account}' holds ':', where JOC cuts the account "
                f"('{check.account.split(':')[0]}'); its CN check then fails",
                "issue it with an account name without ':'",
            )
        )
    elif cn != check.account:
        problems.append(
            Problem(
                JC466,
                f"JOC reads the account '{check.account}', not the first CN attribute '{cn}'",
                "issue it with a single CN=<account> RDN",
                Severity.WARNING,
            )
        )
    if check.charset_dependent and check.account is not None:
        problems.append(_charset_dependent(check.account, java))
    if check.account is not None and check.account_known is False:
        near = [a for a in accounts or () if a.strip().lower() == check.account.strip().lower()]
        hint = f" (did you mean '{near[0]}'? JOC matches exactly)" if near else ""
        problems.append(
            Problem(
                JC461,
                f"CN '{check.account}' is not one of the given accounts{hint}",
                "issue it with the account's exact name as CN",
            )
        )
    if handshake and not check.valid_now:
        problems.append(_not_valid_now(at, check))
    return check, problems


def _charset_dependent(account: str, java: int) -> Problem:
    """JC471: JOC on Java <= 17 sends the account through its default charset."""
    windows = header_account(account, "cp1252")
    return Problem(
        JC471,
        f"the account '{account}' is not ASCII: JOC on Java {java} builds its login header in "
        f"the platform's default charset and reads it as UTF-8 - on Windows (windows-1252) "
        f"the account becomes '{windows}' and the login fails, as on Linux without a UTF-8 "
        "locale",
        "use an ASCII account name, or start JOC's Java with -Dfile.encoding=UTF-8 (or Java 18+)",
        Severity.WARNING,
    )


def _not_valid_now(at: dt.datetime, check: LoginCheck) -> Problem:
    """JC465: Jetty accepted it (a pinned certificate's dates are not checked), JOC does not."""
    when = "expired on" if at > check.not_after else "valid only from"
    date = check.not_after if at > check.not_after else check.not_before
    return Problem(
        JC465,
        f"Jetty accepts it, but JOC refuses the login: the certificate {when} "
        f"{date:%Y-%m-%d %H:%M} UTC",
        "issue a new certificate and import it into the truststore",
    )


def client_problems(ctx: LintContext, client: ClientCert) -> list[Problem]:
    """Problems of one client certificate beyond Java's verdict and JOC's login."""
    leaf = client.chain[0]
    problems: list[Problem] = []
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
