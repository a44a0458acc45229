"""Filters of the account pages (allauth's elements, templates/allauth/elements/)."""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter(is_safe=True)
def squish(value: str) -> str:
    """Rendered template text on one line: runs of whitespace become one space."""
    return re.sub(r"\s+", " ", str(value)).strip()


@register.filter
def label_text(slot: list[str] | str | None) -> SafeString:
    """The text of an element's label slot, without the colon allauth's pages type after it
    (the site's labels stand above their fields, with no colon). The slot is HTML that
    allauth's page rendered, escaped where needed: it stays safe."""
    text = "".join(slot) if isinstance(slot, list) else str(slot or "")
    return mark_safe(squish(text).removesuffix(":").rstrip())  # noqa: S308 - rendered template output
