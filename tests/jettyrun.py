"""Start a real Jetty (9.4 to 12.1) on 127.0.0.1 for a test and talk TLS to it."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from jettycfg.compat import sslmsg

# "Started ServerConnector@..." up to Jetty 12.0, "Started oejs.ServerConnector@..." on 12.1
_STARTED = re.compile(rb"Started (?:oejs\.)?ServerConnector")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_jetty(
    home: Path, base: Path, port: int, timeout: float = 30, java: str = "java"
) -> Iterator[Path]:
    """Run Jetty (on ``java``) until the TLS connector listens on ``port``; yields the log."""
    log = base / "jetty-test.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [java, "-jar", str(home / "start.jar"), f"jetty.home={home}", f"jetty.base={base}"],
            cwd=base,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"Jetty exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
            if _STARTED.search(log.read_bytes()) and _listening(port):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"Jetty did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        yield log
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def https_get(
    port: int, cert: Path | None = None, key: Path | None = None, tls12: bool = False
) -> str:
    return exchange(port, cert, key, tls12)[0]


def exchange(
    port: int,
    cert: Path | None = None,
    key: Path | None = None,
    tls12: bool = False,
    sni: str | None = "localhost",
) -> tuple[str, bool]:
    """GET / over TLS; returns the HTTP status line, raises ssl.SSLError / OSError on rejection.
    ``sni``: the server name sent (and the Host header); None sends none (Host: 127.0.0.1).

    The client sends whatever it is given (security level 0: MD5, RSA-512): deciding is the
    server's job here.
    """
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    if tls12:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    if cert is not None:
        ctx.load_cert_chain(cert, key)
    sent = []

    def watch(
        conn: object,
        direction: str,
        version: object,
        content_type: object,
        msg_type: object,
        data: bytes,
    ) -> None:
        # The client's Certificate message (type 11): an empty one is 7-8 bytes long. OpenSSL
        # withholds a certificate the server's signature_algorithms_cert rule out (MD5).
        if direction == "write" and msg_type == sslmsg.CERTIFICATE_MESSAGE:
            sent.append(len(data) > 12)

    sslmsg.set_msg_callback(ctx, watch)
    with (
        socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
        ctx.wrap_socket(raw, server_hostname=sni) as tls,
    ):
        host = (sni or "127.0.0.1").encode()
        tls.sendall(b"GET / HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n")
        data = b""
        while b"\r\n" not in data:
            chunk = tls.recv(4096)
            if not chunk:
                break
            data += chunk
    if not data.startswith(b"HTTP/"):
        raise ConnectionError(f"no HTTP answer: {data[:60]!r}")
    return data.split(b"\r\n", 1)[0].decode(), any(sent)


def accepted(
    port: int, cert: Path | None = None, key: Path | None = None, tls12: bool = False
) -> bool:
    """The server took the connection (and, when a certificate is given, that certificate)."""
    try:
        _, sent = exchange(port, cert, key, tls12)
    except (ssl.SSLError, ConnectionError, OSError):
        return False
    # Connected without offering the certificate (OpenSSL withholds an MD5-signed one) is not
    # the server accepting it.
    return cert is None or sent


def init_base(
    base: Path,
    port: int,
    *,
    mode: str,
    password_env: str,
    truststore: str = "etc/truststore.p12",
    version: str = "9.4.57",
    layout: str | None = None,
) -> None:
    """`jettycfg init` a base bound to 127.0.0.1:port with etc/keystore.p12 and a truststore."""
    from jettycfg.cli import run

    assert (
        run(
            [
                "init",
                "--base",
                str(base),
                "--jetty-version",
                version,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--keystore",
                "etc/keystore.p12",
                "--truststore",
                truststore,
                "--keystore-password-env",
                password_env,
                "--truststore-password-env",
                password_env,
                "--client-auth",
                mode,
                "--force",
                *(["--layout", layout] if layout else []),
            ]
        )
        == 0
    )


def tls_base(
    tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
    env: str,
    password: str,
    *,
    mode: str = "need",
    layout: str | None = None,
) -> tuple[Path, int]:
    """A fresh PKI's stores (``password``, also in ``$env``) in ``tmp/base/etc`` and a base
    made by `jettycfg init` on a free port: the fixture of the edit and store tests."""
    from tests.pki import make_pki, write_stores

    folder, port = tmp / "base", free_port()
    write_stores(make_pki(), folder / "etc", password.encode())
    monkeypatch.setenv(env, password)
    init_base(folder, port, mode=mode, password_env=env, layout=layout)
    return folder, port


def serves_tls(port: int) -> bool:
    """Whether the server on ``port`` completes a TLS 1.3 handshake (no verification; TLS 1.3,
    so a server that requires a client certificate still completes it on the client's side)."""
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    try:
        with (
            socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
            ctx.wrap_socket(raw) as tls,
        ):
            return tls.getpeercert(binary_form=True) is not None
    except (ssl.SSLError, ConnectionError):
        return False
