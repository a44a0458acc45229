"""Lab attempts through the same service as quiz attempts (`attempt_submit`): graded on the
server, stored as attempts with a score of 100 or 0, limited like quizzes, counted towards
completion and the certificate; a keys lab's challenges are single-use and expire."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.utils import timezone, translation

from courses.content.labhash import chain_mine, mine
from courses.models import Enrollment, ItemProgress, LabChallenge, QuizAttempt
from courses.selectors.learning import course_view, item_view
from courses.services.learner_actions import (
    ChallengeExpired,
    ChallengeUsed,
    InvalidAnswers,
    NoAttemptsLeft,
    NoChallenge,
    NotAKeysLab,
    SubmissionRateLimited,
    attempt_submit,
    lab_challenge_request,
    lesson_mark_done,
)
from tests.content.helpers import QUIZ_RIGHT_ANSWERS
from tests.factories import UserFactory
from tests.labfiles import certificate_requires, publish_labs

pytestmark = pytest.mark.django_db

MINING_DATA_EN = "Block 1: Aigul → Bakyt 5"
CHAIN_NOW = ["Genesis", "Aigul → Bakyt 5", "Bakyt → Chynara 200", "Chynara → Aigul 1",
             "Aigul → Dastan 3"]  # fmt: skip
RIGHT = {
    "find-text": {"text_index": 1},
    "mine": {"nonce": mine(MINING_DATA_EN, 2)},
    "repair": {"nonces": [nonce for _previous, nonce in chain_mine(CHAIN_NOW, 2)]},
    "peers": {"peer": 1},
    "pay": {"inputs": ["a1", "a2"], "outputs": [{"to": "chynara", "amount": 45},
                                                 {"to": "aigul", "amount": 9}], "fee": 1},
}  # fmt: skip


@pytest.fixture
def lab_course(tmp_path, db):
    return publish_labs(tmp_path / "labs")


def submit(user, key: str, answers: dict, language: str = "en"):
    view = item_view(slug="demo", key=key, language=language, user=user)
    return attempt_submit(
        user=user, revision_item=view.current.revision_item, enrollment=view.course.enrollment,
        answers=answers, language=language,
    )  # fmt: skip


def challenge_for(user, key: str = "sign") -> str:
    view = item_view(slug="demo", key=key, language="en", user=user)
    return lab_challenge_request(
        user=user, revision_item=view.current.revision_item, enrollment=view.course.enrollment
    ).text


def signed(challenge: str, key: Ed25519PrivateKey | None = None) -> dict:
    key = key or Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {"public_key": public.hex(), "signature": key.sign(challenge.encode()).hex()}


@pytest.mark.parametrize("key", sorted(RIGHT))
def test_a_right_answer_passes_the_lab_with_100(lab_course, key):
    user = UserFactory()
    outcome = submit(user, key, RIGHT[key])
    assert (outcome.attempt.score, outcome.attempt.passed, outcome.best_score) == (100, True, 100)
    progress = ItemProgress.objects.get(enrollment__user=user, item__key=key)
    assert progress.passed and progress.completed_at is not None
    assert (
        course_view(slug="demo", language="en", user=user).state_of(
            next(e for e in course_view(slug="demo", language="en").outline.entries if e.key == key)
        )
        == "passed"
    )


WRONG = {
    "find-text": ({"text_index": 0}, "The SHA-256 of that text is"),
    "mine": ({"nonce": mine(MINING_DATA_EN, 2) + 1}, "does not start with 00"),
    "repair": ({"nonces": [*RIGHT["repair"]["nonces"][:2], 1, 1, 1]}, "Block 3 is not mined"),
    "peers": ({"peer": 0}, "Aigul's copy agrees with the majority"),
    "pay": ({"inputs": ["a1", "a2"], "outputs": [{"to": "chynara", "amount": 45}], "fee": 1},
            "The outputs (45) and the fee (1) add up to 46, not to the inputs' 55."),
}  # fmt: skip


@pytest.mark.parametrize("key", sorted(WRONG))
def test_a_wrong_answer_is_stored_with_0_and_the_reason(lab_course, key):
    answers, reason = WRONG[key]
    user = UserFactory()
    outcome = submit(user, key, answers)
    assert (outcome.attempt.score, outcome.attempt.passed) == (0, False)
    results = outcome.attempt.results
    assert results["correct"] is False
    assert reason in results["reason"] % results["params"]
    progress = ItemProgress.objects.get(enrollment__user=user, item__key=key)
    assert (progress.passed, progress.completed_at, progress.attempt_count) == (False, None, 1)


@pytest.mark.parametrize(
    ("key", "answers"),
    [("mine", {"nonce": "12a"}), ("mine", {"nonce": -1}), ("find-text", {"text_index": 3}),
     ("repair", {"nonces": [1, 2]}), ("peers", {"value": "x"}),
     ("pay", {"inputs": "a1", "outputs": [], "fee": 1}), ("sign", {"public_key": "ab"})],
)  # fmt: skip
def test_a_malformed_answer_is_refused_and_stores_nothing(lab_course, key, answers):
    with pytest.raises(InvalidAnswers):
        submit(UserFactory(), key, answers)
    assert not QuizAttempt.objects.exists()
    assert not Enrollment.objects.exists()  # not even the enrolment the attempt would make


def _refusal(language: str, key: str, answers: dict) -> str:
    """The message of the refusal of ``answers``, as a learner reading ``language`` sees it."""
    with translation.override(language), pytest.raises(InvalidAnswers) as refused:
        submit(UserFactory(), key, answers, language)
    with translation.override(language):
        return refused.value.message


def test_malformed_answers_are_told_in_the_learners_language(lab_course):
    assert _refusal("ru", "mine", {"nonce": "12a"}) == (
        "«nonce» должно быть целым числом (0 или больше) не длиннее 20 цифр."
    )
    assert _refusal("ky", "find-text", {"text_index": 3}) == (
        "«text_index» ичинде 3 деген номер жок: 0 – 2 аралыгынан тандаңыз."
    )
    assert _refusal("ky", "sign", {"public_key": "ab", "signature": "cd"}) == (
        "«public_key» 64 он алтылык цифрадан (0-9, a-f) турушу керек."
    )


def test_a_lab_allows_its_max_attempts_and_says_so_for_a_lab(lab_course):
    user = UserFactory()
    for _ in range(3):
        submit(user, "find-text", {"text_index": 0})
    with pytest.raises(NoAttemptsLeft) as refused:
        submit(user, "find-text", {"text_index": 1})
    with translation.override("en"):
        assert refused.value.message == "You have used all your attempts for this lab."
    assert QuizAttempt.objects.filter(item__key="find-text").count() == 3


def test_quizzes_and_labs_share_one_rate_limit(lab_course):
    user = UserFactory()
    for _ in range(3):  # all the quiz's attempts
        submit(user, "check", QUIZ_RIGHT_ANSWERS)
    for _ in range(7):
        submit(user, "mine", {"nonce": 0})
    with pytest.raises(SubmissionRateLimited):
        submit(user, "peers", {"peer": 1})


def test_a_keys_lab_passes_with_the_signature_of_the_learners_challenge(lab_course):
    user = UserFactory()
    challenge = challenge_for(user)
    assert challenge == challenge_for(user)  # the same one until an attempt uses it
    outcome = submit(user, "sign", signed(challenge))
    assert outcome.attempt.passed and outcome.attempt.answers["challenge"] == challenge
    assert LabChallenge.objects.get(text=challenge).used_at is not None
    assert challenge_for(user) != challenge  # a new one for the next attempt


def test_a_replayed_signature_is_refused_and_stores_nothing(lab_course):
    user = UserFactory()
    answers = signed(challenge_for(user))
    assert submit(user, "sign", answers).attempt.passed
    challenge_for(user)  # the next challenge is open; the old signature is not of it
    with pytest.raises(ChallengeUsed) as refused:
        submit(user, "sign", answers)
    with translation.override("en"):
        assert "already used" in refused.value.message
    assert QuizAttempt.objects.filter(item__key="sign").count() == 1


def test_a_replay_is_refused_also_when_no_challenge_is_open(lab_course):
    user = UserFactory()
    answers = signed(challenge_for(user))
    submit(user, "sign", answers)
    with pytest.raises(ChallengeUsed):
        submit(user, "sign", answers)


def test_a_wrong_signature_uses_the_challenge_up(lab_course):
    user = UserFactory()
    challenge = challenge_for(user)
    outcome = submit(user, "sign", signed("another text"))
    assert not outcome.attempt.passed
    assert outcome.attempt.results["reason"].startswith("The signature does not verify")
    assert LabChallenge.objects.get(text=challenge).used_at is not None
    with pytest.raises(ChallengeUsed):  # signing it now is too late
        submit(user, "sign", signed(challenge))


def test_an_expired_challenge_is_refused(lab_course):
    user = UserFactory()
    challenge = challenge_for(user)
    LabChallenge.objects.filter(text=challenge).update(expires_at=timezone.now() - timedelta(1))
    with translation.override("ru"), pytest.raises(ChallengeExpired) as refused:
        submit(user, "sign", signed(challenge), "ru")
    with translation.override("ru"):
        message = refused.value.message
    assert message == (
        "Эта подпись сделана для текста, срок действия которого истёк. Подпишите новый текст, "
        "показанный в лабораторной работе."
    )
    assert not QuizAttempt.objects.exists()
    assert challenge_for(user) != challenge


def test_without_a_challenge_a_keys_attempt_is_refused(lab_course):
    with pytest.raises(NoChallenge):
        submit(UserFactory(), "sign", signed("bilim-lab:sign:guess"))
    assert not QuizAttempt.objects.exists() and not Enrollment.objects.exists()


def test_only_a_keys_lab_hands_out_challenges(lab_course):
    user = UserFactory()
    with pytest.raises(NotAKeysLab):
        challenge_for(user, "mine")
    assert not Enrollment.objects.exists()


def test_old_challenges_are_not_kept_without_bound(lab_course):
    user = UserFactory()
    for _ in range(25):
        LabChallenge.objects.filter(used_at__isnull=True).update(used_at=timezone.now())
        challenge_for(user)
    assert LabChallenge.objects.count() == 20


def _finish_lessons_and_quiz(user) -> None:
    for key in ("what-is", "hashes"):
        view = item_view(slug="demo", key=key, language="en", user=user)
        lesson_mark_done(user=user, revision_item=view.current.revision_item,
                         enrollment=view.course.enrollment)  # fmt: skip
    submit(user, "check", QUIZ_RIGHT_ANSWERS)


def _pass_every_lab(user) -> bool:
    completed = False
    for key, answers in RIGHT.items():
        completed = submit(user, key, answers).course_completed
    return submit(user, "sign", signed(challenge_for(user))).course_completed or completed


def test_with_all_labs_required_the_course_completes_with_the_last_lab(tmp_path, db):
    publish_labs(tmp_path / "labs", certificate_requires("all_lessons, all_quizzes, all_labs"))
    user = UserFactory()
    _finish_lessons_and_quiz(user)
    view = course_view(slug="demo", language="en", user=user)
    assert not view.completed
    assert (view.requirements.labs_passed, view.requirements.labs_total) == (0, 6)
    assert _pass_every_lab(user)
    view = course_view(slug="demo", language="en", user=user)
    assert view.completed and view.progress == 100
    assert view.requirements.labs_passed == 6


def test_a_course_that_names_no_requirements_requires_its_labs(tmp_path, db):
    publish_labs(tmp_path / "labs", certificate_requires(""))
    user = UserFactory()
    _finish_lessons_and_quiz(user)
    assert not Enrollment.objects.get(user=user).completed_at
    _pass_every_lab(user)
    assert Enrollment.objects.get(user=user).completed_at


def test_labs_not_named_in_require_count_in_progress_but_not_for_the_certificate(lab_course):
    user = UserFactory()
    submit(user, "mine", RIGHT["mine"])
    assert course_view(slug="demo", language="en", user=user).progress == 11  # 1 of 9 items
    _finish_lessons_and_quiz(user)
    assert Enrollment.objects.get(user=user).completed_at  # require: [all_lessons, all_quizzes]
