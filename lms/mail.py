"""E-mail goes out from workers, never from a request, and once.

``email_queue`` stores a message rendered by the caller (in its reader's language) as an
`OutgoingEmail` and queues ``lms.email_send`` after the commit. ``email_send`` claims the row
for a while before sending, so two deliveries of the task cannot both send it; a transient
SMTP failure is retried by Celery, and ``emails_requeue`` (beat) queues again what is still
unsent after ``EMAIL_RESEND_AFTER`` seconds, so a message goes out when SMTP is back.

Sending stays at-least-once only in one narrow case: SMTP accepted the message and the
database could not record it. Every try carries the same Message-ID, so mail systems can
tell it is one message.
"""

from __future__ import annotations

from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import DNS_NAME, EmailMessage, EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from lms.models import OutgoingEmail
from lms.outbox import enqueue_on_commit
from lms.retry import PermanentError, TransientError, is_transient

CLAIM = timedelta(minutes=5)  # longer than one SMTP conversation may last (EMAIL_TIMEOUT)
GIVE_UP_AFTER = timedelta(days=3)  # the lifetime of a confirmation or reset link
KEEP_SENT = timedelta(days=30)
REQUEUE_BATCH = 500


def email_queue(*, message: EmailMessage, key: str | None = None) -> OutgoingEmail:
    """Store ``message`` and have a worker send it after the commit. With ``key``, a message
    already stored under that key is returned instead (a retried task queues nothing new)."""
    if message.attachments:
        raise ValueError("queued e-mails carry no attachments")
    email = OutgoingEmail(
        key=key,
        message_id=message.extra_headers.get("Message-ID") or make_msgid(domain=DNS_NAME),
        subject=message.subject[:998],
        body=str(message.body),
        content_subtype=message.content_subtype,
        alternatives=[[content, mimetype]
                      for content, mimetype in getattr(message, "alternatives", [])],
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to), cc=list(message.cc), bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        headers={k: v for k, v in message.extra_headers.items() if k != "Message-ID"},
    )  # fmt: skip
    with transaction.atomic():
        try:
            with transaction.atomic():
                email.save()
        except IntegrityError:
            if key is None:
                raise
            return OutgoingEmail.objects.get(key=key)
        enqueue_on_commit("lms.email_send", email.pk)
    return email


def email_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    """The stored row as a message Django's mail backends send."""
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.body, from_email=email.from_email, to=email.to,
        cc=email.cc, bcc=email.bcc, reply_to=email.reply_to,
        headers={**email.headers, "Message-ID": email.message_id},
        alternatives=[tuple(alternative) for alternative in email.alternatives],
    )  # fmt: skip
    message.content_subtype = email.content_subtype
    return message


def email_send(*, email_id: int) -> bool:
    """Send the stored message unless it was sent, failed for good or is being sent by
    another worker; whether this call sent it. A failure is recorded on the row and raised as
    `TransientError` (the task retries) or `PermanentError` (it does not)."""
    now = timezone.now()
    claimed = (
        OutgoingEmail.objects.filter(pk=email_id, sent_at__isnull=True, failed_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM, attempts=F("attempts") + 1, attempted_at=now)
    )
    if not claimed:
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        email_message(email).send()
    except Exception as error:
        OutgoingEmail.objects.filter(pk=email_id).update(
            claimed_until=None, last_error=repr(error)[:2000]
        )
        if is_transient(error):
            raise TransientError(f"e-mail {email_id} not sent: {error!r}") from error
        raise PermanentError(f"e-mail {email_id} refused: {error!r}") from error
    # Sent: the row stays as the proof, without the body (it may hold a reset link).
    OutgoingEmail.objects.filter(pk=email_id).update(
        sent_at=timezone.now(), claimed_until=None, last_error="", body="", alternatives=[]
    )
    return True


def email_mark_failed(*, email_id: int, error: str) -> None:
    """Failed for good (the server refused the address, say): not sent again."""
    OutgoingEmail.objects.filter(pk=email_id, sent_at__isnull=True).update(
        failed_at=timezone.now(), claimed_until=None, last_error=error[:2000]
    )


def emails_requeue(*, after: timedelta | None = None) -> int:
    """Queue again every message still unsent ``after`` its last try (SMTP was down longer
    than the task's retries last), younger than the life of its links; returns how many.
    Forgets sent messages after a while."""
    if after is None:
        after = timedelta(seconds=settings.EMAIL_RESEND_AFTER)
    now = timezone.now()
    cutoff = now - after
    stale = (
        OutgoingEmail.objects.filter(sent_at__isnull=True, failed_at__isnull=True,
                                     queued_at__lte=cutoff, created_at__gte=now - GIVE_UP_AFTER)
        .filter(Q(attempted_at__isnull=True) | Q(attempted_at__lte=cutoff))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("pk")
        .values_list("pk", flat=True)
    )  # fmt: skip
    count = 0
    for pk in stale[:REQUEUE_BATCH]:
        with transaction.atomic():
            OutgoingEmail.objects.filter(pk=pk).update(queued_at=now)
            enqueue_on_commit("lms.email_send", pk)
        count += 1
    OutgoingEmail.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    return count
