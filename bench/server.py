"""gunicorn with the production settings on a free loopback port, and a small HTTP client."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
WORKERS = 2
BASE_DIR = Path(__file__).resolve().parent.parent
READY_PATH = "/en/about/"
START_TIMEOUT = 30.0


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes  # as sent: still compressed when Content-Encoding says so


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fetch(
    port: int,
    path: str,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 10.0,
) -> Response:
    """One request, no redirects followed, the body exactly as it came over the wire."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        return Response(
            status=response.status,
            headers={name.lower(): value for name, value in response.getheaders()},
            body=response.read(),
        )
    finally:
        connection.close()


@dataclass(frozen=True)
class Server:
    port: int
    log: Path
    pid: int = 0  # gunicorn's master: its process group holds the workers (0: unknown)
    database: str = ""  # the PostgreSQL database it serves, when not the benchmark's own

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # the master stops its workers gracefully
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # its own process group, started below
        process.wait(timeout=5)


def _wait_ready(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}):\n{log.read_text()}")
        try:
            if fetch(port, READY_PATH, timeout=2).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer in {START_TIMEOUT:.0f} s:\n{log.read_text()}")


@contextmanager
def gunicorn(root: Path, *, database_url: str = "", database: str = "") -> Iterator[Server]:
    """gunicorn (sync workers) serving lms.wsgi with this process's environment (with
    ``database_url``, the database ``database`` there instead); stopped on exit however the
    block ends."""
    port = free_port()
    log = root / (f"gunicorn-{database}.log" if database else "gunicorn.log")
    environment = {**os.environ, **({"DATABASE_URL": database_url} if database_url else {})}
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "lms.wsgi:application",
        "--bind", f"{HOST}:{port}",
        "--workers", str(WORKERS),
        "--worker-class", "sync",
        "--log-level", "warning",
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_ready(process, port, log)
        yield Server(port=port, log=log, pid=process.pid, database=database)
    finally:
        _stop(process)
