"""E-mails are stored by the request and sent by a worker (lms/mail.py). Tests that read a
message send what is queued, as the worker does, and then read Django's test outbox."""

from django.core import mail

from lms.mail import email_send
from lms.models import OutgoingEmail


def sent_mail() -> list:
    """Send every queued e-mail, as a worker would, and return all messages sent so far."""
    waiting = OutgoingEmail.objects.filter(sent_at__isnull=True, failed_at__isnull=True)
    for pk in waiting.order_by("pk").values_list("pk", flat=True):
        email_send(email_id=pk)
    return mail.outbox
