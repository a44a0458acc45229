"""Data growth: every learner page with a handful of learners, then with 120,000.

The same pages as the pages stage (bench/pages.py), measured the same way against the same
baseline, before and after `bench.population` adds 120,000 learners, ~1,000,000 progress
rows, quiz attempts and sessions; the gunicorn processes stay up throughout, as a site's do
while its tables grow. When the pages stage ran first in this run, its measurements are the
"before". A page passes when its ratio to the baseline after is at least 0.9× its ratio
before: no page more than 10% slower for the data alone.
"""

from __future__ import annotations

from pathlib import Path

from bench import coursegen, load, pages, population
from bench.report import Row, Target, heading
from bench.server import Server

TARGET = Target("≥", 0.9)


def run(server: Server, work: Path) -> list[Row]:
    from django.db import connection

    heading(
        f"Data growth: the learner pages before and after {population.LEARNERS:,} learners "
        f"and ~1,000,000 progress rows ({load.tool()}, as the pages stage)"
    )
    if connection.vendor != "postgresql":
        print("skipped: the population is generated on PostgreSQL (set DATABASE_URL)")
        return [Row("growth", "120,000 learners", "skipped: needs PostgreSQL")]
    learners = pages.LAST.get("learners")
    before = pages.LAST.get("measured")
    if learners is None or before is None:
        from courses.models import Course
        from lms.models import User

        if User.objects.filter(email__endswith="@bench.example.org").exists():
            raise RuntimeError("the pages stage did not finish: no pages to compare with")
        if not Course.objects.filter(slug="demo").exists():
            pages.small_course_import(work)
        learners = pages.learners_create()
        print("before: a handful of learners")
        before = pages.measure(server, work, pages.pages(learners, quiz_api=False))
    else:
        print("before: as the pages stage measured them in this run")
    assert isinstance(learners, pages.Learners) and isinstance(before, pages.Measured)
    found = pages.pages(learners, quiz_api=False)
    made = population.population_create(course_slug=coursegen.SLUG)
    print(f"generated {made.line()}")
    print("after:")
    after = pages.measure(server, work, found)
    rows = []
    for name in found:
        was, now = before.ratios.get(name), after.ratios[name]
        if was is None:
            continue
        # The same comparison in CPU time per request (gunicorn and PostgreSQL), each page's
        # against the baseline's in its own run: steadier than throughput on a busy machine.
        cpu_was = _cpu_share(before, name)
        cpu_now = _cpu_share(after, name)
        cpu = f"; CPU {cpu_was:.2f}× → {cpu_now:.2f}×" if cpu_was and cpu_now else ""
        row = Row("growth", name, f"{was:.2f}× → {now:.2f}×{cpu}", now / was,
                  TARGET if found[name].target else None)  # fmt: skip
        print(f"{name:<30} {was:5.2f}× → {now:5.2f}×: {row.ratio:5.2f}× as fast{cpu}  "
              f"{row.target_line()}")  # fmt: skip
        rows.append(row)
    return rows


def _cpu_share(measured: pages.Measured, name: str) -> float:
    """The baseline's CPU per request over the page's (as a ratio of speeds)."""
    import statistics

    page = measured.cpu_ms.get(name)
    if not page or not measured.baseline_cpu_ms:
        return 0.0
    return statistics.median(measured.baseline_cpu_ms) / page
