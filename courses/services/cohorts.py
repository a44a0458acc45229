"""Writes for universities' cohorts: create and edit, join by code or link, accept
invitations, remove members, message the cohort.

Joining a cohort is enrolling in its course (the ordinary `Enrollment`, so progress is the
learner's own) plus a `CohortMembership`. Removing a member marks the membership removed and
touches neither progress nor certificate.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import (
    Cohort,
    CohortInvitation,
    CohortMembership,
    CohortMessage,
    Course,
    Enrollment,
    Organization,
)
from courses.models.cohorts import new_invite_token, new_join_code
from courses.services.learning import enrollment_create
from lms.auth import user_forget
from lms.models import User
from lms.outbox import enqueue_on_commit


class JoinRefused(Exception):
    """Why a learner cannot join, in words for the learner (active language)."""


@dataclass(frozen=True)
class CohortFields:
    name: str
    course: Course
    language: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    certificate_deadline: datetime.date | None = None
    join_expires_at: datetime.datetime | None = None
    seat_limit: int | None = None


def cohort_create(*, organization: Organization, fields: CohortFields, instructors=()) -> Cohort:
    with transaction.atomic():
        cohort = Cohort.objects.create(organization=organization, **fields.__dict__)
        cohort.instructors.set(instructors)
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, fields: CohortFields, instructors=None) -> Cohort:
    for name, value in fields.__dict__.items():
        setattr(cohort, name, value)
    cohort.save()
    if instructors is not None:
        cohort.instructors.set(instructors)
    return cohort


def cohort_codes_rotate(*, cohort: Cohort) -> Cohort:
    """New join code and invite link; the old ones stop working at once."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                Cohort.objects.filter(pk=cohort.pk).update(
                    join_code=new_join_code(), invite_token=new_invite_token()
                )
            break
        except IntegrityError:  # a code already in use (one in 31^8): draw again
            continue
    cohort.refresh_from_db(fields=["join_code", "invite_token"])
    return cohort


def _membership(cohort: Cohort, enrollment: Enrollment, via: str) -> tuple[CohortMembership, bool]:
    """The learner's membership, created or brought back if they had been removed."""
    try:
        with transaction.atomic():
            membership, created = CohortMembership.objects.get_or_create(
                cohort=cohort,
                user_id=enrollment.user_id,
                defaults={"enrollment": enrollment, "via": via},
            )
    except IntegrityError:  # joined in a parallel request
        membership = CohortMembership.objects.get(cohort=cohort, user_id=enrollment.user_id)
        created = False
    if membership.removed_at is not None:
        CohortMembership.objects.filter(pk=membership.pk).update(removed_at=None, via=via)
        membership.removed_at = None
        created = True
    return membership, created


def cohort_join(*, user: User, cohort: Cohort, via: str) -> tuple[CohortMembership, bool]:
    """Join by the cohort's code or link: enrol in the course and the cohort. The cohort row
    is locked, so the seat limit holds when many students join at the same moment."""
    with transaction.atomic():
        locked = (
            Cohort.objects.select_for_update(of=("self",))
            .select_related("course__live_revision")
            .get(pk=cohort.pk)
        )
        existing = CohortMembership.objects.filter(
            cohort=locked, user=user, removed_at__isnull=True
        ).first()
        if existing is not None:
            return existing, False
        if locked.join_expires_at and locked.join_expires_at <= timezone.now():
            raise JoinRefused(_("Joining this cohort closed on %(date)s.")
                              % {"date": _local(locked.join_expires_at)})  # fmt: skip
        if locked.ends_on and locked.ends_on < timezone.localdate():
            raise JoinRefused(_("This cohort has ended."))
        if locked.course.live_revision_id is None:
            raise JoinRefused(_("The course of this cohort is not published yet."))
        if locked.seat_limit is not None:
            taken = CohortMembership.objects.filter(cohort=locked, removed_at__isnull=True).count()
            if taken >= locked.seat_limit:
                raise JoinRefused(_("This cohort is full. Ask your instructor for a place."))
        enrollment, _created = enrollment_create(user=user, course=locked.course)
        return _membership(locked, enrollment, via)


def _local(moment: datetime.datetime) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def cohort_member_remove(*, membership: CohortMembership) -> None:
    """The learner leaves the cohort's table; their enrolment, progress and certificate stay."""
    CohortMembership.objects.filter(pk=membership.pk, removed_at__isnull=True).update(
        removed_at=timezone.now()
    )


def cohort_invitations_accept(*, user: User, email: str) -> list[CohortMembership]:
    """Enrol ``user`` in every cohort that invited ``email`` (an address they have just
    confirmed as theirs). Seat limits do not apply: the university chose these people."""
    accepted = []
    invitations = (
        CohortInvitation.objects.annotate(lower=Lower("email"))
        .filter(lower=email.lower(), accepted_at__isnull=True)
        .select_related("cohort__course")
    )
    for invitation in invitations:
        with transaction.atomic():
            if invitation.cohort.course.live_revision_id is None:
                continue
            enrollment, _created = enrollment_create(user=user, course=invitation.cohort.course)
            membership, _new = _membership(
                invitation.cohort, enrollment, CohortMembership.Via.INVITATION
            )
            CohortInvitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
            if invitation.name and not user.name:
                type(user).objects.filter(pk=user.pk, name="").update(name=invitation.name)
                user_forget(user.pk)
            accepted.append(membership)
    return accepted


def cohort_message_create(*, cohort: Cohort, sender, subject: str, body: str) -> CohortMessage:
    """Store the message and let a worker e-mail every current member."""
    with transaction.atomic():
        message = CohortMessage.objects.create(
            cohort=cohort,
            sender=sender,
            subject=subject.strip(),
            body=body.strip(),
            recipient_count=CohortMembership.objects.filter(
                cohort=cohort, removed_at__isnull=True
            ).count(),
        )
        enqueue_on_commit("courses.cohort_message_send", message.pk)
    return message
