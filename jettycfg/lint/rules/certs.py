"""JC46x: client certificates as JOC sees them (the account is the subject's CN)."""

from __future__ import annotations

from jettycfg.certs import common_name, days_left, key_description
from jettycfg.lint.context import ClientCert, LintContext
from jettycfg.lint.findings import Severity
from jettycfg.lint.registry import documented
from jettycfg.trust.pkix import Problem

documented(
    "JC460",
    "no-common-name",
    Severity.ERROR,
    """
    The client certificate's subject has no CN.

    Why: Java accepts it (a CN is not required for TLS), but JOC's CERTIFICATE identity service
    takes the account name from the CN: nobody can log in with it.
    Example: subject O=Example only, identity in the SubjectAltName.
    Fix: issue the certificate with CN=<JOC account>.
    """,
)
documented(
    "JC461",
    "cn-not-an-account",
    Severity.ERROR,
    """
    The client certificate's CN is none of the given JOC accounts (--account / --accounts-file).

    Why: JOC matches the CN to the account name exactly (case and blanks included).
    Example: CN=Root for the account root.
    Fix: issue the certificate with the account's exact name as CN, or create the account.
    """,
)
documented(
    "JC462",
    "expiring-soon",
    Severity.WARNING,
    """
    The client certificate (or an intermediate it sends) expires within --expiry-warning-days.

    Why: logins stop working on that day.
    Example: a one-year certificate issued eleven months ago.
    Fix: issue a new certificate in time.
    """,
)
documented(
    "JC463",
    "unreadable-client-certificate",
    Severity.ERROR,
    """
    A client certificate file cannot be read (garbage, truncated, wrong format, wrong
    password), or Java refuses to parse the certificate (duplicate extensions, an empty
    issuer, an empty subject with a non-critical SAN, mismatching signature algorithms,
    explicit EC parameters, an unreadable critical extension): Java rejects such a chain.

    Why: nothing can be judged; the rest of the report still comes out.
    Example: a .p12 given with the wrong --client-pass.
    Fix: give a PEM (leaf first, then the chain), DER or PKCS#12 file and its password.
    """,
)
documented(
    "JC464",
    "dsa-key-needs-tls12",
    Severity.WARNING,
    """
    The client certificate has a DSA key.

    Why: TLS 1.3 has no DSA signatures, so the client must fall back to TLS 1.2 (Java accepts the
    chain there); browsers and modern clients refuse DSA client certificates altogether.
    Example: a client key made with `keytool -keyalg DSA`.
    Fix: issue the client certificate with an RSA (>= 2048) or EC P-256 key.
    """,
)


def client_problems(ctx: LintContext, client: ClientCert) -> list[Problem]:
    """JOC-level problems of one client certificate (beyond what Java decides)."""
    leaf = client.chain[0]
    problems: list[Problem] = []
    cn = common_name(leaf)
    if cn is None:
        problems.append(
            Problem(
                "JC460",
                "no CN in the subject: JOC cannot map it to an account",
                "issue it with CN=<account>",
            )
        )
    elif ctx.options.accounts is not None and cn not in ctx.options.accounts:
        near = [a for a in ctx.options.accounts if a.strip().lower() == cn.strip().lower()]
        hint = f" (did you mean '{near[0]}'? JOC matches exactly)" if near else ""
        problems.append(
            Problem(
                "JC461",
                f"CN '{cn}' is not one of the given accounts{hint}",
                "issue it with the account's exact name as CN",
            )
        )
    if key_description(leaf)[0] == "DSA":
        problems.append(
            Problem(
                "JC464",
                "DSA key: usable only over TLS 1.2",
                "issue it with an RSA or EC key",
                "warning",
            )
        )
    for i, cert in enumerate(client.chain):
        left = days_left(cert, ctx.options.at)
        if 0 <= left <= ctx.options.expiry_days:
            who = "the client certificate" if i == 0 else f"sent certificate #{i + 1}"
            problems.append(
                Problem(
                    "JC462", f"{who} expires in {left} days", "issue a new one in time", "warning"
                )
            )
    return problems
