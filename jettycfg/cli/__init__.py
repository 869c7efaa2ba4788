"""The command line: click commands only, one error handler owning the exit codes.

Subcommands are imported on first use so that ``jettycfg --version`` and simple commands start
fast (cryptography and jinja2 are imported only by the commands that need them).
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib
import sys
import warnings
from collections.abc import Iterator
from typing import Any

import click

from jettycfg import __version__

EXIT_CODES = """\b
Exit codes:
  0  success, nothing at or above --fail-on
  1  findings at or above --fail-on; 'ini get': key not set
  2  usage error or unreadable input (bad file, wrong password)
  3  internal error (a bug: please report it, rerun with --debug)"""


_LAZY = {
    "ini": ("jettycfg.cli.ini_cmd", "ini", "Read and edit Jetty start ini files losslessly."),
    "client-auth": (
        "jettycfg.cli.clientauth_cmd",
        "client_auth",
        "Switch client-certificate authentication: need, want or off.",
    ),
    "init": ("jettycfg.cli.init_cmd", "init", "Create a TLS configuration from templates."),
    "password": ("jettycfg.cli.password_cmd", "password", "Jetty OBF passwords."),
    "store": ("jettycfg.cli.store_cmd", "store", "Manage JKS and PKCS#12 key- and truststores."),
    "lint": ("jettycfg.cli.lint_cmd", "lint", "Predict what Jetty does with client certificates."),
    "rules": ("jettycfg.cli.lint_cmd", "rules", "List the lint rules or explain one."),
    "probe": ("jettycfg.cli.probe_cmd", "probe", "Ask a running Jetty what it does with certs."),
    "client": (
        "jettycfg.cli.client_cmd",
        "client",
        "Client certificates for JOC accounts.",
    ),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when they are run."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *_LAZY])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _LAZY:
            module, attr, _ = _LAZY[cmd_name]
            command = getattr(importlib.import_module(module), attr)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, _LAZY[name][2]) for name in sorted(_LAZY)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=LazyGroup, epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, prog_name="jettycfg")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def cli(debug: bool) -> None:
    """Configure and lint mutual-TLS (client certificate) setups of Jetty / JS7 JOC Cockpit."""


def _fail(message: str, code: int) -> int:
    from jettycfg.errors import printable

    click.echo(f"jettycfg: error: {printable(message)}", err=True)
    return code


def run(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (never raises)."""
    from jettycfg.errors import JettycfgError

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        with warnings.catch_warnings():
            # Java reads certificates with a non-positive serial (some in Debian's cacerts);
            # cryptography only warns about them, which says nothing to a user of the tool.
            warnings.filterwarnings("ignore", message="Parsed a serial number which wasn't")
            # nor about a name attribute's length (an empty CN, a 3-letter C): lint's findings
            # say what matters about them (JC460, ...)
            warnings.filterwarnings("ignore", message="Attribute's length must be")
            warnings.filterwarnings("ignore", message="Country name must be")
            with _ctrl_c_ours():  # in a context of its own: what one run sets goes with it
                result: Any = contextvars.copy_context().run(
                    cli.main, args=args, prog_name="jettycfg", standalone_mode=False
                )
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        message = exc.format_message().splitlines()[0]
        if "extra argument" in message:  # click quotes the argument, which may be a secret
            message = "unexpected extra argument(s) (not repeated here: they may hold a secret)"
        return _fail(message, 2)
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # click turned Ctrl-C into Abort
            return _fail("interrupted", 130)
        return _fail("aborted", 2)
    except click.ClickException as exc:
        return _fail(exc.format_message(), exc.exit_code if exc.exit_code != 1 else 2)
    except JettycfgError as exc:
        return _fail(str(exc), 2)
    except OSError as exc:  # the environment (permissions, a full or read-only disk), not a bug
        return _fail(f"{exc.filename or 'a file'}: {exc.strerror or exc}", 2)
    except UnicodeEncodeError as exc:
        if exc.reason != "surrogates not allowed":
            return _internal(exc, args)
        # bytes the locale could not decode, kept by Python as lone surrogates: bad input
        return _fail("an argument, variable or input holds bytes that are not UTF-8 text", 2)
    except (KeyboardInterrupt, _Interrupted):
        return _fail("interrupted", 130)
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: short message, no secrets, traceback only on request
        return _internal(exc, args)
    return result if isinstance(result, int) else 0


class _Interrupted(BaseException):
    """Ctrl-C, raised past click (which would print a blank line and call it 'Aborted')."""


@contextlib.contextmanager
def _ctrl_c_ours() -> Iterator[None]:
    """SIGINT raises :class:`_Interrupted` while a command runs (main thread only)."""
    import signal
    import threading

    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):  # another thread, or SIGINT ignored / handled by whoever runs us: left alone
        yield
        return

    def interrupted(signum: int, frame: object) -> None:
        raise _Interrupted

    old = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def _internal(exc: BaseException, args: list[str]) -> int:
    import traceback

    if "--debug" in args:
        traceback.print_exception(exc)
    where = traceback.extract_tb(exc.__traceback__)[-1]
    return _fail(
        f"internal error {type(exc).__name__} at {where.name}:{where.lineno}; "
        "rerun with --debug and report it (README: Reporting bugs)",
        3,
    )


def main() -> None:
    sys.exit(run())
