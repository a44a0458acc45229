"""The rules of learning that pages, the API and the services all apply: how far a learner is
from a course's certificate, and how many attempts a quiz or lab has left.

Pure: plain values in, plain values out, no database. Reads (selectors) and writes (services)
both import them here, so a read never has to import a write.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

LESSON = "lesson"  # courses.models.ItemType values
QUIZ = "quiz"
LAB = "lab"
DEFAULT_REQUIRE = ("all_lessons", "all_quizzes", "all_labs")


class ItemLike(Protocol):
    @property
    def pk(self) -> int: ...

    @property
    def type(self) -> str: ...


class ProgressLike(Protocol):
    @property
    def completed_at(self) -> datetime | None: ...

    @property
    def passed(self) -> bool: ...

    @property
    def best_score(self) -> int | None: ...


@dataclass(frozen=True)
class Requirements:
    """A learner's standing against a course's certificate requirements."""

    lessons_done: int
    lessons_total: int
    quizzes_passed: int
    quizzes_total: int
    average_score: float | None
    min_average_score: int | None
    require: tuple[str, ...]
    labs_passed: int = 0
    labs_total: int = 0

    @property
    def met(self) -> bool:
        if "all_lessons" in self.require and self.lessons_done < self.lessons_total:
            return False
        if "all_quizzes" in self.require and self.quizzes_passed < self.quizzes_total:
            return False
        if "all_labs" in self.require and self.labs_passed < self.labs_total:
            return False
        if self.min_average_score is not None and self.quizzes_total:
            return (self.average_score or 0) >= self.min_average_score
        return True


def requirements_for(
    *,
    certificate: Mapping[str, Any] | None,
    progress: Mapping[int, ProgressLike],
    items: Iterable[ItemLike],
) -> Requirements:
    """How far a learner is from the certificate of a revision whose ``certificate`` settings
    are given, from their ``progress`` by item id on the revision's ``items``. A revision
    that names its requirements (even none: ``require: []``) is taken at its word; one that
    names none requires every lesson, quiz and lab. The average score is of quizzes only: a
    lab is passed or not."""
    items = list(items)
    lessons = [i for i in items if i.type == LESSON]
    quizzes = [i for i in items if i.type == QUIZ]
    labs = [i for i in items if i.type == LAB]
    scores = [(progress[q.pk].best_score or 0) if q.pk in progress else 0 for q in quizzes]
    config = certificate or {}
    require = config.get("require")
    return Requirements(
        lessons_done=sum(1 for i in lessons if i.pk in progress and progress[i.pk].completed_at),
        lessons_total=len(lessons),
        quizzes_passed=sum(1 for q in quizzes if q.pk in progress and progress[q.pk].passed),
        quizzes_total=len(quizzes),
        average_score=(sum(scores) / len(scores)) if scores else None,
        min_average_score=config.get("min_average_score"),
        require=DEFAULT_REQUIRE if require is None else tuple(require),
        labs_passed=sum(1 for lab in labs if lab.pk in progress and progress[lab.pk].passed),
        labs_total=len(labs),
    )


def certificate_offered(certificate: Mapping[str, Any] | None) -> bool:
    """Whether a revision with these certificate settings grants a certificate at all: only
    when course.yaml has a ``certificate:`` block that is not ``enabled: false``."""
    return bool(certificate and certificate.get("enabled"))


def attempts_left(*, max_attempts: int, used: int) -> int | None:
    """Attempts a quiz or lab still allows after ``used`` ones; None when it allows any number."""
    return max(0, max_attempts - used) if max_attempts else None
