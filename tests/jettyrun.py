"""Start a real Jetty 9.4 on 127.0.0.1 for a test and talk TLS to it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_jetty(home: Path, base: Path, port: int, timeout: float = 30) -> Iterator[Path]:
    """Run Jetty until the TLS connector listens on ``port``; yields the log file."""
    log = base / "jetty-test.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["java", "-jar", str(home / "start.jar"), f"jetty.home={home}", f"jetty.base={base}"],
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
            if b"Started ServerConnector" in log.read_bytes() and _listening(port):
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


def https_get(port: int, cert: Path | None = None, key: Path | None = None) -> str:
    """GET / over TLS; returns the HTTP status line, raises ssl.SSLError / OSError on rejection."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if cert is not None:
        ctx.load_cert_chain(cert, key)
    with (
        socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
        ctx.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        tls.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data = b""
        while b"\r\n" not in data:
            chunk = tls.recv(4096)
            if not chunk:
                break
            data += chunk
    if not data.startswith(b"HTTP/"):
        raise ConnectionError(f"no HTTP answer: {data[:60]!r}")
    return data.split(b"\r\n", 1)[0].decode()


def accepted(port: int, cert: Path | None = None, key: Path | None = None) -> bool:
    try:
        https_get(port, cert, key)
        return True
    except (ssl.SSLError, ConnectionError, OSError):
        return False
