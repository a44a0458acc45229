"""Load on loopback for a fixed time: wrk when installed, else a threaded Python client.

A `Load` may rotate one header through a list of values (one learner's API token per
request), so a per-learner rate limit is spread over many learners.
"""

from __future__ import annotations

import http.client
import itertools
import json
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.server import HOST

CONNECTIONS = 8
THREADS = 2
WARMUP = 1.0
DURATION = 5.0


@dataclass(frozen=True)
class Load:
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    rotate: tuple[str, tuple[str, ...]] | None = None  # (header name, values)


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    errors: int  # non-2xx/3xx responses and socket errors
    p50_ms: float | None
    p99_ms: float | None

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def tool() -> str:
    return "wrk" if shutil.which("wrk") else "python"


def run(load: Load, port: int, *, seconds: float, work: Path) -> Result:
    if shutil.which("wrk"):
        return _wrk(load, port, seconds=seconds, work=work)
    return _threaded(load, port, seconds=seconds)


def _lua(load: Load) -> str:
    """A wrk script: method, headers, body, and the rotated header (each thread takes every
    THREADS-th value, so no two threads share one)."""
    lines = [f"wrk.method = {json.dumps(load.method)}"]
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in load.headers.items()]
    if load.body is not None:
        lines.append(f"wrk.body = {json.dumps(load.body.decode())}")
    if load.rotate:
        name, values = load.rotate
        lines += [
            "local threads = 0",
            "function setup(thread) thread:set('id', threads); threads = threads + 1 end",
            "values = {" + ", ".join(json.dumps(v) for v in values) + "}",
            "counter = 0",
            "function request()",
            f"  local i = (counter * {THREADS} + id) % #values + 1",
            "  counter = counter + 1",
            f"  wrk.headers[{json.dumps(name)}] = values[i]",
            "  return wrk.format()",
            "end",
        ]
    return "\n".join(lines) + "\n"


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _wrk(load: Load, port: int, *, seconds: float, work: Path) -> Result:
    script = work / "load.lua"
    script.write_text(_lua(load), encoding="utf-8")
    command = [
        "wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--latency",
        "-s", str(script), f"http://{HOST}:{port}{load.path}",
    ]  # fmt: skip
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", output)
    if total is None:
        raise RuntimeError(f"cannot read wrk's output:\n{output}")
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                              r"timeout (\d+)", output)  # fmt: skip
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    return Result(
        requests=int(total.group(1)),
        seconds=_milliseconds(total.group(2) + total.group(3)) / 1000,
        errors=errors,
        p50_ms=_milliseconds(p50.group(1)) if p50 else None,
        p99_ms=_milliseconds(p99.group(1)) if p99 else None,
    )


def _threaded(load: Load, port: int, *, seconds: float) -> Result:
    """CONNECTIONS threads, one request per connection (gunicorn's sync workers close it)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    values = itertools.cycle(load.rotate[1]) if load.rotate else None
    deadline = time.monotonic() + seconds

    def worker() -> None:
        nonlocal errors
        while time.monotonic() < deadline:
            headers = dict(load.headers)
            if load.rotate and values is not None:
                with lock:
                    headers[load.rotate[0]] = next(values)
            started = time.perf_counter()
            ok = False
            try:
                connection = http.client.HTTPConnection(HOST, port, timeout=10)
                connection.request(load.method, load.path, body=load.body, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                ok = response.status < 400
            except OSError:
                pass
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                errors += 0 if ok else 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def percentile(p: float) -> float | None:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else None

    return Result(len(latencies), elapsed, errors, percentile(0.50), percentile(0.99))


def measure(
    load: Load,
    port: int,
    *,
    work: Path,
    warmup: Load | None = None,
    seconds: float = DURATION,
) -> Result:
    """A warm-up run (``warmup``, else the same load), then the measured run."""
    run(warmup or load, port, seconds=WARMUP, work=work)
    return run(load, port, seconds=seconds, work=work)
