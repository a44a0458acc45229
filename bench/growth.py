"""Data growth: every learner page with a handful of learners and with 120,000, side by side.

The benchmark database (the courses and the pages stage's learners) is copied, and
`bench.population` adds 120,000 learners, ~1,000,000 progress rows, quiz attempts and
sessions to the copy; a second gunicorn serves the copy. Each page is then measured on both,
as the pages stage measures pages (bench/pages.py: rounds between baseline runs, here 5),
taking turns round by round: the two figures of a page are seconds apart, so the machine's drift
between them, which on a shared machine moved fast pages by 20-30% over a few minutes, counts
the same for both. A page passes when its ratio to the baseline with the data is at least
0.9× its ratio without: no page more than 10% slower for the data alone.
"""

from __future__ import annotations

from pathlib import Path

from bench import coursegen, env, load, pages, population
from bench.report import Row, Target, heading
from bench.server import Server, gunicorn

TARGET = Target("≥", 0.9)
# More rounds than the pages stage's 3: a 10% criterion between two servers needs them (with
# 3 rounds of 2 s, pages that read no learner's row differed by up to 13%).
ROUNDS = 5


def run(server: Server, work: Path) -> list[Row]:
    from django.db import connection

    heading(
        f"Data growth: the learner pages without and with {population.LEARNERS:,} learners "
        f"and ~1,000,000 progress rows, side by side ({load.tool()}, as the pages stage)"
    )
    if connection.vendor != "postgresql":
        print("skipped: the population is generated on PostgreSQL (set DATABASE_URL)")
        return [Row("growth", "120,000 learners", "skipped: needs PostgreSQL")]
    learners = pages.LAST.get("learners")
    if learners is None:
        from courses.models import Course
        from lms.models import User

        if User.objects.filter(email__endswith="@bench.example.org").exists():
            raise RuntimeError("the pages stage did not finish: no learners to measure with")
        if not Course.objects.filter(slug="demo").exists():
            pages.small_course_import(work)
        learners = pages.learners_create()
    assert isinstance(learners, pages.Learners)
    found = pages.pages(learners, quiz_api=False)
    with env.database_copy("grown") as (grown, url):
        with env.connected_to(grown):
            made = population.population_create(course_slug=coursegen.SLUG)
        print(f"generated {made.line()} in a copy of the database ({grown})")
        with gunicorn(work, database_url=url, database=grown) as grown_server:
            before, after = pages.measure_side_by_side(
                [server, grown_server], work, found, rounds=ROUNDS
            )
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
