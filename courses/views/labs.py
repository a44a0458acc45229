"""A lab's page and its forms: what the item page shows of a lab (`lab_context`, called by
`courses.views.learning`), an attempt typed by hand, and a keys lab's challenge. The same
services as the API grade and store. Thin: parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from courses.rules import attempts_left
from courses.selectors.labs import lab_public, lab_result
from courses.selectors.learning import ItemView, item_view
from courses.services.labs import lab_challenge_issue
from courses.services.learner_actions import (
    ActionRefused,
    ChallengeExpired,
    ChallengeUsed,
    InvalidAnswers,
    NoChallenge,
    attempt_submit,
    lab_challenge_request,
)

OUTPUT_ROWS = 3  # a transaction's outputs on the form: the payment, the change, one spare


def lab_context(request: HttpRequest, view: ItemView) -> dict:
    """What a lab's page shows: its public parameters, the attempt asked for (``?attempt=``)
    with its verdict, the attempts left and, for an enrolled learner of a keys lab, their
    open challenge (a new one when they have none)."""
    lab = view.lab or {}
    language = get_language()
    shown = request.GET.get("attempt", "")
    shown_attempt = None
    if shown:  # the only case that reads the attempts themselves
        shown_attempt = next((a for a in view.attempts if str(a.number) == shown), None)
    max_attempts = lab.get("max_attempts") or 0
    enrollment = view.course.enrollment
    challenge = None
    if lab.get("kind") == "keys" and enrollment is not None and not view.course.preview:
        challenge = lab_challenge_issue(
            enrollment=enrollment, revision_item=view.current.revision_item
        )
    return {
        "lab": lab_public(lab, language=language),
        "shown_attempt": shown_attempt,
        "lab_result": lab_result(lab, shown_attempt, language=language) if shown_attempt else None,
        "attempts_left": attempts_left(max_attempts=max_attempts, used=view.attempt_count),
        "max_attempts": max_attempts,
        "challenge": challenge,
        "output_rows": range(1, OUTPUT_ROWS + 1),
    }


def _answers(kind: str, form: QueryDict, blocks: int) -> dict:
    """The form's fields as the API's answers; the service checks their shape."""

    def field(name: str) -> str:
        return form.get(name, "").strip()

    if kind == "chain":
        return {"nonces": [field(f"nonce-{number}") for number in range(1, blocks + 1)]}
    if kind == "transactions":
        rows = range(1, OUTPUT_ROWS + 1)
        return {
            "inputs": form.getlist("inputs"),
            "outputs": [{"to": field(f"to-{row}"), "amount": field(f"amount-{row}")}
                        for row in rows if field(f"amount-{row}")],
            "fee": field("fee"),
        }  # fmt: skip
    names = {"hash": ("text_index",), "mining": ("nonce",), "ledger": ("peer", "value"),
             "keys": ("public_key", "signature")}.get(kind, ())  # fmt: skip
    return {name: field(name) for name in names if field(name)}


def _page(request: HttpRequest, view: ItemView, *, status: int) -> HttpResponse:
    context = {"view": view, "course": view.course, **lab_context(request, view)}
    return render(request, "courses/item_detail.html", context, status=status)


@login_required
@require_POST
def lab_submit(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    language = get_language()
    view = item_view(slug=slug, key=key, language=language, user=request.user)
    if not view.current.is_lab or not view.lab:
        raise Http404
    blocks = len(next(iter(view.lab["public"].get("blocks", {}).values()), []))
    try:
        outcome = attempt_submit(
            user=request.user, revision_item=view.current.revision_item,
            enrollment=view.course.enrollment,
            answers=_answers(view.lab["kind"], request.POST, blocks), language=language,
        )  # fmt: skip
    except (InvalidAnswers, NoChallenge, ChallengeUsed, ChallengeExpired) as refused:
        messages.error(request, refused.message)  # say why, and keep the page
        return _page(request, view, status=400)
    except ActionRefused as refused:
        messages.error(request, refused.message)
        return redirect("courses:item-detail", slug=slug, key=key)
    url = reverse("courses:item-detail", kwargs={"slug": slug, "key": key})
    return redirect(f"{url}?attempt={outcome.attempt.number}#result")


@login_required
@require_POST
def lab_challenge(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Hand a keys lab's challenge to a learner who is not enrolled yet (enrolling them)."""
    view = item_view(slug=slug, key=key, language=get_language(), user=request.user)
    try:
        lab_challenge_request(
            user=request.user, revision_item=view.current.revision_item,
            enrollment=view.course.enrollment,
        )  # fmt: skip
    except ActionRefused as refused:
        messages.error(request, refused.message)
    url = reverse("courses:item-detail", kwargs={"slug": slug, "key": key})
    return redirect(f"{url}#lab-params")
