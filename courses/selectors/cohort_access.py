"""Who may follow which cohort, for pages, exports, the API and e-mail alike.

Roles: site staff see and manage everything; an organisation's administrators see and manage
every cohort of their organisation; an instructor sees (and messages, and exports) only their
own cohorts; a learner sees none of this. A cohort the viewer may not see does not exist for
them (404); one they may see but not manage answers 403 to managing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from courses.models import Cohort, Organization
from lms.models import User

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Roles(TypedDict):
    """What ``_with_roles`` annotates: the viewer's roles in the cohort."""

    viewer_admin: bool
    viewer_instructor: bool


def organizations_managed(*, user: User | AnonymousUser) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_staff:
        return Organization.objects.all()
    return Organization.objects.filter(admins=user)


def cohort_roles(*, user: User | AnonymousUser) -> bool:
    """Whether ``user`` follows any cohort (as staff, organisation administrator or
    instructor)."""
    if not user.is_authenticated:
        return False
    return (
        user.is_staff
        or Organization.objects.filter(admins=user).exists()
        or Cohort.objects.filter(instructors=user).exists()
    )


def organization_ids_managed(*, user: User | AnonymousUser) -> set[int]:
    return set(organizations_managed(user=user).values_list("pk", flat=True))


def organization_managed(*, user: User | AnonymousUser, slug: str) -> Organization | None:
    """The organisation ``slug`` if ``user`` manages it."""
    return organizations_managed(user=user).filter(slug=slug).first()


def cohorts_visible(*, user: User | AnonymousUser, latest_first: bool = False) -> QuerySet[Cohort]:
    """Cohorts ``user`` may follow, with their organisation and course; by id, or the latest
    to start first."""
    cohorts = Cohort.objects.select_related("organization", "course__live_revision")
    cohorts = cohorts.order_by("-starts_on", "name") if latest_first else cohorts.order_by("pk")
    if not user.is_authenticated:
        return cohorts.none()
    if user.is_staff:
        return cohorts
    return cohorts.filter(Q(organization__admins=user) | Q(instructors=user)).distinct()


def _with_roles(cohorts: QuerySet[Cohort], user: User) -> QuerySet[WithAnnotations[Cohort, _Roles]]:
    admins = Organization.admins.through.objects.filter(
        organization_id=OuterRef("organization_id"), user_id=user.pk
    )
    instructors = Cohort.instructors.through.objects.filter(
        cohort_id=OuterRef("pk"), user_id=user.pk
    )
    return cohorts.annotate(viewer_admin=Exists(admins), viewer_instructor=Exists(instructors))


def cohort_for(*, user: User | AnonymousUser, cohort_id: int, manage: bool = False) -> Cohort:
    """The cohort if ``user`` may see it (and manage it, when asked); otherwise 404 (cannot
    see) or PermissionDenied (can see, cannot manage). ``cohort.can_manage`` tells pages."""
    if not user.is_authenticated:
        raise Http404
    cohort = (
        _with_roles(Cohort.objects.select_related("organization", "course__live_revision"), user)
        .filter(pk=cohort_id)
        .first()
    )
    if cohort is None:
        raise Http404
    cohort.can_manage = user.is_staff or cohort.viewer_admin
    if not (cohort.can_manage or cohort.viewer_instructor):
        raise Http404
    if manage and not cohort.can_manage:
        raise PermissionDenied
    return cohort


def cohort_by_code(*, code: str) -> Cohort | None:
    code = "".join(code.split()).replace("-", "").upper()
    return (
        Cohort.objects.select_related("organization", "course__live_revision")
        .filter(join_code=code)
        .first()
    )


def cohort_by_invite(*, token: str) -> Cohort | None:
    return (
        Cohort.objects.select_related("organization", "course__live_revision")
        .filter(invite_token=token)
        .first()
    )
