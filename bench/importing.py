"""Import throughput: a first import, a re-import of the same commit, and of a one-lesson edit.

The course (100 lessons × ky, ru, en and a quiz by default) is generated into a real Git
repository and imported with the same service the `import_course` command calls.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from bench import coursegen
from bench.report import Row, Target, heading

LESSONS = 100
CHANGED_LESSON = 50
SAME_COMMIT_TARGET = Target("<", 0.10)


@dataclass(frozen=True)
class Timed:
    seconds: float
    status: str
    commit: str


class ImportFailed(RuntimeError):
    pass


def import_once(location: str) -> Timed:
    """Import the repository at ``location`` (HEAD) and time it, as `import_course` would."""
    from courses.services.publishing import import_run_create, import_run_execute

    started = time.perf_counter()
    run = import_run_create(location=location)
    outcome = import_run_execute(run=run)
    seconds = time.perf_counter() - started
    if not outcome.ok:
        problems = "\n".join(d.format() for d in outcome.diagnostics if d.is_error)
        raise ImportFailed(f"import of {location} failed ({run.status}):\n{problems}")
    return Timed(seconds=seconds, status=str(run.status), commit=run.commit[:12])


def run(root: Path) -> list[Row]:
    heading(f"Import: {LESSONS} lessons × {len(coursegen.LANGUAGES)} languages + a quiz")
    repo = coursegen.course_repo_create(root / "course-repo", lessons=LESSONS)
    files = LESSONS * len(coursegen.LANGUAGES)
    print(
        f"generated {files} lesson files, {coursegen.words_per_lesson(LESSONS):.0f} words "
        f"each on average, in a Git repository at {repo.path}"
    )
    first = import_once(str(repo.path))
    same = import_once(str(repo.path))
    repo.commit(coursegen.lesson_edit(CHANGED_LESSON, revision=1), message="Edit one lesson")
    edited = import_once(str(repo.path))

    def line(label: str, timed: Timed) -> str:
        return (
            f"{label:<28} {timed.seconds:7.2f} s  {LESSONS / timed.seconds:8.1f} lessons/s  "
            f"{timed.seconds / first.seconds:5.2f}× first  [{timed.status}, {timed.commit}]"
        )

    print(line("first import", first))
    print(line("same commit again", same))
    print(line("one lesson changed", edited))
    if same.status != "unchanged":
        print(f"note: the same-commit re-import was {same.status}, not unchanged")
    rows = [
        Row("import", "first import", f"{first.seconds:.2f} s, {LESSONS / first.seconds:.0f} l/s"),
        Row("import", "same commit re-import", f"{same.seconds:.2f} s",
            ratio=same.seconds / first.seconds, target=SAME_COMMIT_TARGET),
        Row("import", "one lesson changed", f"{edited.seconds:.2f} s",
            ratio=edited.seconds / first.seconds),
    ]  # fmt: skip
    print(rows[1].target_line())
    return rows
