"""``jettycfg password obfuscate|deobfuscate``: Jetty's OBF format."""

from __future__ import annotations

from pathlib import Path

import click

from jettycfg.cli.common import F, read_secret
from jettycfg.jetty import obf


def _secret_options(func: F) -> F:
    func = click.option(
        "--password-file",
        type=click.Path(path_type=Path),
        help="Read it from this file's first line.",
    )(func)
    return click.option(
        "--password-env", metavar="VAR", help="Read it from environment variable VAR."
    )(func)


@click.group()
def password() -> None:
    """Jetty OBF passwords (obfuscation, not protection: anyone can reverse them).

    The input comes from --password-env VAR, --password-file F, standard input when piped,
    or a hidden prompt - never from the command line itself.
    """


@password.command()
@_secret_options
def obfuscate(password_env: str | None, password_file: Path | None) -> int:
    """Print the OBF: form of a password, as Jetty's Password.obfuscate writes it."""
    secret = read_secret(
        env=password_env, file=password_file, prompt="Password", confirm=True, what="password"
    )
    click.echo(obf.obfuscate(secret))
    return 0


@password.command()
@_secret_options
def deobfuscate(password_env: str | None, password_file: Path | None) -> int:
    """Print the plain password of an OBF: value (prints a secret, on purpose)."""
    value = read_secret(env=password_env, file=password_file, prompt="OBF value", what="OBF value")
    click.echo(obf.deobfuscate(value.strip()))
    return 0
