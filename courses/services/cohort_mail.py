"""E-mails of cohorts, sent by a worker: invitations to people without an account (in the
cohort's language), "you were added" to existing accounts and instructors' messages (in each
member's language).

Every e-mail is recorded in the same transaction that sends it, so a retried task skips who
already has theirs.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import (
    Cohort,
    CohortInvitation,
    CohortMembership,
    CohortMessage,
    CohortMessageDelivery,
)

BATCH = 200  # e-mails per SMTP connection and per transaction
ADDED_BY_STAFF = (CohortMembership.Via.UPLOAD, CohortMembership.Via.API)


def _render(template: str, language: str, context: dict) -> tuple[str, str]:
    with translation.override(language):
        context = {**context, "SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL,
                   "language": language}  # fmt: skip
        if "cohort" in context:
            context["organization_name"] = context["cohort"].organization.name_in(language)
            revision = context["cohort"].course.live_revision
            context["course_title"] = (
                revision.title_in(language)[0] if revision else context["cohort"].course.slug
            )
            context["course_url"] = settings.SITE_URL + reverse(
                "courses:course-detail", kwargs={"slug": context["cohort"].course.slug}
            )
        subject = render_to_string(f"cohorts/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"cohorts/email/{template}_message.txt", context)
    return settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()), body


def _cohort(cohort_id: int) -> Cohort:
    return Cohort.objects.select_related("organization", "course__live_revision").get(pk=cohort_id)


def cohort_notifications_send(*, cohort_id: int) -> int:
    """Send the invitations and "you were added" e-mails still owed; returns how many."""
    cohort = _cohort(cohort_id)
    sent = 0
    with translation.override(cohort.language):
        signup = settings.SITE_URL + reverse("account_signup")
    while True:
        with transaction.atomic():
            invitations = list(
                CohortInvitation.objects.select_for_update(skip_locked=True)
                .filter(cohort=cohort, sent_at__isnull=True, accepted_at__isnull=True)[:BATCH]
            )  # fmt: skip
            if not invitations:
                break
            messages = []
            for invitation in invitations:
                subject, body = _render("invitation", cohort.language,
                                        {"cohort": cohort, "invitation": invitation,
                                         "signup_url": signup})  # fmt: skip
                messages.append(EmailMessage(subject, body, to=[invitation.email]))
            CohortInvitation.objects.filter(pk__in=[i.pk for i in invitations]).update(
                sent_at=timezone.now()
            )
            get_connection().send_messages(messages)
            sent += len(messages)
    while True:
        with transaction.atomic():
            memberships = list(
                CohortMembership.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user")
                .filter(cohort=cohort, via__in=ADDED_BY_STAFF,
                        notified_at__isnull=True, removed_at__isnull=True)[:BATCH]
            )  # fmt: skip
            if not memberships:
                break
            messages = []
            for membership in memberships:
                language = membership.user.language or cohort.language
                subject, body = _render("added", language,
                                        {"cohort": cohort, "member": membership.user})  # fmt: skip
                messages.append(EmailMessage(subject, body, to=[membership.user.email]))
            CohortMembership.objects.filter(pk__in=[m.pk for m in memberships]).update(
                notified_at=timezone.now()
            )
            get_connection().send_messages(messages)
            sent += len(messages)
    return sent


def cohort_message_send(*, message_id: int) -> int:
    """E-mail an instructor's message to every current member who has not had it."""
    message = CohortMessage.objects.select_related("sender").get(pk=message_id)
    cohort = _cohort(message.cohort_id)
    reply_to = [message.sender.email] if message.sender else None
    sent = 0
    while True:
        with transaction.atomic():
            delivered = CohortMessageDelivery.objects.filter(message=message).values("user_id")
            memberships = list(
                CohortMembership.objects.select_related("user")
                .filter(cohort=cohort, removed_at__isnull=True)
                .exclude(user_id__in=delivered)
                .order_by("pk")[:BATCH]
            )
            if not memberships:
                break
            CohortMessageDelivery.objects.bulk_create(
                [CohortMessageDelivery(message=message, user_id=m.user_id) for m in memberships]
            )
            emails = []
            for membership in memberships:
                language = membership.user.language or cohort.language
                subject, body = _render("cohort_message", language,
                                        {"cohort": cohort, "message": message,
                                         "member": membership.user})  # fmt: skip
                emails.append(EmailMessage(subject, body, to=[membership.user.email],
                                           reply_to=reply_to))  # fmt: skip
            get_connection().send_messages(emails)
            sent += len(emails)
            CohortMessage.objects.filter(pk=message.pk).update(
                sent_count=CohortMessageDelivery.objects.filter(message=message).count()
            )
    CohortMessage.objects.filter(pk=message.pk, finished_at__isnull=True).update(
        finished_at=timezone.now()
    )
    return sent
