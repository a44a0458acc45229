"""The certificate's picture for its verify page and link previews, drawn once and cached."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

from courses.credentials.card import render_certificate_card
from courses.models import Certificate
from courses.selectors.certificates import certificate_university_logo
from courses.services import signing

CARD_CACHE_SECONDS = 7 * 24 * 3600
CARD_VERSION = 2  # bump when the drawing changes, so cached pictures are drawn again


def certificate_card_png(*, certificate: Certificate, language: str) -> bytes:
    """The PNG of an issued or revoked certificate in ``language`` (a language it comes in);
    revoked ones carry a stamp. Cached per certificate, state and language."""
    assert certificate.issued_at is not None  # only issued and revoked certificates are drawn
    revoked = certificate.status == Certificate.Status.REVOKED
    key = f"certificate-card:{CARD_VERSION}:{certificate.public_id}:{language}:{int(revoked)}"
    png = cache.get(key)
    if png is None:
        titles = signing.certificate_course_titles(certificate)
        revision = certificate.course.live_revision
        with translation.override(language):
            labels = signing.pdf_labels(heading=signing.certificate_heading(revision, language))
            stamp = _("Revoked") if revoked else None
        png = render_certificate_card(
            learner_name=certificate.learner_name,
            course_title=titles.get(language) or certificate.course_title,
            title=labels["title"],
            date_text=signing.certificate_date(certificate.issued_at, language),
            organisation=certificate.issuer_name,
            university=certificate.university or None,
            university_logo=certificate_university_logo(certificate=certificate),
            revoked=stamp,
        )
        cache.set(key, png, CARD_CACHE_SECONDS)
    return png
