"""Presentation helpers of the course, lesson and catalogue pages: values of the shared,
learner-free view that templates cannot reach by attribute, and the lesson's tables in
boxes that scroll sideways on a phone."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

_TABLE = re.compile(r"<table\b.*?</table>", re.S)
_DIAGRAM = re.compile(r'<p>(<img\b[^>]*\bsrc="[^"]+\.svg"[^>]*>)</p>')


@register.filter
def in_scroll_boxes(html: str) -> SafeString:
    """A lesson's (sanitised) HTML with each table, and each diagram (an SVG picture alone
    in its paragraph), inside a box that scrolls sideways: on a phone a wide table scrolls in
    its own box instead of widening the page, and a diagram keeps a legible size. The box is
    a labelled region that takes keyboard focus, so it can be scrolled without a pointer."""
    table = escape(gettext("Table"))
    diagram = escape(gettext("Diagram"))

    def box(label: str, content: str, kind: str) -> str:
        return (
            f'<div class="{kind}" role="region" tabindex="0" aria-label="{label}">{content}</div>'
        )

    html = _TABLE.sub(lambda match: box(table, match.group(0), "table-scroll"), html or "")
    html = _DIAGRAM.sub(lambda match: box(diagram, match.group(1), "figure-scroll"), html)
    html = html.replace("<pre>", '<pre tabindex="0">')  # a long line of code scrolls too
    return mark_safe(html)  # noqa: S308 - sanitised at import


@register.simple_tag
def course_objectives(view) -> list[str]:
    """What the course teaches ("what you will learn") in the page's language."""
    objectives_in = getattr(view.revision, "objectives_in", None)
    return list(objectives_in(view.language)) if objectives_in else []


@register.simple_tag
def course_topics(view) -> list[tuple[str, str]]:
    """The course's topics as (id, name in the page's language)."""
    topics_in = getattr(view.revision, "topics_in", None)
    return list(topics_in(view.language)) if topics_in else []


@register.simple_tag
def module_title(course, item) -> str:
    """The title of the module the outline item ``item`` of ``course`` (a CourseView) is in."""
    modules = course.outline.modules
    index = item.entry.module
    return modules[index][1] if 0 <= index < len(modules) else ""


@register.simple_tag
def first_item_url(view) -> str:
    """The address of the course's first item (where a visitor starts reading)."""
    entries = view.outline.entries
    return f"{view.base_url}{entries[0].key}/" if entries else ""
