"""Filters of the cohort pages: names and titles in the page's language."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def local_name(organization) -> str:
    """An organisation's name in the page's language (with the usual fallback)."""
    return organization.name_in(get_language())


@register.filter
def course_title(course) -> str:
    revision = course.live_revision
    return revision.title_in(get_language())[0] if revision else course.slug


@register.filter
def at(sequence, index):
    """``row.scores|at:forloop.counter0``."""
    try:
        return sequence[index]
    except (IndexError, TypeError, KeyError):
        return None
