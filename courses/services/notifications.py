"""Emails to learners, written in their language and sent by a worker (lms/mail.py)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from courses.models import Certificate
from lms.mail import email_queue


def certificate_links(certificate: Certificate) -> dict[str, str]:
    base = settings.SITE_URL
    with translation.override(certificate.language):
        verify = reverse("courses:verify", kwargs={"public_id": certificate.public_id})
    return {
        "verify_url": base + verify,
        "pdf_url": base + reverse("certificate-pdf", kwargs={"public_id": certificate.public_id}),
        "json_url": base + reverse("certificate-json", kwargs={"public_id": certificate.public_id}),
    }


def certificate_email_send(*, certificate_id: int) -> None:
    """Write the "your certificate is ready" e-mail and queue it, once per certificate."""
    certificate = (
        Certificate.objects.select_related("user").defer("pdf", "credential").get(pk=certificate_id)
    )
    if certificate.status != Certificate.Status.ISSUED:
        return
    with translation.override(certificate.language):
        context = {
            "certificate": certificate,
            "SITE_NAME": settings.SITE_NAME,
            **certificate_links(certificate),
        }
        subject = render_to_string("courses/email/certificate_subject.txt", context).strip()
        body = render_to_string("courses/email/certificate_message.txt", context)
    message = EmailMessage(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body,
                           settings.DEFAULT_FROM_EMAIL, [certificate.user.email])  # fmt: skip
    email_queue(message=message, key=f"certificate-issued:{certificate.pk}")
