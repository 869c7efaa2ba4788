"""JC1xx: the start ini files themselves, as start.jar reads them."""

from __future__ import annotations

from collections.abc import Iterator

from jettycfg.ini.model import LineKind
from jettycfg.jetty import schema
from jettycfg.jetty.base import Assignment, Property
from jettycfg.jetty.numeric import SSL_PREFIXES
from jettycfg.lint.context import LintContext
from jettycfg.lint.findings import Finding, Severity
from jettycfg.lint.registry import check
from jettycfg.rules.ini import JC101, JC102, JC103, JC104, JC106, JC108, JC109, JC110

BOOLEANS = {
    "needclientauth",
    "wantclientauth",
    "renegotiationallowed",
    "usecipher" + "suitesorder",
    "snirequired",
    "snihostcheck",
    "stsincludesubdomains",
    "reuseaddress",
    "acceptedtcpnodelay",
}


def _lines(ctx: LintContext) -> Iterator[tuple[str, int, str, object]]:
    for doc in ctx.docs:
        for i, line in enumerate(doc.lines):
            yield str(doc.path), i + 1, line.text, line


def _ssl_settings(ctx: LintContext, names: set[str]) -> Iterator[Property]:
    """Effective jetty.ssl.* / jetty.sslContext.* properties set in a file, by last name part."""
    for prop in ctx.model.config.properties.values():
        lower = prop.key.lower()
        in_file = prop.origin is not None and lower.startswith(SSL_PREFIXES)
        if in_file and lower.rsplit(".", 1)[-1] in names:
            yield prop


@check(JC101)
def bom(ctx: LintContext) -> Iterator[Finding]:
    """An ini file starts with a UTF-8 byte order mark."""
    for doc in ctx.docs:
        if doc.lines and doc.lines[0].text.startswith("\ufeff"):
            yield ctx.finding(
                JC101,
                Severity.ERROR,
                "the file starts with a UTF-8 BOM: "
                "start.jar reads the first line as a property named "
                f"'\\ufeff{doc.lines[0].trimmed[1:].split('=')[0]}'",
                file=doc.path,
                line=1,
                fix="save the file as UTF-8 without BOM",
            )


@check(JC102)
def spaces_around_equals(ctx: LintContext) -> Iterator[Finding]:
    """A property line has blanks around `=`."""
    for file, number, _, line in _lines(ctx):
        key = getattr(line, "key", None)
        value = getattr(line, "value", None) or ""
        if (
            getattr(line, "kind", None) is LineKind.PROPERTY
            and key is not None
            and (key != key.rstrip() or value != value.lstrip())
        ):
            secret = schema.is_secret(key.strip())
            shown = "********" if secret and value.strip() else value
            fixed = "********" if secret and value.strip() else value.strip()
            yield ctx.finding(
                JC102,
                Severity.ERROR,
                f"blanks around '=': start.jar sets '{key}' to '{shown}', which Jetty never reads"
                if key != key.rstrip()
                else f"blank after '=': Jetty reads '{shown}' with the blank (Jetty 10 and later "
                "read a boolean written so as false)",
                file=file,
                line=number,
                fix=f"{key.strip()}={fixed}",
            )


@check(JC103)
def case_variant_key(ctx: LintContext) -> Iterator[Finding]:
    """A Jetty ssl property is spelled in another letter case."""
    known = {k.lower(): k for k in schema.known_properties()}
    for file, number, _, line in _lines(ctx):
        key = getattr(line, "key", None)
        kind = getattr(line, "kind", None)
        right = known.get((key or "").lower())
        if kind is LineKind.PROPERTY and key and right and key != right:
            yield ctx.finding(
                JC103,
                Severity.ERROR,
                f"'{key}' is spelled differently from '{right}': Jetty's XML does not see it",
                file=file,
                line=number,
                fix=f"write {right}",
            )


@check(JC104)
def duplicate_key(ctx: LintContext) -> Iterator[Finding]:
    """An ssl property is set more than once (in one file or across files)."""
    seen: dict[str, list[Assignment]] = {}
    for a in ctx.model.config.assignments:
        if a.key.lower().startswith(SSL_PREFIXES) and a.op == "=":
            seen.setdefault(a.key.lower(), []).append(a)
    for assignments in seen.values():
        if len(assignments) < 2:
            continue
        last = assignments[-1]
        where = ", ".join(str(a.origin) for a in assignments[:-1])
        yield ctx.finding(
            JC104,
            Severity.WARNING,
            f"{last.key} is set {len(assignments)} times; this line wins over {where}",
            at=last,
            fix="keep one definition",
        )


@check(JC106)
def boolean_read_as_false(ctx: LintContext) -> Iterator[Finding]:
    """A boolean ssl property has a value Java reads as false."""
    for prop in _ssl_settings(ctx, BOOLEANS):
        version = ctx.model.version
        if not schema.reads_true(prop.value, version) and prop.value.strip().lower() != "false":
            yield ctx.finding(
                JC106,
                Severity.ERROR,
                f"{prop.key}={prop.value!r}: Jetty {version} reads this as false",
                at=prop,
                fix="write true or false",
            )


@check(JC108)
def deprecated_name(ctx: LintContext) -> Iterator[Finding]:
    """A deprecated (Jetty 9.2) or version-ignored ssl property name is used."""
    version = ctx.model.version
    live = schema.aliases(version)
    for a in ctx.model.config.assignments:
        lower = a.key.lower()
        if lower in schema.all_alias_names():
            new = schema.all_aliases().get(lower, "?")
            if lower in live:
                severity, what = (
                    Severity.WARNING,
                    f"a deprecated name (read only while {new} is unset)",
                )
            else:
                severity, what = Severity.ERROR, f"ignored by Jetty {version}"
            fix = f"write {new}"
        elif version.major == 12 and lower.endswith("storeabsolutepath"):
            severity, what = Severity.ERROR, "ignored by Jetty 12"
            fix = "write the path as keyStorePath / trustStorePath"
        else:
            continue
        yield ctx.finding(JC108, severity, f"{a.key} is {what}", at=a, fix=fix)


@check(JC109)
def unknown_ssl_property(ctx: LintContext) -> Iterator[Finding]:
    """A jetty.ssl.* / jetty.sslContext.* property Jetty does not know."""
    known = {k.lower() for k in schema.known_properties(ctx.model.version)}
    known |= schema.all_alias_names()  # JC108 names those
    for a in ctx.model.config.assignments:
        lower = a.key.lower()
        if lower.startswith(SSL_PREFIXES) and lower not in known and a.key == a.key.strip():
            yield ctx.finding(
                JC109,
                Severity.WARNING,
                f"{a.key} is not a property Jetty {ctx.model.version} reads",
                at=a,
                fix="check the spelling",
            )


@check(JC110)
def unrecognised_line(ctx: LintContext) -> Iterator[Finding]:
    """A line start.jar cannot read (no `=`, not an option, not an .xml / .properties file)."""
    for file, number, text, line in _lines(ctx):
        if getattr(line, "kind", None) is LineKind.UNKNOWN:
            yield ctx.finding(
                JC110,
                Severity.ERROR,
                f"start.jar cannot read '{_safe(text.strip())[:60]}': Jetty does not start",
                file=file,
                line=number,
                fix="write key=value or comment the line out",
            )


def _safe(text: str) -> str:
    """An unreadable line as a finding may quote it: never a password in it (a line like
    `jetty.sslContext.keyStorePassword secret` has no `=` but still holds the secret)."""
    import re

    match = re.search(r"pass(word|phrase)?", text, re.IGNORECASE)
    if match is None:
        return text
    end = re.search(r"[\s:=]", text[match.end() :])
    cut = match.end() + (end.start() if end else len(text))
    return text[:cut] + (" ********" if cut < len(text) else "")
