"""Telling the people responsible for a push how its import went, by e-mail, from a worker.

A push whose import failed, or succeeded with warnings, is reported to the commit's author
and to the source's maintainers; a preview (a push to another branch) to the commit's author,
with the preview's address. A clean import of the live branch sends nothing. Each person gets
one message per import run, in their language: a maintainer's preferred language, else the
site's; the commit's author matched to an account by e-mail, else the course's default
language. The message lists every problem (file:line:col, message, hint) in that language and
links to the import's page in the admin.

`publishing._finish` queues `courses.import_run_notify` in the transaction that records the
outcome; the task renders the messages and stores them with `lms.mail.email_queue` under a key
per run and address, so a task delivered twice sends each message once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext

from courses.models import Course, CourseRevision, ImportRun
from courses.selectors.preview_access import LINK_DAYS, preview_link_key
from lms.mail import email_queue

MAX_PROBLEMS = 100  # listed in one message; the import's page lists them all


def import_run_reports(*, run: ImportRun) -> bool:
    """Whether the run's outcome is e-mailed: a push's failure, warnings, or a preview."""
    if run.source_id is None or run.trigger != ImportRun.Trigger.WEBHOOK:
        return False
    if run.status == ImportRun.Status.FAILED:
        return True
    if run.status != ImportRun.Status.SUCCEEDED:
        return False
    return run.preview or any(d.get("severity") == "warning" for d in run.diagnostics)


def diagnostic_text(diagnostic: dict) -> str:
    """A stored diagnostic in the active language: PATH:LINE:COL: CODE: message (hint)."""
    template, params = diagnostic.get("template"), diagnostic.get("params") or {}
    message = gettext(template) % params if template else diagnostic.get("message", "")
    hint_template = diagnostic.get("hint_template")
    hint = gettext(hint_template) % params if hint_template else diagnostic.get("hint")
    text = f"{diagnostic['path']}:{diagnostic['line']}:{diagnostic['col']}: "
    text += f"{diagnostic['code']}: {message}"
    return f"{text} ({hint})" if hint else text


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str


def import_run_recipients(*, run: ImportRun) -> list[Recipient]:
    """Who hears of ``run``: its commit's author, and for the live branch the source's
    maintainers, each once, in their language."""
    users = get_user_model().objects.filter(is_active=True)
    found: dict[str, Recipient] = {}
    _name, address = parseaddr(run.commit_author)
    if "@" in address:
        user = users.filter(email__iexact=address).only("email", "language").first()
        language = user.language if user and user.language else _course_language(run)
        found[address.lower()] = Recipient(user.email if user else address, language)
    if not run.preview and run.source is not None:
        for user in users.filter(maintained_sources=run.source).only("email", "language"):
            language = user.language or settings.LANGUAGE_CODE
            found.setdefault(user.email.lower(), Recipient(user.email, language))
    return list(found.values())


def _course_language(run: ImportRun) -> str:
    """The default language of the run's (first) course, as the import read it or as it is
    live; the site's when neither is known."""
    languages = (run.summary or {}).get("default_languages") or {}
    for language in languages.values():
        if language in dict(settings.LANGUAGES):
            return language
    live = (
        Course.objects.filter(source=run.source_id, live_revision__isnull=False)
        .values_list("live_revision__default_language", flat=True)
        .first()
    )
    return live or settings.LANGUAGE_CODE


def _previews(run: ImportRun, language: str) -> list[dict[str, str]]:
    ids = list(((run.summary or {}).get("revisions") or {}).values())
    revisions = CourseRevision.objects.filter(pk__in=ids, is_preview=True).select_related("course")
    return [
        {
            "title": revision.title_in(language)[0] or revision.course.slug,
            "url": settings.SITE_URL
            + reverse(
                "courses:preview-course",
                kwargs={"slug": revision.course.slug, "revision": revision.pk},
            )
            + "?"
            + urlencode({"key": preview_link_key(revision.pk)}),
        }
        for revision in sorted(revisions, key=lambda r: r.course.slug)
    ]


def _message(run: ImportRun, recipient: Recipient) -> EmailMessage:
    with translation.override(recipient.language):
        problems = [
            {"severity": d.get("severity"), "text": diagnostic_text(d)}
            for d in run.diagnostics[:MAX_PROBLEMS]
        ]
        context = {
            "run": run,
            "source": run.source,
            "commit": run.commit[:10] or run.ref[:40],
            "branch": run.branch or (run.source.branch if run.source else ""),
            "outcome": _outcome(run),
            "errors": run.error_count,
            "warnings": run.warning_count,
            "problems": problems,
            "more": max(0, len(run.diagnostics) - MAX_PROBLEMS),
            "previews": _previews(run, recipient.language) if run.preview else [],
            "link_days": LINK_DAYS,
            "run_url": settings.SITE_URL + reverse("admin:courses_importrun_change", args=[run.pk]),
            "SITE_NAME": settings.SITE_NAME,
        }
        subject = " ".join(render_to_string("courses/email/import_subject.txt", context).split())
        body = render_to_string("courses/email/import_message.txt", context)
    return EmailMessage(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body,
                        settings.DEFAULT_FROM_EMAIL, [recipient.email])  # fmt: skip


def _outcome(run: ImportRun) -> str:
    if run.status == ImportRun.Status.FAILED:
        return "failed"
    return "preview" if run.preview else "warnings"


def import_run_notify(*, import_run_id: int) -> int:
    """Queue the e-mails about one import run, once per run and address (a second call
    queues nothing new); how many people it concerns."""
    run = ImportRun.objects.select_related("source").get(pk=import_run_id)
    if not import_run_reports(run=run):
        return 0
    recipients = import_run_recipients(run=run)
    for recipient in recipients:
        digest = hashlib.sha256(recipient.email.lower().encode()).hexdigest()[:24]
        email_queue(message=_message(run, recipient), key=f"import-run:{run.pk}:{digest}")
    return len(recipients)
