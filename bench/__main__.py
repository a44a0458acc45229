"""`python -m bench [STAGE ...]`: import throughput, page throughput, page weight, Lighthouse, the
cohort dashboard and certificate issuing, then a summary. Naming stages (import, pages, weight,
lighthouse, cohorts, certificates) runs only those; pages, weight, lighthouse and cohorts need
the import stage's courses, so they bring it along.

Exit status 0 whatever the numbers (targets are reported, not enforced); 1 if a benchmark
could not run. SIGTERM and Ctrl-C still remove the database, the files and gunicorn.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback
from collections.abc import Callable

from bench import (
    certificates,
    cohorts,
    growth,
    importing,
    lighthouse,
    load,
    mechanisms,
    pages,
    weight,
)
from bench.env import bench_environment
from bench.report import Row, print_summary
from bench.server import gunicorn


def _stage(name: str, benchmark: Callable[[], list[Row]]) -> list[Row]:
    try:
        return benchmark()
    except Exception as error:
        traceback.print_exc()
        return [Row(name, "could not run", f"{type(error).__name__}: {error}"[:60])]


def _load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


STAGES = (
    "import", "pages", "weight", "lighthouse", "cohorts", "growth", "certificates", "mechanisms",
)  # fmt: skip


# Stages measured against gunicorn, on the import stage's courses.
SERVED = {"pages", "weight", "lighthouse", "cohorts", "growth"}


def main(argv: list[str]) -> int:
    unknown = sorted(set(argv) - set(STAGES))
    if unknown:
        print(f"unknown stage {', '.join(unknown)}; stages: {', '.join(STAGES)}", file=sys.stderr)
        return 2
    wanted = set(argv or STAGES)
    if wanted & SERVED:
        wanted.add("import")
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    started = time.monotonic()
    print(f"Bilim benchmarks; {_load_average()}; load generator: {load.tool()}")
    with bench_environment() as env:
        from django.core.management import call_command

        print(f"database: {env.database} (temporary); files under {env.root}")
        rows: list[Row] = []
        if "import" in wanted:
            rows += _stage("import", lambda: importing.run(env.root))
        if wanted & SERVED and rows[0].measure != "could not run":
            call_command("collectstatic", interactive=False, verbosity=0)
            with gunicorn(env.root) as server:
                if "pages" in wanted:
                    rows += _stage("pages", lambda: pages.run(server, env.root))
                if "weight" in wanted:
                    rows += _stage("weight", lambda: weight.run(server, env.root))
                if "lighthouse" in wanted:
                    rows += _stage("lighthouse", lambda: lighthouse.run(server, env.root))
                if "cohorts" in wanted:
                    rows += _stage("cohorts", lambda: cohorts.run(server, env.root))
                if "growth" in wanted:  # last: it adds 120,000 learners to the database
                    rows += _stage("growth", lambda: growth.run(server, env.root))
        if "certificates" in wanted:
            rows += _stage("certificates", lambda: certificates.run(env.root))
        if "mechanisms" in wanted:  # each mechanism against the standard way (bench/mechanisms.py)
            rows += _stage("mechanisms", lambda: mechanisms.run(env.root))
    print_summary(rows)
    print(f"\n{time.monotonic() - started:.0f} s in all; {_load_average()}")
    print("Runs of the same page vary by up to ±30% on a busy machine: read small "
          "differences between ratios as noise.")  # fmt: skip
    return 1 if any(row.measure == "could not run" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
