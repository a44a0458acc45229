"""Issuing certificates exactly once, revoking them, and keeping the status lists current.

Completion (courses.signals.course_completed, sent after commit) asks for a certificate;
a worker issues it. The unique (learner, course) constraint and the conditional UPDATE that
stores a certificate make issuing idempotent: duplicate deliveries, redelivery after a killed
worker and racing workers all end with one certificate, whose public id never changes.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import Mod
from django.utils import timezone, translation

from courses.credentials import credential as vc
from courses.credentials.names import printable_name
from courses.models import Certificate, CourseRevision, Enrollment, StatusList
from courses.rules import certificate_offered
from courses.selectors.cohort_reports import cohort_university_for_certificate
from courses.services import signing
from lms.outbox import enqueue_on_commit

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from lms.models import User

logger = logging.getLogger(__name__)

DEFAULT_STATUS_LIST = "revocation-1"


def certificate_request(*, enrollment: Enrollment) -> Certificate:
    """Record that ``enrollment`` earned a certificate and queue its issuing (idempotent)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                language = certificate_language_choose(
                    preferred=enrollment.user.language, revision=enrollment.course.live_revision
                )
                certificate, _created = Certificate.objects.get_or_create(
                    user_id=enrollment.user_id,
                    course_id=enrollment.course_id,
                    defaults={
                        "enrollment": enrollment,
                        "language": language,
                        "university": cohort_university_for_certificate(
                            enrollment=enrollment, language=language
                        ),
                    },
                )
        except IntegrityError:
            certificate = Certificate.objects.get(
                user_id=enrollment.user_id, course_id=enrollment.course_id
            )
        if certificate.status == Certificate.Status.PENDING:
            enqueue_on_commit("courses.certificate_issue", certificate.pk)
    return certificate


def certificate_language_choose(*, preferred: str, revision: CourseRevision | None) -> str:
    """The language a certificate is issued in: the learner's preferred language (their
    profile, not the page they finished on) if the course has it, else the course's default."""
    if revision is None or not revision.languages:
        return preferred or settings.LANGUAGE_CODE
    if preferred in revision.languages:
        return preferred
    return revision.default_language or revision.languages[0]


class _Slot(TypedDict):
    published: bool  # the list is signed already


def _status_slot() -> tuple[WithAnnotations[StatusList, _Slot], int]:
    """A random free index in the current status list (random, so indices reveal nothing to
    someone comparing certificates). One query in the usual case: the list comes back with a
    candidate index (a 62-bit random number modulo the list's size) and whether it is taken.
    The unique constraint guards against a race."""
    taken = Certificate.objects.filter(status_list=OuterRef("pk"), status_index=OuterRef("index"))
    for _attempt in range(64):
        found = (
            StatusList.objects.filter(name=DEFAULT_STATUS_LIST)
            .defer("credential")
            .annotate(
                index=Mod(Value(secrets.randbits(62), BigIntegerField()), F("size")),
                taken=Exists(taken),
                published=ExpressionWrapper(
                    Q(credential__isnull=False), output_field=BooleanField()
                ),
            )
            .first()
        )
        if found is None:
            StatusList.objects.get_or_create(name=DEFAULT_STATUS_LIST)
        elif not found.taken:
            return found, int(found.index)
    raise RuntimeError("the status list is (nearly) full: add another list")


ISSUE_ROUNDS = 3  # builds of one certificate when racing issuers keep taking its status index
DONE = (Certificate.Status.ISSUED, Certificate.Status.REVOKED)
STORED_FIELDS = (
    "status", "learner_name", "course_title", "commit", "issuer_name", "key_id",
    "key_fingerprint", "status_list_id", "status_index", "credential", "pdf", "issued_at",
    "last_error",
)  # fmt: skip


def certificate_issue(*, certificate_id: int) -> Certificate:
    """Build, sign and store the certificate. Does nothing for one already issued.

    The work is done outside a transaction and stored by one conditional UPDATE that writes
    only a certificate still waiting, in one transaction with the outbox row that queues its
    e-mail; so issuing costs four queries: duplicate or racing deliveries each build it, the
    first UPDATE wins, and the others return what it stored.
    """
    for _round in range(ISSUE_ROUNDS):
        certificate = Certificate.objects.select_related(
            "user", "course__live_revision", "status_list"
        ).get(pk=certificate_id)
        if certificate.status in DONE:
            return certificate
        _certificate_build(certificate)
        try:
            with transaction.atomic(savepoint=False):  # stored and e-mail queued, or neither
                stored = _certificate_store(certificate)
                if stored:
                    enqueue_on_commit("courses.certificate_email", certificate_id)
        except IntegrityError:
            if transaction.get_connection().in_atomic_block:
                raise  # the caller's transaction is broken; let the task retry
            continue  # another certificate took the status index meanwhile: draw again
        if not stored:  # another delivery issued it first
            return Certificate.objects.get(pk=certificate_id)
        logger.info("issued certificate %s for %s", certificate.public_id, certificate.course_id)
        return certificate
    raise RuntimeError(f"no free status index for certificate {certificate_id}")


def _certificate_build(certificate: Certificate) -> None:
    """Fill in the certificate: names, status list entry, signed credential and PDF."""
    revision = certificate.course.live_revision
    assert revision is not None  # certificates are requested on completing a live course
    language = certificate.language
    # Names entered before forms refused line breaks and control characters, or set by staff.
    certificate.learner_name = printable_name(certificate.user.get_full_name()) or (
        certificate.user.email
    )
    title, _used = revision.title_in(language)
    certificate.course_title = title[:300]
    certificate.commit = revision.commit
    certificate.issuer_name = settings.CERTIFICATE_ISSUER_NAME
    if certificate.status_list_id is None:
        certificate.status_list, certificate.status_index = _status_slot()
        published = certificate.status_list.published
    else:
        assert certificate.status_list is not None  # its id is set
        published = bool(certificate.status_list.credential)
    if not published:  # published before its first entry is used
        _status_list_publish(certificate.status_list)
    certificate.issued_at = timezone.now()
    key = signing.current_key()
    certificate.key_id = key.key_id
    certificate.key_fingerprint = key.fingerprint
    with translation.override(language):
        certificate.credential = signing.certificate_credential(certificate, key=key)
        certificate.pdf = signing.certificate_pdf(certificate, revision=revision)
    certificate.status = Certificate.Status.ISSUED
    certificate.last_error = ""


def _certificate_store(certificate: Certificate) -> bool:
    """Write the built certificate if it is still waiting; whether it was written."""
    values = {name: getattr(certificate, name) for name in STORED_FIELDS}
    updated = (
        Certificate.objects.filter(pk=certificate.pk)
        .exclude(status__in=DONE)
        .update(attempts=F("attempts") + 1, **values)
    )
    if updated:
        certificate.attempts += 1
    return bool(updated)


def _status_list_publish(status_list: StatusList) -> None:
    """Sign and store the list, still empty, unless another issuer or a refresh did first."""
    credential = signing.status_list_credential(status_list, revoked=[])
    StatusList.objects.filter(pk=status_list.pk, credential__isnull=True).update(
        credential=credential, updated_at=timezone.now()
    )


def certificate_mark_failed(*, certificate_id: int, error: str) -> None:
    """The dead-letter state: visible in the admin, where staff can retry."""
    Certificate.objects.filter(pk=certificate_id, status=Certificate.Status.PENDING).update(
        status=Certificate.Status.FAILED, last_error=error[:2000]
    )


def certificate_retry(*, certificate: Certificate) -> None:
    with transaction.atomic():
        updated = Certificate.objects.filter(
            pk=certificate.pk, status__in=[Certificate.Status.FAILED, Certificate.Status.PENDING]
        ).update(status=Certificate.Status.PENDING)
        if updated:
            enqueue_on_commit("courses.certificate_issue", certificate.pk)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status != Certificate.Status.REVOKED:
        certificate.status = Certificate.Status.REVOKED
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason.strip()[:300]
        certificate.save(update_fields=["status", "revoked_at", "revoked_reason"])
        enqueue_on_commit("courses.status_lists_refresh")
    return certificate


def certificates_sweep(*, grace: timedelta | None = None) -> int:
    """Queue every completion that still has no issued certificate after the grace period,
    so nothing is lost when the broker or the workers were down when it happened."""
    cutoff = timezone.now() - (grace or timedelta(seconds=settings.CERTIFICATE_GRACE_SECONDS))
    missing = Enrollment.objects.filter(
        completed_at__lte=cutoff, certificate__isnull=True, course__live_revision__isnull=False
    ).select_related("user", "course__live_revision")
    count = 0
    for enrollment in missing:
        revision = enrollment.course.live_revision
        assert revision is not None  # filtered above
        if not certificate_offered(revision.certificate):
            continue  # a course without a certificate: completing it earns none
        certificate_request(enrollment=enrollment)
        count += 1
    stuck = Certificate.objects.filter(status=Certificate.Status.PENDING, created_at__lte=cutoff)
    for certificate in stuck:
        certificate_retry(certificate=certificate)
        count += 1
    return count


def status_lists_refresh() -> int:
    """Re-sign every status list with the bits of the revoked certificates."""
    refreshed = 0
    for status_list in StatusList.objects.all():
        revoked = [
            index
            for index in status_list.certificates.filter(
                status=Certificate.Status.REVOKED
            ).values_list("status_index", flat=True)
            if index is not None  # set with the list: there for every certificate in it
        ]
        status_list.credential = signing.status_list_credential(status_list, revoked=revoked)
        status_list.save(update_fields=["credential", "updated_at"])
        refreshed += 1
    return refreshed


# The PDF in every language of the course. The stored PDF is the one issued (in the language
# the credential records in ``inLanguage``) and stays byte for byte as it was; another
# language is drawn when asked for, from what the certificate stores and the signed
# credential (which carries the course title in every language), and kept in the cache.
# Drawing takes some tens of milliseconds and most certificates are only ever downloaded in
# the language they were issued in, so storing every language for every certificate would
# cost more than it saves; what is drawn depends only on stored, signed data, so a cached copy
# is never stale (its key names the signature).
PDF_CACHE_SECONDS = 7 * 24 * 3600


class CertificateLanguageUnavailable(Exception):
    """The certificate does not come in the language asked for."""

    def __init__(self, language: str, available: list[str]) -> None:
        super().__init__(language)
        self.language = language
        self.available = available


def certificate_languages(certificate: Certificate) -> list[str]:
    """The languages the certificate comes in: those its credential names the course in."""
    titles = signing.certificate_course_titles(certificate)
    return [code for code, _name in settings.LANGUAGES if code in titles]


def _certificate_revision(certificate: Certificate) -> CourseRevision | None:
    """The course revision the certificate was earned on (for its own certificate title)."""
    found = (
        CourseRevision.objects.filter(
            course_id=certificate.course_id, commit=certificate.commit, is_preview=False
        )
        .defer("description_html", "search_text")
        .order_by("-created_at")
        .first()
    )
    return found or certificate.course.live_revision


def certificate_pdf_in(*, certificate: Certificate, language: str) -> bytes:
    """The certificate's PDF in ``language``: the stored one in the language it was issued in,
    otherwise drawn (once per signature and language, then from the cache)."""
    assert certificate.credential is not None  # only issued and revoked certificates are shown
    available = certificate_languages(certificate)
    if language not in available:
        raise CertificateLanguageUnavailable(language, available)
    if language == vc.issued_language(certificate.credential) and certificate.pdf:
        return bytes(certificate.pdf)
    proof = str((certificate.credential.get("proof") or {}).get("proofValue", ""))
    key = f"certificate-pdf:{certificate.public_id}:{language}:{proof[-24:]}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = signing.certificate_pdf(
            certificate, language=language, revision=_certificate_revision(certificate)
        )
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def certificate_language_set(*, certificate: Certificate, user: User, language: str) -> None:
    """The owner chooses the language of their certificate's default PDF (and its e-mails)."""
    if certificate.user_id != user.pk:
        raise PermissionDenied
    available = certificate_languages(certificate)
    if language not in available:
        raise CertificateLanguageUnavailable(language, available)
    Certificate.objects.filter(pk=certificate.pk).update(language=language)
    certificate.language = language
