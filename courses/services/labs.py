"""Writes of a learner's labs: grading and storing an attempt, and the challenges a keys lab
hands out.

A lab attempt is stored, counted and limited like a quiz attempt (`attempt_slot`,
`attempt_record`): a `QuizAttempt` with the cleaned answers, the verdict and its reason in
``results``, a score of 100 or 0, and the item passed once an attempt is right.

A keys lab's challenge is single-use and expires: an attempt uses the learner's open
challenge whether its signature is right or not, and the next one gets a new challenge. A
signature of a challenge already used, or expired, is refused (`ChallengeUsed`,
`ChallengeExpired`) and stores nothing, so a replayed answer never counts.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.content.answers import AnswerShapeError
from courses.content.labanswers import lab_answers_clean
from courses.content.labgrading import lab_grade, signature_verifies
from courses.models import Enrollment, Item, ItemType, LabChallenge, RevisionItem
from courses.services.learning import (
    ActionRefused,
    AttemptOutcome,
    InvalidAnswers,
    NotAQuiz,
    attempt_record,
    attempt_slot,
)

CHALLENGE_SECONDS = 3600  # long enough to sign by hand, with a tool of one's own
KEPT_CHALLENGES = 20  # per learner and lab: the newest, so a replay of any of them is named


class NotAKeysLab(ActionRefused):
    code = "not_a_keys_lab"
    default_message = _("Only a keys and signatures lab hands out challenges.")


class NoChallenge(ActionRefused):
    code = "no_challenge"
    default_message = _(
        "You have no challenge to sign. Open the lab again to get one, then sign it."
    )


class ChallengeUsed(ActionRefused):
    code = "challenge_used"
    default_message = _(
        "This signature is of a challenge that was already used. Each challenge counts once: "
        "sign the new challenge shown on the lab."
    )


class ChallengeExpired(ActionRefused):
    code = "challenge_expired"
    default_message = _(
        "This signature is of a challenge that has expired. Sign the new challenge shown on "
        "the lab."
    )


@transaction.atomic
def lab_challenge_issue(*, enrollment: Enrollment, revision_item: RevisionItem) -> LabChallenge:
    """The learner's open challenge for the keys lab ``revision_item`` (neither used nor
    expired), or a new one when there is none. Asking again hands out the same challenge
    until an attempt uses it; only the newest `KEPT_CHALLENGES` are kept."""
    item = revision_item.item
    if item.type != ItemType.LAB or (revision_item.lab or {}).get("kind") != "keys":
        raise NotAKeysLab
    Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    now = timezone.now()
    challenges = LabChallenge.objects.filter(enrollment=enrollment, item=item)
    found = challenges.filter(used_at__isnull=True, expires_at__gt=now).order_by("-created_at")
    if (challenge := found.first()) is not None:
        return challenge
    challenge = LabChallenge.objects.create(
        enrollment=enrollment,
        item=item,
        text=f"bilim-lab:{item.key}:{secrets.token_hex(16)}",
        expires_at=now + timedelta(seconds=CHALLENGE_SECONDS),
    )
    old = challenges.order_by("-created_at").values_list("pk", flat=True)[KEPT_CHALLENGES:]
    LabChallenge.objects.filter(pk__in=list(old)).delete()
    return challenge


def _signed_challenge(*, enrollment: Enrollment, item: Item, answers: dict) -> LabChallenge:
    """The open challenge this attempt uses. Refuses a signature of a used or expired one,
    and an attempt when there is no open challenge."""
    now = timezone.now()
    recent = list(
        LabChallenge.objects.filter(enrollment=enrollment, item=item).order_by("-created_at")[
            :KEPT_CHALLENGES
        ]
    )
    open_ = next((c for c in recent if c.used_at is None and c.expires_at > now), None)

    def signed(challenge: LabChallenge) -> bool:
        return signature_verifies(answers["public_key"], answers["signature"], challenge.text)

    if open_ is not None and signed(open_):
        return open_
    for challenge in recent:
        if challenge is not open_ and signed(challenge):
            raise ChallengeUsed if challenge.used_at else ChallengeExpired
    if open_ is None:
        raise NoChallenge
    return open_


@transaction.atomic
def lab_attempt_submit(
    *,
    enrollment: Enrollment,
    revision_item: RevisionItem,
    answers: Mapping[str, Any],
    language: str,
) -> AttemptOutcome:
    """Grade one attempt at the lab ``revision_item`` on the server and store it.

    Refusals, storing nothing: `NotAQuiz` (not a lab), `InvalidAnswers` (a shape the lab's
    kind does not take), `NoAttemptsLeft`, and for a keys lab `NoChallenge`,
    `ChallengeUsed`, `ChallengeExpired`."""
    lab = revision_item.lab
    item = revision_item.item
    if item.type != ItemType.LAB or not lab:
        raise NotAQuiz
    try:
        clean = lab_answers_clean(lab=lab, answers=answers)
    except AnswerShapeError as problem:
        raise InvalidAnswers(problem) from problem
    max_attempts = int(lab.get("max_attempts") or 0)
    locked, used = attempt_slot(enrollment=enrollment, item=item, max_attempts=max_attempts)
    challenge = None
    if lab["kind"] == "keys":
        challenge = _signed_challenge(enrollment=locked, item=item, answers=clean)
        LabChallenge.objects.filter(pk=challenge.pk).update(used_at=timezone.now())
        clean["challenge"] = challenge.text
    result = lab_grade(
        lab, clean, language=language, challenge=challenge.text if challenge else None
    )
    return attempt_record(
        enrollment=locked, revision_item=revision_item, used=used, max_attempts=max_attempts,
        answers=clean, graded=result, results=result.results(),
    )  # fmt: skip
