"""A running Jetty that does not yet use what is on disk (JC213)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from jettycfg.jetty.running import running_for
from jettycfg.lint.context import LintContext
from jettycfg.lint.findings import Finding, Severity
from jettycfg.lint.registry import check
from jettycfg.rules.server import JC213


def _watched(ctx: LintContext) -> list[tuple[str, Path]]:
    files = [("the truststore", ctx.model.truststore.setting.path)]
    files.append(("the keystore", ctx.model.keystore.setting.path))
    files += [(doc.path.name, doc.path) for doc in ctx.docs if doc.path is not None]
    return [(what, path) for what, path in files if path is not None]


# /proc gives the boot time in whole seconds: a start time may read up to a second early
_SLACK = 1.0


@check(JC213)
def restart_pending(ctx: LintContext) -> Iterator[Finding]:
    """The truststore, keystore or an ini file changed after the running Jetty started."""
    running = running_for(ctx.options.base)
    if not running:
        return
    seen: set[Path] = set()
    for what, path in _watched(ctx):
        try:
            changed = path.stat().st_mtime
        except OSError:
            continue
        if path in seen:
            continue
        seen.add(path)
        for jetty in running:
            if changed > jetty.started + _SLACK:
                yield ctx.finding(
                    JC213,
                    Severity.WARNING,
                    f"{what} changed after the running Jetty (pid {jetty.pid}) started: it still "
                    "uses the old content",
                    file=path,
                    fix="restart JOC Cockpit (its Jetty)",
                )
                break
