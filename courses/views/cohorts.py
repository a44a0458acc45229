"""Pages of universities' staff (cohorts, members, uploads, exports, messages) and of students
joining a cohort. Thin: check the role through the selectors, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.forms import CohortForm, CohortMessageForm, JoinCodeForm, RosterUploadForm
from courses.models import CohortExport, CohortMembership, Job
from courses.selectors import cohort_access, cohort_reports, member_history
from courses.services import cohort_exports, cohorts, rosters
from courses.services.roster_csv import problem_text
from courses.templatetags.cohort_tables import cohort_page_kept
from lms.clientip import client_address
from lms.ratelimit import rate_limit_exceeded

JOIN_ATTEMPTS_PER_MINUTE = 10


@require_GET
@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cohorts/list.html",
        {
            "cohorts": cohort_access.cohorts_visible(user=request.user, latest_first=True),
            "organizations": cohort_access.organizations_managed(user=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def cohort_create(request: HttpRequest, organization: str) -> HttpResponse:
    org = cohort_access.organization_managed(user=request.user, slug=organization)
    if org is None:
        raise Http404
    form = CohortForm(request.POST or None, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        cohort = cohorts.cohort_create(
            organization=org, fields=form.fields_value(),
            instructors=form.cleaned_data["instructors"],
        )  # fmt: skip
        messages.success(request, _("The cohort is created. Share its join code or upload a list."))
        return redirect("cohorts:enrolment", cohort_id=cohort.pk)
    return render(request, "cohorts/form.html", {"form": form, "organization": org})


@require_http_methods(["GET", "POST"])
@login_required
def cohort_edit(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_access.cohort_for(user=request.user, cohort_id=cohort_id, manage=True)
    if request.method == "POST":
        form = CohortForm(request.POST)
        if form.is_valid():
            cohorts.cohort_update(cohort=cohort, fields=form.fields_value(),
                                  instructors=form.cleaned_data["instructors"])  # fmt: skip
            messages.success(request, _("The cohort is saved."))
            return redirect(cohort)
    else:
        form = CohortForm.for_cohort(cohort)
    return render(
        request, "cohorts/form.html",
        {"form": form, "organization": cohort.organization, "cohort": cohort},
    )  # fmt: skip


@require_GET
@login_required
def cohort_detail(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_access.cohort_for(user=request.user, cohort_id=cohort_id)
    language = get_language()
    table = cohort_reports.cohort_table(cohort=cohort, language=language)
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "name")

    def context() -> dict:
        rows = cohort_reports.cohort_rows(table=table, status=status, sort=sort)
        return {
            "cohort": cohort,
            "organization_name": cohort.organization.name_in(language),
            "course_title": _course_title(cohort, language),
            "table": table,
            "page": Paginator(rows, cohort_reports.PAGE_SIZE).get_page(request.GET.get("page")),
            "status": status if status in cohort_reports.STATUSES else "",
            "sort": sort,
            "statuses": _status_labels(),
        }

    kept = cohort_page_kept(request, cohort, table, "cohorts/detail.html", context)
    if kept is not None:
        return HttpResponse(kept)
    return render(request, "cohorts/detail.html", context())


def _course_title(cohort, language: str) -> str:
    revision = cohort.course.live_revision
    return revision.title_in(language)[0] if revision else cohort.course.slug


def _status_labels() -> list[tuple[str, str]]:
    return [
        ("not_started", _("Not started")),
        ("in_progress", _("In progress")),
        ("completed", _("Completed")),
        ("inactive", _("Inactive for 7 days")),
    ]


@require_GET
@login_required
def member_detail(request: HttpRequest, cohort_id: int, user_id: int) -> HttpResponse:
    cohort = cohort_access.cohort_for(user=request.user, cohort_id=cohort_id)
    history = member_history.member_history(cohort=cohort, user_id=user_id, language=get_language())
    return render(request, "cohorts/member.html", {"cohort": cohort, "history": history})


@require_POST
@login_required
def member_remove(request: HttpRequest, cohort_id: int, user_id: int) -> HttpResponse:
    cohort = cohort_access.cohort_for(user=request.user, cohort_id=cohort_id, manage=True)
    membership = cohort_reports.cohort_membership(cohort=cohort, user_id=user_id)
    if membership is None:
        raise Http404
    cohorts.cohort_member_remove(membership=membership)
    messages.success(
        request,
        _("%(name)s is no longer in this cohort. Their progress and certificate are kept.")
        % {"name": membership.user.get_full_name()},
    )
    return redirect(cohort)


@require_GET
@login_required
def cohort_enrolment(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_access.cohort_for(user=request.user, cohort_id=cohort_id)
    invite_url = request.build_absolute_uri(
        reverse("cohorts:join-invite", kwargs={"token": cohort.invite_token})
    )
    invited_count, invited = (
        cohort_reports.cohort_invitations_pending(cohort=cohort) if cohort.can_manage else (0, [])
    )
    return render(
        request,
        "cohorts/enrolment.html",
        {
            "cohort": cohort,
            "invite_url": invite_url,
            "join_url": request.build_absolute_uri(reverse("cohorts:join")),
            "seats_taken": cohort_reports.cohort_seats_taken(cohort=cohort),
            "upload_form": RosterUploadForm(),
            "uploads": cohort_reports.cohort_uploads(cohort=cohort) if cohort.can_manage else [],
            "invited_count": invited_count,
            "invited": invited,
        },
    )


@require_POST
@login_required
def cohort_rotate(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_access.cohort_for(user=request.user, cohort_id=cohort_id, manage=True)
    cohorts.cohort_codes_rotate(cohort=cohort)
    messages.success(request, _("New join code and invite link: the old ones no longer work."))
    return redirect("cohorts:enrolment", cohort_id=cohort.pk)


@require_POST
@login_required
def upload_create(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_access.cohort_for(user=request.user, cohort_id=cohort_id, manage=True)
    form = RosterUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect("cohorts:enrolment", cohort_id=cohort.pk)
    file = form.cleaned_data["file"]
    upload = rosters.upload_create(
        cohort=cohort, user=request.user, filename=file.name, data=file.read(),
        language=get_language(),
    )  # fmt: skip
    return redirect("cohorts:upload", cohort_id=cohort.pk, upload_id=upload.pk)


def _upload(request: HttpRequest, cohort_id: int, upload_id: int):
    cohort = cohort_access.cohort_for(user=request.user, cohort_id=cohort_id, manage=True)
    upload = cohort_reports.cohort_upload(cohort=cohort, upload_id=upload_id)
    return cohort, upload


@require_GET
@login_required
def upload_detail(request: HttpRequest, cohort_id: int, upload_id: int) -> HttpResponse:
    cohort, upload = _upload(request, cohort_id, upload_id)
    working = upload.status in (Job.PENDING, Job.RUNNING, Job.APPLYING)
    rows = upload.preview.get("rows", {})
    for row in rows.get("invalid", []):  # the reason, in the language of this page
        row["error"] = problem_text(row.get("problem", ""), row.get("params", {}))
    return render(
        request,
        "cohorts/upload.html",
        {"cohort": cohort, "upload": upload, "working": working,
         "counts": upload.preview.get("counts", {}), "rows": rows,
         "applied": upload.preview.get("applied")},
    )  # fmt: skip


@require_POST
@login_required
def upload_apply(request: HttpRequest, cohort_id: int, upload_id: int) -> HttpResponse:
    cohort, upload = _upload(request, cohort_id, upload_id)
    rosters.upload_apply_request(upload=upload)
    return redirect("cohorts:upload", cohort_id=cohort.pk, upload_id=upload.pk)


@require_POST
@login_required
def export_create(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_access.cohort_for(user=request.user, cohort_id=cohort_id)
    export = cohort_exports.export_request(cohort=cohort, user=request.user,
                                           language=get_language())  # fmt: skip
    if export.status == Job.DONE:
        return _csv_response(export)
    return redirect("cohorts:export", cohort_id=cohort.pk, export_id=export.pk)


def _export(request: HttpRequest, cohort_id: int, export_id: int):
    cohort = cohort_access.cohort_for(user=request.user, cohort_id=cohort_id)
    export = cohort_reports.cohort_export(cohort=cohort, export_id=export_id)
    return cohort, export


@require_GET
@login_required
def export_detail(request: HttpRequest, cohort_id: int, export_id: int) -> HttpResponse:
    cohort, export = _export(request, cohort_id, export_id)
    return render(
        request, "cohorts/export.html",
        {"cohort": cohort, "export": export,
         "working": export.status in (Job.PENDING, Job.RUNNING)},
    )  # fmt: skip


@require_GET
@login_required
def export_download(request: HttpRequest, cohort_id: int, export_id: int) -> HttpResponse:
    cohort, export = _export(request, cohort_id, export_id)
    if export.status != Job.DONE:
        raise Http404
    export = cohort_reports.cohort_export(cohort=cohort, export_id=export.pk, content=True)
    return _csv_response(export)


def _csv_response(export: CohortExport) -> HttpResponse:
    response = HttpResponse(bytes(export.content), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{cohort_exports.export_filename(export.cohort)}"'
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def cohort_messages(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_access.cohort_for(user=request.user, cohort_id=cohort_id)
    form = CohortMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if rate_limit_exceeded(scope="cohort-message", key=str(request.user.pk), limit=10,
                               period=3600):  # fmt: skip
            messages.error(request, _("You have sent many messages in the last hour. "
                                      "Please wait before sending another."))  # fmt: skip
        else:
            message = cohorts.cohort_message_create(
                cohort=cohort, sender=request.user, subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )  # fmt: skip
            messages.success(
                request,
                ngettext(
                    "Your message is being sent to %(count)d member.",
                    "Your message is being sent to %(count)d members.",
                    message.recipient_count,
                )
                % {"count": message.recipient_count},
            )
            return redirect("cohorts:messages", cohort_id=cohort.pk)
    return render(
        request, "cohorts/messages.html",
        {"cohort": cohort, "form": form, "sent": cohort_reports.cohort_messages(cohort=cohort)},
    )  # fmt: skip


# Students joining --------------------------------------------------------------------------


def _join_page(request: HttpRequest, cohort, *, via: str, form=None) -> HttpResponse:
    language = get_language()
    joined = cohort is not None and cohort_reports.cohort_member(cohort=cohort, user=request.user)
    return render(
        request,
        "cohorts/join.html",
        {
            "cohort": cohort,
            "via": via,
            "form": form or JoinCodeForm(),
            "joined": joined,
            "organization_name": cohort.organization.name_in(language) if cohort else "",
            "course_title": _course_title(cohort, language) if cohort else "",
        },
    )


def _join(request: HttpRequest, cohort, via: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("account_login"))
    try:
        _membership, created = cohorts.cohort_join(user=request.user, cohort=cohort, via=via)
    except cohorts.JoinRefused as refused:
        messages.error(request, str(refused))
        return _join_page(request, cohort, via=via)
    if created:
        messages.success(request, _("Welcome to %(cohort)s. Your course is on your dashboard.")
                         % {"cohort": cohort.name})  # fmt: skip
    return redirect("courses:course-detail", slug=cohort.course.slug)


@require_http_methods(["GET", "POST"])
def join_by_code(request: HttpRequest) -> HttpResponse:
    """A student types the code from the lecture; GET ?code= shows what they would join."""
    data = request.POST if request.method == "POST" else request.GET
    form = JoinCodeForm(data if "code" in data else None)
    if not form.is_bound:
        return _join_page(request, None, via=CohortMembership.Via.CODE, form=form)
    # A visitor is counted by address, as our proxies report it (lms/clientip.py).
    key = str(request.user.pk) if request.user.is_authenticated else client_address(request)
    if rate_limit_exceeded(scope="join-code", key=key, limit=JOIN_ATTEMPTS_PER_MINUTE, period=60):
        return render(request, "429.html", status=429)
    cohort = cohort_access.cohort_by_code(code=form.data["code"]) if form.is_valid() else None
    if cohort is None:
        if form.is_valid():
            form.add_error("code", _("No cohort has this code. Check it with your instructor."))
        return _join_page(request, None, via=CohortMembership.Via.CODE, form=form)
    if request.method == "POST":
        return _join(request, cohort, CohortMembership.Via.CODE)
    return _join_page(request, cohort, via=CohortMembership.Via.CODE, form=form)


@require_http_methods(["GET", "POST"])
def join_by_invite(request: HttpRequest, token: str) -> HttpResponse:
    cohort = cohort_access.cohort_by_invite(token=token)
    if cohort is None:
        raise Http404
    if request.method == "POST":
        return _join(request, cohort, CohortMembership.Via.LINK)
    return _join_page(request, cohort, via=CohortMembership.Via.LINK)


@require_GET
def organization_logo(request: HttpRequest, slug: str, sha256: str) -> HttpResponse:
    """An organisation's logo; its address changes with its content, so it is cached for a
    year."""
    logo = cohort_reports.organization_logo(slug=slug, sha256=sha256)
    if logo is None:
        raise Http404
    content, content_type = logo
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
