"""CPU time of processes and of the whole machine, read from Linux's /proc (0 elsewhere), so
a benchmark on a shared machine can say what its own processes used."""

from __future__ import annotations

import os
from pathlib import Path


def process_cpu(pid: int) -> float:
    """CPU seconds used so far by one process (Linux /proc; 0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_sessions(database: str = "") -> list[int]:
    """Process ids of the PostgreSQL sessions on this machine serving the benchmark database
    (or the database named ``database`` on its server), other than this process's own; none
    for SQLite or a server on another host."""
    from django.db import connection

    local = connection.settings_dict.get("HOST") in ("", None, "localhost", "127.0.0.1", "::1")
    if connection.vendor != "postgresql" or not local:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = coalesce(nullif(%s, ''), current_database())"
            " AND pid <> pg_backend_pid()",
            [database],
        )
        pids = [row[0] for row in cursor.fetchall()]
    ours = []
    for pid in pids:
        try:
            if Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"postgres"):
                ours.append(pid)
        except OSError:
            continue
    return ours


def sessions_seen(sessions: dict[int, float], database: str = "") -> None:
    """Record the CPU seconds of every database session of the benchmark database (or of
    ``database``) now."""
    for pid in database_sessions(database):
        sessions[pid] = max(sessions.get(pid, 0.0), process_cpu(pid))


def cpu_seconds(groups: set[int]) -> float:
    """CPU time used so far by every process in the process groups ``groups`` (Linux /proc;
    0 elsewhere): a worker and its pool process."""
    total = 0
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) in groups:  # pgrp; utime and stime follow
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU time of the whole machine so far, in clock ticks, from /proc/stat."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return 0.0, 0.0
    idle = values[3] + values[4]
    return float(sum(values) - idle), float(sum(values))
