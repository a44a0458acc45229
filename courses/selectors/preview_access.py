"""Who may open a course's previews (revisions that are not live): staff, and the
maintainers of the course's source, to whom a pushed branch's preview is e-mailed."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from courses.models import Course
from lms.models import User


def may_preview(*, user: User | AnonymousUser, slug: str) -> bool:
    """Whether ``user`` may open the previews of the course ``slug``: one query for a
    signed-in learner who is not staff, none otherwise."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return Course.objects.filter(slug=slug, source__maintainers=user).exists()
