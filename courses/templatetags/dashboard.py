"""Filters of the dashboard page: in-memory lookups over what the dashboard selector read,
so the template pairs a completed course with its certificate without a query."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from courses.models import Certificate

register = template.Library()


@register.filter
def certificate_of(certificates: Iterable[Certificate], course_id: int) -> Certificate | None:
    """The learner's certificate of the course ``course_id`` among ``certificates``."""
    for certificate in certificates or ():
        if certificate.course_id == course_id:
            return certificate
    return None


@register.filter
def certificates_besides(certificates: Iterable[Certificate], entries) -> list[Certificate]:
    """The certificates whose course is not one of the dashboard ``entries`` (a course taken
    off the site keeps its certificates, which then have no course card to sit in)."""
    shown = {entry.enrollment.course_id for entry in entries or ()}
    return [c for c in certificates or () if c.course_id not in shown]
