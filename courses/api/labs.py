"""/api/v1/ for labs: what a lab's item detail adds (its public parameters), its attempt's
verdict, and the challenge a keys lab hands out. Lab attempts go to the same
``POST /courses/{slug}/items/{item_id}/attempts`` as quiz attempts (`courses.api.learning`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from courses.api.base import Error, LangParam
from courses.rules import attempts_left
from courses.selectors.labs import lab_public
from courses.selectors.learning import ItemView, item_view
from courses.services.labs import lab_challenge_issue
from courses.services.learner_actions import lab_challenge_request

router = Router()

Scalar = str | bool | int | float | None
# A quiz's answers are scalars or lists of option ids; a lab's also lists of numbers (a
# chain's nonces) and of {"to", "amount"} outputs (a transaction).
AnswerValue = Scalar | list[Scalar | dict[str, Scalar]]


class BlockOut(Schema):
    number: int
    data: str
    prev_hash: str
    nonce: int
    hash: str
    valid: bool  # its hash meets the difficulty


class PeerOut(Schema):
    number: int
    name: str
    records: list[str]


class PersonOut(Schema):
    id: str
    name: str


class UtxoOut(Schema):
    id: str
    owner: str
    owner_name: str
    amount: int
    spent: bool


class TargetOut(Schema):
    to: str
    to_name: str
    amount: int
    fee: int


class LabDetailFields(Schema):
    """A lab's fields of an item's detail; each kind fills its own (docs/course-format.md,
    "Labs"). None of them tells the answer."""

    kind: str | None = None
    instructions_html: str | None = None
    hints_html: list[str] | None = None
    candidates: list[str] | None = None  # hash: the texts, in order (text_index counts from 0)
    target_hash: str | None = None  # hash: the SHA-256 of one of them
    data: str | None = None  # mining
    d: int | None = None  # mining and chain: the difficulty
    blocks: list[BlockOut] | None = None  # chain, as it stands
    ask: str | None = None  # ledger: "peer" or "value"
    peers: list[PeerOut] | None = None  # ledger
    learner: str | None = None  # transactions: the learner's id
    people: list[PersonOut] | None = None
    utxos: list[UtxoOut] | None = None
    target: TargetOut | None = None
    challenge: str | None = None  # keys: the text to sign (for an enrolled learner)
    challenge_expires_at: datetime | None = None


class LabResultOut(Schema):
    correct: bool
    message: str | None  # why a wrong answer is wrong
    explanation_html: str | None  # once right


def lab_detail(view: ItemView, *, language: str) -> dict[str, Any]:
    """The lab fields of ``view``'s item detail. A keys lab gives an enrolled learner their
    open challenge, a new one when they have none."""
    lab = view.lab or {}
    body = lab_public(lab, language=language)
    body["attempts_left"] = attempts_left(
        max_attempts=body["max_attempts"], used=len(view.attempts)
    )
    enrollment = view.course.enrollment
    if body["kind"] == "keys" and enrollment is not None and not view.course.preview:
        challenge = lab_challenge_issue(
            enrollment=enrollment, revision_item=view.current.revision_item
        )
        body.update(challenge=challenge.text, challenge_expires_at=challenge.expires_at)
    return body


class ChallengeOut(Schema):
    challenge: str
    expires_at: datetime


@router.post(
    "/courses/{slug}/items/{item_id}/challenge",
    response={200: ChallengeOut, 400: Error, 401: Error, 403: Error, 404: Error},
    summary="The challenge to sign in a keys lab (enrols; the same one until an attempt uses it)",
)
def challenge(request: HttpRequest, slug: str, item_id: str, params: Query[LangParam]):
    view = item_view(slug=slug, key=item_id, language=params.lang, user=request.user)
    issued = lab_challenge_request(
        user=request.user, revision_item=view.current.revision_item,
        enrollment=view.course.enrollment,
    )  # fmt: skip
    return Status(200, {"challenge": issued.text, "expires_at": issued.expires_at})
