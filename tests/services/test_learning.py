"""A learner's journey through the services: enrol, complete lessons, take quizzes, finish.

The course comes from a real Git repository (tests/gitrepo.py), imported the way authors
publish: the demo course has lessons "what-is" and "hashes" and the quiz "check" (five
questions, pass mark 60, three attempts); its certificate needs every lesson, every quiz
and an average best quiz score of at least 75.
"""

import pytest

from courses.models import (
    Course,
    Enrollment,
    Item,
    ItemProgress,
    QuizAttempt,
    RevisionItem,
)
from courses.selectors.catalog import catalog
from courses.selectors.dashboard import dashboard
from courses.selectors.learning import course_view
from courses.services.learning import (
    NoAttemptsLeft,
    enrollment_check_completion,
    enrollment_create,
    lesson_complete,
    quiz_attempt_submit,
)
from courses.signals import course_completed
from tests.conftest import imported_for_module, publish
from tests.content.helpers import ALL_RIGHT, COURSE_DIR, COURSE_YAML, quiz_yaml
from tests.factories import UserFactory
from tests.gitrepo import make_repo

pytestmark = pytest.mark.django_db

FOUR_RIGHT = {**ALL_RIGHT, "term": "password"}  # 80
THREE_RIGHT = {**FOUR_RIGHT, "sha-length": "65"}  # 60: passes the quiz, not the average
ONE_RIGHT = {"block-stores": "prev-hash"}  # 20


@pytest.fixture(scope="module")
def demo_repo(tmp_path_factory):
    return make_repo(tmp_path_factory.mktemp("learning") / "repo")


@pytest.fixture(scope="module")
def imported(demo_repo, django_db_setup, django_db_blocker):
    """The demo course, imported and committed once for the module."""
    with imported_for_module(demo_repo.path, django_db_blocker):
        yield


@pytest.fixture
def course(imported) -> Course:
    return Course.objects.get(slug="demo")


@pytest.fixture
def enrollment(course) -> Enrollment:
    return enrollment_create(user=UserFactory(), course=course)[0]


@pytest.fixture
def completions():
    """Every `course_completed` signal sent during the test."""
    sent = []

    def receiver(sender, enrollment, **kwargs):
        sent.append(enrollment.pk)

    course_completed.connect(receiver)
    yield sent
    course_completed.disconnect(receiver)


def item(course: Course, key: str) -> Item:
    return Item.objects.get(course=course, key=key)


def live_quiz(course: Course, key: str = "check") -> RevisionItem:
    course.refresh_from_db()
    return RevisionItem.objects.select_related("item").get(
        revision=course.live_revision_id, item__key=key
    )


def submit(enrollment: Enrollment, answers: dict, language: str = "en"):
    return quiz_attempt_submit(
        enrollment=enrollment,
        revision_item=live_quiz(enrollment.course),
        answers=answers,
        language=language,
    )


def test_enrolling_twice_enrols_once(course):
    user = UserFactory()
    first, created = enrollment_create(user=user, course=course)
    again, created_again = enrollment_create(user=user, course=course)
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert Enrollment.objects.filter(user=user).count() == 1


def test_completing_a_lesson_twice_keeps_one_record_and_the_first_time(enrollment):
    lesson = item(enrollment.course, "what-is")
    first = lesson_complete(enrollment=enrollment, item=lesson)
    again = lesson_complete(enrollment=enrollment, item=lesson)
    assert first.pk == again.pk
    assert ItemProgress.objects.filter(enrollment=enrollment).count() == 1
    assert ItemProgress.objects.get(pk=first.pk).completed_at == first.completed_at
    enrollment.refresh_from_db()
    assert enrollment.last_item == lesson
    assert enrollment.last_activity_at is not None


def test_only_a_lesson_of_the_enrolled_course_can_be_completed(enrollment, tmp_path):
    with pytest.raises(ValueError):
        lesson_complete(enrollment=enrollment, item=item(enrollment.course, "check"))
    other = Course.objects.create(slug="other")
    stranger = Item.objects.create(course=other, key="what-is", type="lesson")
    with pytest.raises(ValueError):
        lesson_complete(enrollment=enrollment, item=stranger)
    assert not ItemProgress.objects.exists()


def test_quiz_attempt_is_graded_on_the_server_and_counted(enrollment):
    outcome = submit(enrollment, THREE_RIGHT)
    assert (outcome.grade.score, outcome.grade.passed) == (60, True)
    assert outcome.attempts_left == 2
    attempt = outcome.attempt
    assert (attempt.number, attempt.max_attempts, attempt.score) == (1, 3, 60)
    assert attempt.revision_id == enrollment.course.live_revision_id
    assert attempt.results["sha-length"] == {"correct": False, "earned": 0}
    assert attempt.results["block-stores"] == {"correct": True, "earned": 1}
    progress = ItemProgress.objects.get(enrollment=enrollment, item=attempt.item)
    assert (progress.attempt_count, progress.best_score, progress.passed) == (1, 60, True)
    assert progress.completed_at is not None


def test_only_the_quizs_own_questions_are_stored_as_answers(enrollment):
    attempt = submit(enrollment, {**ONE_RIGHT, "score": 100, "x" * 50: "y"}).attempt
    assert set(attempt.answers) == set(ALL_RIGHT)  # every question, and nothing else


def test_best_score_is_kept_and_a_pass_is_never_lost(enrollment):
    submit(enrollment, FOUR_RIGHT)
    outcome = submit(enrollment, ONE_RIGHT)
    assert (outcome.grade.score, outcome.grade.passed) == (20, False)
    assert outcome.best_score == 80
    progress = ItemProgress.objects.get(enrollment=enrollment, item__key="check")
    assert (progress.best_score, progress.passed, progress.attempt_count) == (80, True, 2)


def test_no_attempt_is_stored_beyond_max_attempts(enrollment):
    outcomes = [submit(enrollment, ONE_RIGHT) for _ in range(3)]
    assert [o.attempts_left for o in outcomes] == [2, 1, 0]
    with pytest.raises(NoAttemptsLeft):
        submit(enrollment, ALL_RIGHT)
    assert QuizAttempt.objects.filter(enrollment=enrollment).count() == 3
    progress = ItemProgress.objects.get(enrollment=enrollment, item__key="check")
    assert (progress.best_score, progress.passed, progress.attempt_count) == (20, False, 3)


def test_unlimited_attempts_report_none_left(repo):
    repo.commit(quiz_yaml("max_attempts: 3", "max_attempts: 0"), "Unlimited attempts")
    publish(repo.path)
    enrollment = enrollment_create(user=UserFactory(), course=Course.objects.get(slug="demo"))[0]
    for _ in range(4):
        outcome = submit(enrollment, ONE_RIGHT)
    assert outcome.attempts_left is None
    assert outcome.attempt.number == 4


def test_course_is_completed_once_when_lessons_quizzes_and_average_are_met(
    enrollment, completions, django_capture_on_commit_callbacks
):
    """The average of best quiz scores must reach 75 even after the quiz itself is passed; the
    enrolment is completed once and `course_completed` is sent once, after the commit."""
    course = enrollment.course
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(enrollment=enrollment, item=item(course, "what-is"))
        lesson_complete(enrollment=enrollment, item=item(course, "hashes"))
        submit(enrollment, THREE_RIGHT)  # passed with 60: average below 75
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None
    assert completions == []

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(enrollment, FOUR_RIGHT)
        assert completions == []  # not before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert completions == [enrollment.pk]
    enrollment.refresh_from_db()
    completed_at = enrollment.completed_at
    assert completed_at is not None

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submit(enrollment, ALL_RIGHT)
        lesson_complete(enrollment=enrollment, item=item(course, "hashes"))
        assert enrollment_check_completion(enrollment=enrollment) is True
    assert callbacks == []
    assert completions == [enrollment.pk]
    enrollment.refresh_from_db()
    assert enrollment.completed_at == completed_at


def test_failing_the_quiz_never_completes_the_course(
    enrollment, completions, django_capture_on_commit_callbacks
):
    course = enrollment.course
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(enrollment=enrollment, item=item(course, "what-is"))
        lesson_complete(enrollment=enrollment, item=item(course, "hashes"))
        for _ in range(3):
            submit(enrollment, ONE_RIGHT)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None
    assert completions == []


def test_course_page_shows_the_distance_to_the_certificate(enrollment):
    course = enrollment.course
    lesson_complete(enrollment=enrollment, item=item(course, "hashes"))
    submit(enrollment, THREE_RIGHT)
    view = course_view(slug="demo", language="en", user=enrollment.user)
    req = view.requirements
    assert (req.lessons_done, req.lessons_total) == (1, 2)
    assert (req.quizzes_passed, req.quizzes_total) == (1, 1)
    assert (req.average_score, req.min_average_score) == (60, 75)
    assert req.met is False
    assert [(i.key, i.state, i.best_score) for i in view.items] == [
        ("what-is", "not_started", None), ("hashes", "done", None), ("check", "passed", 60),
    ]  # fmt: skip
    assert view.progress == 66
    assert view.next_item.key == "what-is"


def test_reordering_retitling_and_adding_items_keep_every_record(repo):
    publish(repo.path)
    course = Course.objects.get(slug="demo")
    enrollment = enrollment_create(user=UserFactory(), course=course)[0]
    lesson_complete(enrollment=enrollment, item=item(course, "what-is"))
    submit(enrollment, FOUR_RIGHT)
    before = (
        list(ItemProgress.objects.order_by("pk").values()),
        list(QuizAttempt.objects.order_by("pk").values()),
    )
    reordered = COURSE_YAML.replace(
        "      - {type: lesson, id: what-is, path: lessons/01-what-is, minutes: 10}\n"
        "      - {type: lesson, id: hashes, path: lessons/02-hashes, minutes: 10}\n",
        "      - {type: lesson, id: hashes, path: lessons/02-hashes, minutes: 10}\n"
        "      - {type: lesson, id: extra, path: lessons/02-hashes, minutes: 5}\n"
        "      - {type: lesson, id: what-is, path: lessons/01-what-is, minutes: 10}\n",
    )
    en = f"{COURSE_DIR}/lessons/01-what-is/en.md"
    retitled = (repo.path / en).read_text().replace("What is a blockchain?", "Ledgers", 1)
    repo.commit({f"{COURSE_DIR}/course.yaml": reordered, en: retitled}, "Reorder and add")
    publish(repo.path)

    after = (
        list(ItemProgress.objects.order_by("pk").values()),
        list(QuizAttempt.objects.order_by("pk").values()),
    )
    assert after == before
    assert Enrollment.objects.get().pk == enrollment.pk
    view = course_view(slug="demo", language="en", user=enrollment.user)
    assert [(i.key, i.title, i.state) for i in view.items] == [
        ("hashes", "Hashes", "not_started"), ("extra", "Hashes", "not_started"),
        ("what-is", "Ledgers", "done"), ("check", "Check", "passed"),
    ]  # fmt: skip
    assert view.requirements.lessons_total == 3


def test_archived_items_keep_their_progress_out_of_sight_and_back_when_they_return(repo):
    publish(repo.path)
    course = Course.objects.get(slug="demo")
    user = UserFactory()
    enrollment = enrollment_create(user=user, course=course)[0]
    lesson_complete(enrollment=enrollment, item=item(course, "what-is"))
    lesson_complete(enrollment=enrollment, item=item(course, "hashes"))
    without = COURSE_YAML.replace(
        "      - {type: lesson, id: hashes, path: lessons/02-hashes, minutes: 10}\n", ""
    )
    ky = f"{COURSE_DIR}/lessons/01-what-is/ky.md"
    unlinked = (repo.path / ky).read_text().replace("[хештер](../02-hashes/)", "хештер")
    repo.commit({f"{COURSE_DIR}/course.yaml": without, ky: unlinked}, "Drop the hashes lesson")
    publish(repo.path)

    assert item(course, "hashes").archived_at is not None
    assert ItemProgress.objects.filter(enrollment=enrollment).count() == 2
    view = course_view(slug="demo", language="en", user=user)
    assert [i.key for i in view.items] == ["what-is", "check"]
    assert view.progress == 50
    assert (view.requirements.lessons_done, view.requirements.lessons_total) == (1, 1)
    [card] = [c for c in catalog(language="en", user=user) if c.course.slug == "demo"]
    assert card.progress == 50  # the archived lesson counts for nothing
    assert dashboard(user=user, language="en").in_progress[0].card.progress == 50

    repo.commit({f"{COURSE_DIR}/course.yaml": COURSE_YAML}, "Bring it back")
    publish(repo.path)
    view = course_view(slug="demo", language="en", user=user)
    assert [(i.key, i.state) for i in view.items] == [
        ("what-is", "done"), ("hashes", "done"), ("check", "not_started"),
    ]  # fmt: skip


def test_a_changed_answer_key_keeps_old_scores_and_grades_new_attempts_with_the_new_key(repo):
    publish(repo.path)
    course = Course.objects.get(slug="demo")
    enrollment = enrollment_create(user=UserFactory(), course=course)[0]
    old = submit(enrollment, ALL_RIGHT).attempt
    repo.commit(quiz_yaml("answer: true", "answer: false"), "Fix the key")
    publish(repo.path)

    old.refresh_from_db()
    assert (old.score, old.passed) == (100, True)
    assert old.revision_id != Course.objects.get(pk=course.pk).live_revision_id
    new = submit(enrollment, ALL_RIGHT)
    assert new.grade.score == 80
    assert new.attempt.results["hash-changes"]["correct"] is False
    progress = ItemProgress.objects.get(enrollment=enrollment, item__key="check")
    assert (progress.best_score, progress.passed, progress.attempt_count) == (100, True, 2)
