"""JC1xx: the start ini files as start.jar reads them.

Each rule is one object: code, name, default severity (and the others its findings may
carry) and its Why / Example / Fix documentation. Detection refers to these objects."""

from __future__ import annotations

from jettycfg.rules.model import Severity, declare

JC101 = declare(
    "JC101",
    "bom",
    Severity.ERROR,
    """
    An ini file starts with a UTF-8 byte order mark.

    Why: start.jar does not strip the BOM, so the first line becomes a property whose name starts
    with U+FEFF - a `--module=ssl` there silently enables nothing, a `key=value` sets nothing
    Jetty reads.
    Example: a start.ini saved by Windows Notepad as "UTF-8 with BOM".
    Fix: save the file as UTF-8 without BOM (`jettycfg ini set` keeps what it finds; re-save
    the file once in an editor).
    """,
)
JC102 = declare(
    "JC102",
    "spaces-around-equals",
    Severity.ERROR,
    """
    A property line has blanks around `=`.

    Why: start.jar trims the line, not the key and value: `jetty.ssl.port = 8443` sets the
    property "jetty.ssl.port " (with a space) to " 8443", which Jetty's XML never reads, so the
    default applies without any warning. A blank only after `=` stays in the value: Jetty 9.4's
    XML trims a boolean, Jetty 10 and later do not and read `needClientAuth= true` as false.
    Example: `jetty.sslContext.needClientAuth = true`
    Fix: write `key=value` without blanks around `=`.
    """,
)
JC103 = declare(
    "JC103",
    "case-variant-key",
    Severity.ERROR,
    """
    A Jetty ssl property is spelled in another letter case.

    Why: start.jar's property map ignores case, so `JETTY.sslContext.needClientAuth=true`
    overrides `jetty.sslContext.needClientAuth` - but Jetty's XML looks the name up exactly, so
    the setting is hidden and the default applies.
    Example: `jetty.sslcontext.needclientauth=true`
    Fix: use the exact spelling (`jettycfg ini set` writes it).
    """,
)
JC104 = declare(
    "JC104",
    "duplicate-key",
    Severity.WARNING,
    """
    An ssl property is set more than once (in one file or across files).

    Why: the last assignment wins (start.ini first, then start.d/*.ini sorted), which is easy to
    misread: an operator edits start.ini while start.d/ssl.ini silently overrides it.
    Example: needClientAuth=true in start.ini and needClientAuth=false in start.d/ssl.ini.
    Fix: keep one definition; `jettycfg ini show` tells which one wins.
    """,
)
JC105 = declare(
    "JC105",
    "expansion-loop",
    Severity.ERROR,
    """
    A `${...}` reference in a -D system property loops back to itself.

    Why: start.jar expands system-property values at start and refuses to start with
    "Property expansion loop detected".
    Example: `-Dq=x`, `q=${b}`, `b=${q}`
    Fix: break the cycle.
    """,
)
JC106 = declare(
    "JC106",
    "boolean-read-as-false",
    Severity.ERROR,
    """
    A boolean ssl property has a value Java reads as false.

    Why: Jetty converts with Java's Boolean.valueOf: only "true" (any case) is true; "yes", "1",
    "on" silently mean false - `needClientAuth=yes` turns client authentication off.
    Example: `jetty.sslContext.needClientAuth=1`
    Fix: write true or false.
    """,
)
JC107 = declare(
    "JC107",
    "not-a-number",
    Severity.ERROR,
    """
    A numeric ssl property (port, timeouts, sizes) is not a number Java parses, or the port is
    outside 0-65535.

    Why: Jetty's XML fails to convert it (or the socket refuses the port) and Jetty does not
    start (real Jetty 9.4 and 12.1: `abc`, `0x10`, an empty value, `99999`, `-1`; a sign or
    leading zeros are fine).
    Example: `jetty.ssl.port=8443 # https`
    Fix: write a plain integer (no inline comments: start.ini has none).
    """,
)
JC108 = declare(
    "JC108",
    "deprecated-or-ignored-name",
    Severity.WARNING,
    """
    A deprecated (Jetty 9.2) or version-ignored ssl property name is used.

    Why: 9.3/9.4 still read the 9.2 names (jetty.keystore, jetty.ssl.needClientAuth, ...) only
    when the new name is unset; 10/11 keep only the path aliases and 12 only jetty.truststore,
    so on newer Jetty the setting is silently ignored. keyStoreAbsolutePath is ignored by 12.
    Example: `jetty.ssl.needClientAuth=true` on Jetty 11.
    Fix: use the jetty.sslContext.* name.
    """,
    also=[Severity.ERROR],
)
JC109 = declare(
    "JC109",
    "unknown-ssl-property",
    Severity.WARNING,
    """
    A jetty.ssl.* / jetty.sslContext.* property Jetty does not know.

    Why: a typo is silently ignored (the old `jetty.ssl.acceptorQueueSize` in some templates is
    never read; the real name is acceptQueueSize). Protocols, ciphers, certAlias and
    validatePeerCerts are not ini properties before Jetty 12.1.
    Example: `jetty.sslContext.needClientAuthentication=true`
    Fix: use a name from the ssl module's template (`jettycfg ini show` lists the known ones).
    """,
)
JC110 = declare(
    "JC110",
    "unrecognised-line",
    Severity.ERROR,
    """
    A line start.jar cannot read (no `=`, not an option, not an .xml / .properties file).

    Why: start.jar stops with "Unrecognized argument" and Jetty does not start.
    Example: `needClientAuth true`
    Fix: write `key=value`, or comment the line out with `#`.
    """,
)
JC111 = declare(
    "JC111",
    "unknown-module",
    Severity.ERROR,
    """
    An ini file enables a module this Jetty line does not have.

    Why: start.jar refuses to start ("ERROR : Unknown module='logging'" on 9.4, "Unknown
    modules=[jsp, jstl]" on 12). Jetty 10 dropped `logging` (now `logging-jetty` and friends),
    Jetty 12 moved the servlet modules into `ee8-` / `ee9-` / `ee10-` families (`ee10-jsp`,
    `ee10-annotations`) and 12.1 renamed `deploy`: a base carried over from an older JOC stops
    starting. Checked against the module names of the Jetty homes JOC ships (recorded from the
    real homes) plus the base's own `modules/` folder; only when the version is known.
    Example: `--module=jsp` on Jetty 12.1
    Fix: enable the module under its new name (`start.jar --list-modules`), or remove the line.
    """,
)
JC112 = declare(
    "JC112",
    "modules-option-before-12",
    Severity.ERROR,
    """
    A `--modules=` line on Jetty 9.4, 10 or 11: start.jar takes only `--module=` there.

    Why: before Jetty 12 start.jar does not know the plural; it passes the line to the JVM as
    an argument ("interpreted as a JVM argument") and enables nothing - `start.jar
    --list-config` lists no such module. A base laid out for JOC 2.9 (Jetty 12.1 writes
    `--modules=`) and moved to an older JOC loses its modules.
    Example: `--modules=ssl` in start.d/ssl.ini on Jetty 10.0
    Fix: write `--module=ssl`.
    """,
)
JC113 = declare(
    "JC113",
    "no-tls-module",
    Severity.ERROR,
    """
    No enabled module brings in TLS (`ssl`, or a module that needs it such as `https`).

    Why: the `jetty.sslContext.*` settings configure the SSL connector that the `ssl` module
    creates; without it Jetty listens for no TLS at all, and no client certificate is ever
    asked for. Checked only when the Jetty version is known and every enabled module is one of
    that Jetty's own (a module of the base's own `modules/` folder may bring TLS in).
    Example: a base enabling only `--module=http`.
    Fix: `--module=ssl` and `--module=https` (`jettycfg init` writes them).
    """,
)
JC114 = declare(
    "JC114",
    "no-module",
    Severity.ERROR,
    """
    The base enables no module at all.

    Why: start.jar then stops ("No enabled jetty modules found!" on Jetty 10+, "Nothing to
    start, exiting" on 9.4, exit code 254) and Jetty does not run.
    Example: start.d files whose only module lines are `--modules=` on Jetty 10 (JC112).
    Fix: enable the modules JOC needs (`--module=ssl`, `--module=https`, ...).
    """,
)
