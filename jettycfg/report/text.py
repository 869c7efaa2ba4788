"""The human report: grouped, colour only on a terminal."""

from __future__ import annotations

from jettycfg.errors import printable
from jettycfg.lint.findings import Finding, Severity
from jettycfg.lint.runner import LintResult, LoginResult

COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
GREEN, RESET, BOLD = "\x1b[32m", "\x1b[0m", "\x1b[1m"


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{RESET}" if color else text


def _line(f: Finding, color: bool, indent: str = "  ") -> list[str]:
    where = ""
    if f.file and f.file != f.subject:
        where = f" ({f.file}{':' + str(f.line) if f.line else ''})"
    label = _paint(f"{f.severity.label:<7}", COLORS[f.severity], color)
    out = [f"{indent}{label} {f.rule} {printable(f.message)}{printable(where)}"]
    if f.fix and f.severity is not Severity.INFO:
        out.append(f"{indent}        fix: {printable(f.fix)}")
    return out


def _login_line(login: LoginResult, color: bool) -> str:
    if login.possible:
        return f"      JOC login: possible as '{printable(login.account)}'"
    codes = ", ".join(sorted({p.rule for p in login.problems if p.severity is Severity.ERROR}))
    return "      JOC login: " + _paint(f"REFUSED ({codes})", COLORS[Severity.ERROR], color)


def render_text(result: LintResult, *, color: bool = False) -> str:
    version = result.jetty_version + ("" if result.jetty_version_known else " (assumed)")
    lines = [
        _paint(f"jettycfg lint: {result.base}", BOLD, color),
        f"Jetty {version}, Java {result.java_version}, client auth: {result.client_auth}, "
        f"at {result.at:%Y-%m-%d %H:%M} UTC",
        "",
    ]
    findings = sorted(result.findings, key=lambda f: (-f.severity, f.rule))
    lines.append(_paint("Configuration", BOLD, color))
    if not findings:
        lines.append("  no findings")
    for f in findings:
        lines += _line(f, color)
    if result.clients:
        lines += ["", _paint("Client certificates", BOLD, color)]
    for c in result.clients:
        mark = (
            _paint("accepted", GREEN, color)
            if c.accepted
            else _paint("REJECTED", COLORS[Severity.ERROR], color)
        )
        who = f"CN={c.common_name}" if c.common_name else (c.subject or "unreadable")
        lines.append(f"  {mark}  {printable(c.file)}  {printable(who)}")
        if c.accepted and c.login is not None:
            lines.append(_login_line(c.login, color))
        for p in sorted(c.problems, key=lambda f: -f.severity):
            lines += _line(p, color, indent="      ")
    s = result.summary()
    lines += [
        "",
        f"{s['errors']} error(s), {s['warnings']} warning(s), {s['infos']} info; "
        f"{s['accepted']} of {s['certificates']} certificate(s) accepted, "
        f"{s['logins_possible']} can log in to JOC"
        + ("" if result.starts else "; Jetty would not start"),
    ]
    return "\n".join(lines) + "\n"
