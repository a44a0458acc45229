from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, get_language_info

from courses.content import pick_text

register = template.Library()


@register.simple_tag
def item_url(view, key: str) -> str:
    """The address of an item in the course (or preview) that ``view`` shows."""
    slug = view.course.slug
    if view.preview:
        return reverse(
            "courses:preview-item", kwargs={"slug": slug, "revision": view.revision.pk, "key": key}
        )
    return reverse("courses:item-detail", kwargs={"slug": slug, "key": key})


@register.simple_tag
def course_url(view) -> str:
    if view.preview:
        return reverse(
            "courses:preview-course",
            kwargs={"slug": view.course.slug, "revision": view.revision.pk},
        )
    return reverse("courses:course-detail", kwargs={"slug": view.course.slug})


@register.simple_tag
def pick(mapping) -> str:
    """The text of a language map in the page's language, with the format's fallback."""
    text, _used = pick_text(mapping or {}, get_language() or settings.LANGUAGE_CODE)
    return text or ""


@register.simple_tag(takes_context=True)
def pick_with_language(context, mapping, used_name: str = "used") -> str:
    text, used = pick_text(mapping or {}, get_language() or settings.LANGUAGE_CODE)
    context[used_name] = used
    return text or ""


@register.simple_tag
def language_name(code: str) -> str:
    """A language's name in the page's language (Kyrgyz, Russian, English)."""
    names = dict(settings.LANGUAGES)
    if code in names:
        return str(names[code])
    return get_language_info(code)["name_translated"] if code else ""


@register.filter
def unwrap_paragraph(html: str) -> str:
    """Drop a single <p> wrapper so a short text fits inside a legend or a label."""
    stripped = (html or "").strip()
    if stripped.startswith("<p>") and stripped.endswith("</p>") and stripped.count("<p>") == 1:
        return stripped[3:-4]
    return stripped
