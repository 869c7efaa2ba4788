"""Options and helpers shared by the click commands: base, Jetty version, secrets, writing."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from jettycfg.errors import PasswordError, UsageError
from jettycfg.fsio import FileChange
from jettycfg.ini.model import LineKind, classify

if TYPE_CHECKING:
    from jettycfg.jetty.edit import Workspace
from jettycfg.jetty.schema import is_secret
from jettycfg.jetty.version import JettyVersion, detect_version

F = TypeVar("F", bound=Callable[..., Any])
MASK = "********"


def base_option(func: F) -> F:
    return click.option(
        "--base",
        type=click.Path(path_type=Path),
        default=None,
        help="JETTY_BASE folder (default: $JETTY_BASE, then the current folder).",
    )(func)


def version_options(func: F) -> F:
    func = click.option(
        "--jetty-home",
        type=click.Path(path_type=Path),
        default=None,
        help="Jetty installation to read the version from (default: $JETTY_HOME).",
    )(func)
    return click.option("--jetty-version", default=None, help="Jetty version, e.g. 9.4.57 or 12.")(
        func
    )


def write_options(func: F) -> F:
    func = click.option("--backup", is_flag=True, help="Keep the previous file as NAME.bak.")(func)
    return click.option("--dry-run", is_flag=True, help="Show a unified diff; change nothing.")(
        func
    )


def resolve_version(jetty_version: str | None, jetty_home: Path | None) -> JettyVersion | None:
    """--jetty-version, else the version of --jetty-home or $JETTY_HOME, else unknown (None)."""
    if jetty_version is not None and jetty_home:
        raise UsageError("give --jetty-version or --jetty-home, not both")
    home = jetty_home or (Path(os.environ["JETTY_HOME"]) if os.environ.get("JETTY_HOME") else None)
    from jettycfg.fsio import is_folder

    if home is not None and is_folder(home):  # an odd $JETTY_HOME beside --jetty-version: unused
        from jettycfg.jetty.base import JETTY_HOME_PATH

        JETTY_HOME_PATH.set(home)  # ${jetty.home} in the base's values, as start.jar reads it
    if jetty_version is not None:  # "" is a bad version, not "unknown"
        return JettyVersion.parse(jetty_version)
    return detect_version(home) if home is not None else None


def mask_line(text: str, also: frozenset[str] = frozenset()) -> str:
    """Hide the value of a password assignment inside one line of ini text or of a diff;
    ``also``: further (lower-case) keys that are secret, as a password refers to them."""
    prefix = text[:1] if text[:1] in ("+", "-", " ") and not text.startswith(("---", "+++")) else ""
    body = text[len(prefix) :]
    kind, key, _, value = classify(body.rstrip("\r\n"))
    secret = key is not None and (is_secret(key) or key.strip().lower() in also)
    if kind in (LineKind.PROPERTY, LineKind.SYSPROP) and key and value and secret:
        cut = body.rfind(value)
        return prefix + body[:cut] + MASK + body[cut + len(value) :]
    return text


def show_diff(change: FileChange, show_secrets: bool, also: frozenset[str] = frozenset()) -> None:
    from jettycfg.fsio import unified_diff

    diff = unified_diff(change)
    if not show_secrets:
        diff = "".join(mask_line(line, also) for line in diff.splitlines(keepends=True))
    click.echo(diff, nl=False)


def secret_keys_of(ws: Workspace) -> frozenset[str]:
    """Properties a password refers to, before or after the edit (unsetting a referenced
    property must not show its value in the diff)."""
    from jettycfg.jetty.base import secret_references

    found: set[str] = set()
    for config in (ws.original(), ws.effective()):
        found |= secret_references({key: prop.raw for key, prop in config.properties.items()})
    return frozenset(found)


def write_or_diff(
    changes: list[FileChange],
    *,
    dry_run: bool,
    backup: bool,
    show_secrets: bool = False,
    secret_keys: frozenset[str] = frozenset(),
    journal_dir: Path | None = None,
) -> list[FileChange]:
    """Print diffs (dry run) or write atomically; returns the changes that alter a file.
    ``secret_keys``: properties a password refers to (masked in diffs like passwords);
    ``journal_dir``: where a multi-file write keeps its journal (the base it belongs to)."""
    real = [c for c in changes if c.changed]
    if dry_run:
        for change in real:
            show_diff(change, show_secrets, secret_keys)
        return real
    from jettycfg.transaction import apply_changes

    for made in apply_changes(real, backup=backup, journal_dir=journal_dir):
        click.echo(f"backup: {made}")
    return real


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def read_secret(
    *,
    env: str | None,
    file: Path | None,
    prompt: str,
    confirm: bool = False,
    what: str,
    stdin: bool = True,
) -> str:
    """A secret from $VAR, a file (first line), stdin when piped, or a hidden prompt."""
    if env and file:
        raise UsageError(f"give the {what} by environment variable or file, not both")
    if env:
        value = os.environ.get(env)
        if value is None:
            raise PasswordError(
                f"environment variable {env} is not set (it should hold the {what})"
            )
        return value
    if file:
        from jettycfg import fsio

        try:
            text = fsio.read_limited(file, fsio.MAX_SECRET_BYTES).decode("utf-8")
        except fsio.InputFileError as exc:
            raise PasswordError(f"cannot read the {what}: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise PasswordError(f"cannot read the {what} from {file}") from exc
        return text.splitlines()[0] if text else ""
    if not sys.stdin.isatty():
        if not stdin:
            raise PasswordError(f"the {what} is needed: give it by option, -env VAR or -file F")
        data = sys.stdin.readline()
        if not data:
            raise PasswordError(f"no {what} on standard input")
        return data.rstrip("\r\n")
    value = click.prompt(prompt, hide_input=True, confirmation_prompt=confirm, show_default=False)
    return str(value)


def utf8_text(value: str, what: str) -> str:
    """``value``, refused when it holds bytes the locale could not decode (Python keeps them as
    lone surrogates): stores, OBF and the ini files take UTF-8 text."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PasswordError(
            f"the {what} is not valid UTF-8 text (use a UTF-8 locale, or a UTF-8 file "
            "with the -file option)"
        ) from None
    return value


def password_options(name: str, what: str) -> Callable[[F], F]:
    """keytool-style ``--NAME P``, ``--NAME-env VAR``, ``--NAME-file F`` options."""

    def decorate(func: F) -> F:
        func = click.option(
            f"--{name}-file", type=click.Path(path_type=Path), help=f"{what} from a file."
        )(func)
        func = click.option(f"--{name}-env", metavar="VAR", help=f"{what} from $VAR.")(func)
        return click.option(f"--{name}", metavar="P", help=f"{what} (visible to other users).")(
            func
        )

    return decorate


def get_password(
    value: str | None,
    env: str | None,
    file: Path | None,
    *,
    what: str,
    required: bool = True,
    confirm: bool = False,
) -> str | None:
    """Option, $VAR, file, else a hidden prompt on a terminal; None when optional and absent."""
    if value is not None:
        return utf8_text(value, what)
    if env or file:
        return utf8_text(read_secret(env=env, file=file, prompt=what, what=what), what)
    if sys.stdin.isatty():
        if not required:
            return None
        prompt = what[:1].upper() + what[1:]
        secret = read_secret(
            env=None, file=None, prompt=prompt, what=what, confirm=confirm, stdin=False
        )
        return utf8_text(secret, what)
    if required:
        raise PasswordError(f"the {what} is needed: give it by option, -env VAR or -file F")
    return None


def password_from(
    kw: dict[str, object], name: str, what: str, *, required: bool = True, confirm: bool = False
) -> str | None:
    """Resolve the three options :func:`password_options` added for ``name`` (taken out of
    ``kw``, the command's remaining keyword arguments)."""
    key = name.replace("-", "_")
    value, env, file = kw.pop(key, None), kw.pop(f"{key}_env", None), kw.pop(f"{key}_file", None)
    return get_password(
        value if isinstance(value, str) else None,
        env if isinstance(env, str) else None,
        file if isinstance(file, Path) else None,
        what=what,
        required=required,
        confirm=confirm,
    )


def has_password(kw: dict[str, object], name: str) -> bool:
    """Whether any of the three options of ``name`` was given."""
    key = name.replace("-", "_")
    return any(kw.get(k) for k in (key, f"{key}_env", f"{key}_file"))
