"""Catalogue, course, lesson and quiz pages, and the dashboard. Thin: parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courses.selectors.catalog import course_live
from courses.selectors.dashboard import dashboard_rows
from courses.selectors.learning import course_view, item_view
from courses.services import learner_actions
from courses.services.learner_actions import (
    ActionRefused,
    InvalidAnswers,
    NotALesson,
    lesson_mark_done,
)
from courses.services.learning import enrollment_create, enrollment_touch
from courses.templatetags.courses import course_page_kept, item_page_kept
from courses.templatetags.dashboard import dashboard_context, dashboard_page_kept
from courses.templatetags.quiz_pages import quiz_context, quiz_page_kept
from courses.views.glossary import course_glossary_page
from courses.views.labs import lab_context
from courses.views.previews import preview_revision_id


@require_GET
def course_page(request: HttpRequest, slug: str, revision: int | None = None) -> HttpResponse:
    view = course_view(
        slug=slug, language=get_language(), user=request.user,
        revision_id=preview_revision_id(request, slug, revision),
    )  # fmt: skip
    kept = course_page_kept(request, view)
    if kept is not None:
        return HttpResponse(kept)
    return render(request, "courses/course_detail.html", {"view": view})


@login_required
@require_POST
def enroll(request: HttpRequest, slug: str) -> HttpResponse:
    _enrollment, created = enrollment_create(user=request.user, course=course_live(slug=slug))
    if created:
        messages.success(request, _("You are enrolled. Good luck!"))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)  # enrolled from a lesson: stay on it
    view = course_view(slug=slug, language=get_language(), user=request.user)
    target = view.next_item
    if target is None:
        return redirect("courses:course-detail", slug=slug)
    return redirect("courses:item-detail", slug=slug, key=target.key)


@require_GET
def item_page(
    request: HttpRequest, slug: str, key: str, revision: int | None = None
) -> HttpResponse:
    revision_id = preview_revision_id(request, slug, revision)
    try:
        view = item_view(
            slug=slug, key=key, language=get_language(), user=request.user,
            revision_id=revision_id,
        )  # fmt: skip
    except Http404:
        if key == "glossary":
            return course_glossary_page(request, slug, revision_id)
        raise
    enrollment = view.course.enrollment
    if enrollment and revision_id is None:
        enrollment_touch(enrollment=enrollment, item=view.current.item)
    kept = item_page_kept(request, view) or quiz_page_kept(request, view)
    if kept is not None:
        return HttpResponse(kept)
    return _item_response(request, view)


def _item_response(request: HttpRequest, view, *, status: int = 200) -> HttpResponse:
    """The lesson or quiz page of ``view``, rendered for this request."""
    context = {"view": view, "course": view.course}
    if view.current.is_lab:
        context.update(lab_context(request, view))
    if view.current.is_quiz:
        context.update(quiz_context(request, view))
    return render(request, "courses/item_detail.html", context, status=status)


@login_required
@require_POST
def item_complete(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    view = item_view(slug=slug, key=key, language=get_language(), user=request.user)
    try:
        lesson_mark_done(
            user=request.user, revision_item=view.current.revision_item,
            enrollment=view.course.enrollment,
        )  # fmt: skip
    except NotALesson as refused:
        messages.error(request, refused.message)
        return redirect("courses:item-detail", slug=slug, key=key)
    if request.POST.get("go") == "next" and view.next:
        return redirect("courses:item-detail", slug=slug, key=view.next.key)
    if request.POST.get("go") == "next":
        return redirect("courses:course-detail", slug=slug)
    return redirect("courses:item-detail", slug=slug, key=key)


def _answers(request: HttpRequest, quiz: dict) -> dict:
    """The form's fields as answers; their shape and size are checked by the service."""
    answers = {}
    for question in quiz["questions"]:
        name = f"q-{question['id']}"
        if question["type"] == "multiple":
            answers[question["id"]] = request.POST.getlist(name)
        else:
            value = request.POST.get(name, "").strip()
            if question["type"] == "true_false" and value in ("true", "false"):
                answers[question["id"]] = value == "true"
            elif value:
                answers[question["id"]] = value
    return answers


@login_required
@require_POST
def quiz_submit(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    language = get_language()
    view = item_view(slug=slug, key=key, language=language, user=request.user)
    if not view.current.is_quiz:
        raise Http404
    try:
        outcome = learner_actions.quiz_submit(
            user=request.user, revision_item=view.current.revision_item,
            enrollment=view.course.enrollment, answers=_answers(request, view.quiz),
            language=language,
        )  # fmt: skip
    except InvalidAnswers as refused:  # only a hand-made request gets here: say why, keep the page
        messages.error(request, refused.message)
        return _item_response(request, view, status=400)
    except ActionRefused as refused:
        messages.error(request, refused.message)
        return redirect("courses:item-detail", slug=slug, key=key)
    url = reverse("courses:item-detail", kwargs={"slug": slug, "key": key})
    return redirect(f"{url}?attempt={outcome.attempt.number}#result")


@login_required
@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    language = get_language()
    rows = dashboard_rows(user=request.user)
    kept = dashboard_page_kept(request, rows, language)
    if kept is not None:
        return HttpResponse(kept)
    name = request.user.get_short_name() if request.user.name else ""
    return render(request, "courses/dashboard.html", dashboard_context(rows, language, name))
