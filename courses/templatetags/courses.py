import re

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info

from courses.content import pick_text

register = template.Library()

# The outline of a course is the same for everyone but the learner's state of each item. It is
# rendered once per revision, language and address with slots in place of that state, and
# kept in this process (the rendered HTML depends on the code as well as on the revision);
# every request fills the slots.
SLOT = re.compile(r"<!--slot:(\d+):([a-z_]+)-->")
FRAGMENTS_SIZE = 64
_fragments: dict[tuple[str, str, str], tuple[tuple[str, ...], tuple[tuple[int, str], ...]]] = {}
_badges: dict[tuple[str, str, int | None], str] = {}
CURRENT_CLASS = " current"
CURRENT_ATTRIBUTE = mark_safe(' aria-current="page"')


def _slot(index: int, name: str) -> SafeString:
    return mark_safe(f"<!--slot:{index}:{name}-->")  # noqa: S308 - a fixed comment


def _outline_fragments(view) -> tuple[tuple[str, ...], tuple[tuple[int, str], ...]]:
    """The outline's HTML cut at its slots: literal parts, and (item index, slot) between them."""
    key = (view.outline.key, view.language, view.base_url)
    found = _fragments.get(key)
    if found is not None:
        return found
    modules: list[dict] = [{"title": title, "items": []} for _key, title in view.outline.modules]
    for entry in view.outline.entries:
        modules[entry.module]["items"].append(
            {"title": entry.title, "url": f"{view.base_url}{entry.key}/", "minutes": entry.minutes,
             "is_quiz": entry.is_quiz, "state": _slot(entry.index, "state"),
             "current": _slot(entry.index, "current"),
             "current_attribute": _slot(entry.index, "current_attribute"),
             "badge": _slot(entry.index, "badge")}
        )  # fmt: skip
    with translation.override(view.language):
        html = render_to_string("courses/_outline.html", {"modules": modules})
    parts = SLOT.split(html)
    found = (
        tuple(parts[0::3]),
        tuple((int(index), name) for index, name in zip(parts[1::3], parts[2::3], strict=True)),
    )
    if not settings.DEBUG:  # in development a changed template shows at once
        if len(_fragments) >= FRAGMENTS_SIZE:
            _fragments.clear()
        _fragments[key] = found
    return found


def _badge(language: str, state: str, best_score: int | None) -> str:
    key = (language, state, best_score)
    found = _badges.get(key)
    if found is None:
        with translation.override(language):
            found = render_to_string(
                "courses/_outline_badge.html", {"state": state, "best_score": best_score}
            )
        _badges[key] = found
    return found


@register.simple_tag
def outline(view, current=None) -> SafeString:
    """The outline of ``view`` (a CourseView) with the learner's state of every item and the
    item ``current`` (an OutlineItem) marked as the page the learner is on."""
    literals, slots = _outline_fragments(view)
    entries = view.outline.entries
    progress = view.progress_by_item
    states = [view.state_of(entry) for entry in entries]
    at = current.entry.index if current is not None else -1
    parts = [literals[0]]
    for (index, name), literal in zip(slots, literals[1:], strict=True):
        if name == "state":
            parts.append(states[index])
        elif name == "current":
            parts.append(CURRENT_CLASS if index == at else "")
        elif name == "current_attribute":
            parts.append(CURRENT_ATTRIBUTE if index == at else "")
        elif states[index] != "not_started":  # the badge
            found = progress.get(entries[index].item_id)
            parts.append(_badge(view.language, states[index], found and found.best_score))
        parts.append(literal)
    return mark_safe("".join(parts))  # noqa: S308 - rendered by templates, filled with the above


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
