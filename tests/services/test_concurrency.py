"""Double clicks and parallel requests never duplicate progress or exceed max_attempts.

The parallel tests run on PostgreSQL with real threads, each with its own database
connection, released together by a barrier; they commit for real (transaction=True).
"""

import threading
from collections.abc import Callable

import pytest
from django.db import IntegrityError, connections, transaction

from courses.models import (
    Course,
    Enrollment,
    ImportRun,
    Item,
    ItemProgress,
    QuizAttempt,
    RevisionItem,
)
from courses.services.learning import (
    NoAttemptsLeft,
    enrollment_create,
    lesson_complete,
    quiz_attempt_submit,
)
from courses.services.publishing import import_run_create, import_run_execute
from tests.content.helpers import ALL_RIGHT
from tests.factories import UserFactory
from tests.gitrepo import make_repo

THREADS = 8
parallel = pytest.mark.django_db(transaction=True)


def in_parallel(work: Callable[[], object], threads: int = THREADS) -> list[object]:
    """Run ``work`` in ``threads`` threads at once; each result or exception, in any order."""
    barrier = threading.Barrier(threads)
    outcomes: list[object] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            outcome = work()
        except Exception as exc:  # reported to the test
            outcome = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert len(outcomes) == threads, "a thread did not finish"
    return outcomes


@pytest.fixture
def course(tmp_path) -> Course:
    repo = make_repo(tmp_path / "repo")
    run = import_run_create(location=str(repo.path))
    import_run_execute(run=run)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED, run.diagnostics
    return Course.objects.get(slug="demo")


@parallel
def test_parallel_enrolments_enrol_once(postgres, course):
    user = UserFactory()
    outcomes = in_parallel(lambda: enrollment_create(user=user, course=course))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(created for _enrollment, created in outcomes) == [False] * 7 + [True]
    assert len({enrollment.pk for enrollment, _created in outcomes}) == 1
    assert Enrollment.objects.filter(user=user).count() == 1


@parallel
def test_parallel_lesson_completions_keep_one_progress_record(postgres, course):
    enrollment, _ = enrollment_create(user=UserFactory(), course=course)
    lesson = Item.objects.get(course=course, key="what-is")
    outcomes = in_parallel(lambda: lesson_complete(enrollment=enrollment, item=lesson))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert ItemProgress.objects.filter(enrollment=enrollment, item=lesson).count() == 1
    assert len({progress.pk for progress in outcomes}) == 1
    stored = ItemProgress.objects.get(enrollment=enrollment, item=lesson)
    assert stored.completed_at is not None


@parallel
def test_a_first_visit_clicked_many_times_enrols_and_completes_once(postgres, course):
    user = UserFactory()
    lesson = Item.objects.get(course=course, key="what-is")

    def click() -> ItemProgress:
        enrollment, _ = enrollment_create(user=user, course=course)
        return lesson_complete(enrollment=enrollment, item=lesson)

    outcomes = in_parallel(click)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert Enrollment.objects.filter(user=user).count() == 1
    assert ItemProgress.objects.filter(enrollment__user=user).count() == 1


@parallel
def test_parallel_quiz_submissions_never_exceed_max_attempts(postgres, course):
    enrollment, _ = enrollment_create(user=UserFactory(), course=course)
    quiz = RevisionItem.objects.select_related("item").get(
        revision=course.live_revision, item__key="check"
    )
    assert quiz.quiz["max_attempts"] == 3

    def submit():
        return quiz_attempt_submit(
            enrollment=enrollment, revision_item=quiz, answers=ALL_RIGHT, language="en"
        )

    outcomes = in_parallel(submit)
    refused = [o for o in outcomes if isinstance(o, NoAttemptsLeft)]
    accepted = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(refused) == THREADS - 3, outcomes
    assert len(accepted) == 3, outcomes
    attempts = QuizAttempt.objects.filter(enrollment=enrollment)
    assert sorted(attempts.values_list("number", flat=True)) == [1, 2, 3]
    progress = ItemProgress.objects.get(enrollment=enrollment, item=quiz.item)
    assert (progress.attempt_count, progress.best_score, progress.passed) == (3, 100, True)


@parallel
def test_parallel_submissions_of_different_learners_all_count(postgres, course):
    """Each learner is limited on their own: 8 learners submitting at once all succeed."""
    quiz = RevisionItem.objects.select_related("item").get(
        revision=course.live_revision, item__key="check"
    )
    enrollments = iter(
        [enrollment_create(user=UserFactory(), course=course)[0] for _ in range(THREADS)]
    )
    lock = threading.Lock()

    def submit():
        with lock:
            enrollment = next(enrollments)
        return quiz_attempt_submit(
            enrollment=enrollment, revision_item=quiz, answers=ALL_RIGHT, language="en"
        )

    outcomes = in_parallel(submit)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert QuizAttempt.objects.count() == THREADS
    assert set(QuizAttempt.objects.values_list("number", flat=True)) == {1}


@pytest.mark.django_db
def test_the_database_refuses_an_attempt_over_the_limit_or_a_duplicate_number(course):
    enrollment, _ = enrollment_create(user=UserFactory(), course=course)
    quiz = Item.objects.get(course=course, key="check")

    def attempt(number: int) -> QuizAttempt:
        return QuizAttempt.objects.create(
            enrollment=enrollment, item=quiz, number=number, max_attempts=3, score=0, passed=False
        )

    attempt(1)
    for number in (1, 4, 0):
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt(number)
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemProgress.objects.create(enrollment=enrollment, item=quiz, best_score=101)
    ItemProgress.objects.create(enrollment=enrollment, item=quiz)
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemProgress.objects.create(enrollment=enrollment, item=quiz)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(user=enrollment.user, course=course)
