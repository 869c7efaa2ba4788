"""``jettycfg lint`` and ``jettycfg rules``."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from jettycfg.cli.common import has_password, password_from, password_options, resolve_version
from jettycfg.errors import UsageError
from jettycfg.fsio import write_atomic
from jettycfg.lint.gcsettle import rare_gc, settling
from jettycfg.lint.inputs import client_ip, expand_folders, read_accounts
from jettycfg.rules import Severity, selection
from jettycfg.trust.algorithms import DEFAULT_JAVA, JAVA_VERSIONS

if TYPE_CHECKING:
    from jettycfg.lint.runner import LintResult


def _at(text: str | None) -> dt.datetime:
    if text is None:
        return dt.datetime.now(dt.timezone.utc)
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise UsageError(f"--at: not an ISO date-time: {text!r}") from exc
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _client_ip(text: str | None) -> str | None:
    return client_ip(text, "--client-ip")


@click.command()
@click.option(
    "--base",
    type=click.Path(path_type=Path),
    help="JETTY_BASE (default: $JETTY_BASE, then the current folder).",
)
@click.option(
    "--client-cert",
    "client_certs",
    multiple=True,
    type=Path,  # not click.Path: it stats each of 10,000 files; lint reports a bad one
    help="PEM (leaf first, then the chain the client sends) or DER, or a folder of them; "
    "repeatable.",
)
@click.option(
    "--client-p12",
    "client_p12",
    multiple=True,
    type=Path,  # not click.Path: it stats each of 10,000 files; lint reports a bad one
    help="PKCS#12 of a client (its chain as the client sends it); repeatable.",
)
@password_options("client-pass", "password of the --client-p12 files")
@click.option("--account", "accounts", multiple=True, help="A JOC account name; repeatable.")
@click.option("--accounts-file", type=click.Path(path_type=Path), help="One account per line.")
@click.option("--jetty-version", help="e.g. 9.4.57, 11, 12.")
@click.option("--jetty-home", type=click.Path(path_type=Path), help="Read the version here.")
@click.option(
    "--java-version",
    "java",
    type=click.Choice([str(v) for v in JAVA_VERSIONS]),
    default=str(DEFAULT_JAVA),
    show_default=True,
)
@click.option("--at", "at", metavar="ISO-DATETIME", help="Judge at this time (default: now).")
@click.option("--expiry-warning-days", type=click.IntRange(0), default=30, show_default=True)
@click.option("--client-ip", help="The client's address, for endpointIdentificationAlgorithm.")
@click.option(
    "--jobs",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Worker processes for more than 400 certificates (0: one per CPU).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "junit"]),
    default="text",
    show_default=True,
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report here (atomically) instead of standard output.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    default="error",
    show_default=True,
)
@click.option("--select", multiple=True, help="Only these rule codes or prefixes (JC4,JC201).")
@click.option("--ignore", multiple=True, help="Skip these rule codes or prefixes.")
def lint(
    base: Path | None,
    client_certs: tuple[Path, ...],
    client_p12: tuple[Path, ...],
    accounts: tuple[str, ...],
    accounts_file: Path | None,
    jetty_version: str | None,
    jetty_home: Path | None,
    java: str,
    at: str | None,
    expiry_warning_days: int,
    client_ip: str | None,
    jobs: int,
    fmt: str,
    output: Path | None,
    fail_on: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    **kw: object,
) -> int:
    """Predict, certificate by certificate, what a real Jetty does - and say why.

    Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage error or
    unreadable input, 3 internal error.
    """
    from jettycfg.lint.context import LintOptions
    from jettycfg.lint.runner import run_lint
    from jettycfg.report import render

    certs, p12s = expand_folders(list(client_certs), list(client_p12))
    client_pass = None
    if p12s or has_password(kw, "client-pass"):  # a .p12 may come through --client-cert too
        client_pass = password_from(kw, "client-pass", "client .p12 password", required=False)
    options = LintOptions(
        base=base if base is not None else Path(__import__("os").environ.get("JETTY_BASE") or "."),
        client_certs=certs,
        client_p12=p12s,
        client_pass=client_pass,
        accounts=read_accounts(accounts, accounts_file),
        jetty_version=resolve_version(jetty_version, jetty_home),
        java=int(java),
        at=_at(at),
        expiry_days=expiry_warning_days,
        client_ip=_client_ip(client_ip),
        jobs=jobs,
    )
    total = len(certs) + len(p12s)
    with _progress(total) as progress, settling():  # the process ends after the run
        result = run_lint(
            options, selection(select, "--select"), selection(ignore, "--ignore"), progress
        )
    color = output is None and fmt == "text" and sys.stdout.isatty()
    with rare_gc():  # the report's objects hold no cycles; 10,000 results are walked once less
        text = render(result, fmt, color=color)
    if output is not None:
        write_atomic(output, text.encode("utf-8"), new_mode=0o600)  # a report names stores
    else:
        click.echo(text, nl=False)
    return exit_code(result, fail_on)


def exit_code(result: LintResult, fail_on: str) -> int:
    """The exit-code policy (the CLI's alone): 2 when a client file was unreadable, 1 for
    findings at or above --fail-on, else 0."""
    if result.unreadable_input:
        from jettycfg.errors import printable

        bad = [c.file for c in result.clients if c.unreadable]
        more = f" and {len(bad) - 1} more" if len(bad) > 1 else ""
        click.echo(
            f"jettycfg: error: cannot read the client certificate file {printable(bad[0])}{more} "
            "(JC463 in the report)",
            err=True,
        )
        return 2
    if fail_on == "never":
        return 0
    worst = result.worst()
    return 1 if worst is not None and worst >= Severity.parse(fail_on) else 0


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr when judging more than 200 certificates on a terminal."""
    if total <= 200 or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label="judging", file=sys.stderr) as bar:

        def advance(done: int) -> None:  # ``done`` counts all judged so far
            bar.update(done - bar.pos)

        yield advance


@click.command()
@click.argument("code", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: the whole catalogue as docs/rules.md.",
)
def rules(code: str | None, fmt: str) -> int:
    """List the lint rules, or explain one (jettycfg rules JC201)."""
    from jettycfg.rules import all_rules

    registry = all_rules()
    if fmt == "markdown" and code is None:
        from jettycfg.report.rules_doc import render_markdown

        click.echo(render_markdown(registry), nl=False)
        return 0
    if code is None:
        for c, r in sorted(registry.items()):
            click.echo(f"{c}  {r.severity.label:<7}  {r.name:<34}  {r.summary}")
        return 0
    found = registry.get(code.upper()) or next(
        (r for r in registry.values() if r.name == code.lower()), None
    )
    if found is None:
        raise UsageError(f"no rule {code!r} (see: jettycfg rules)")
    if fmt == "markdown":
        from jettycfg.report.rules_doc import render_rule

        click.echo(render_rule(found))
        return 0
    click.echo(f"{found.code} {found.name} ({found.severity.label})\n\n{found.doc}")
    return 0
