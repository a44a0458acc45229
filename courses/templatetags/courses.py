import dataclasses
from dataclasses import dataclass

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info

from courses.content import pick_text
from courses.templatetags.slots import Cut, page_kept, rendered_once, slot

register = template.Library()

CURRENT_CLASS = " current"
CURRENT_ATTRIBUTE = mark_safe(' aria-current="page"')
OUTLINE_BLANK = {"state": "not_started", "current": "", "current_attribute": "", "badge": ""}
_badges: dict[tuple[str, str, int | None], str] = {}


def _outline_context(view) -> dict:
    """What `_outline.html` renders for everyone: titles and addresses, with slots for the
    learner's state of each item."""
    modules: list[dict] = [{"title": title, "items": []} for _key, title in view.outline.modules]
    for entry in view.outline.entries:
        modules[entry.module]["items"].append(
            {"title": entry.title, "url": f"{view.base_url}{entry.key}/", "minutes": entry.minutes,
             "is_quiz": entry.is_quiz, "is_lab": entry.is_lab,
             "state": slot(f"state:{entry.index}"),
             "current": slot(f"current:{entry.index}"),
             "current_attribute": slot(f"current_attribute:{entry.index}"),
             "badge": slot(f"badge:{entry.index}")}
        )  # fmt: skip
    return {"modules": modules}


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
    item ``current`` (an OutlineItem) marked as the page the learner is on. Rendered once per
    revision, language and address; filled in here, on every request."""
    part = rendered_once(
        ("outline", view.outline.key, view.language, view.base_url),
        "courses/_outline.html",
        lambda: _outline_context(view),
    )
    values: dict[int, dict[str, str]] = {}
    entries = view.outline.entries
    index_of = view.outline.index_of_item
    for item_id, progress in view.progress_by_item.items():
        index = index_of.get(item_id)
        if index is None:  # not in this revision
            continue
        state = view.state_of(entries[index])
        if state != "not_started":
            badge = _badge(view.language, state, progress.best_score)
            values[index] = {"state": state, "badge": badge}
    if current is not None:
        values.setdefault(current.entry.index, {}).update(
            current=CURRENT_CLASS, current_attribute=CURRENT_ATTRIBUTE
        )
    return part.fill_by_index(OUTLINE_BLANK, values)


@dataclass(frozen=True)
class Reader:
    """Who reads a page, as far as the page's structure depends on it, and their progress (a
    slot when the page is rendered to be kept)."""

    authenticated: bool = False
    enrolled: bool = False
    done: bool = False  # the lesson of a lesson page
    completed: bool = False  # the course
    started: bool = False  # some item done
    progress: object = 0
    next_url: object = ""
    next_title: object = ""  # of the item "continue" leads to
    certificate: object = ""  # the link to it, for a completed course
    lessons_done: object = 0
    quizzes_passed: object = 0
    labs_passed: object = 0
    average_score: object = ""


LEARNER_SLOTS = ("progress", "next_url", "next_title", "certificate", "lessons_done",
                 "quizzes_passed", "labs_passed", "average_score")  # fmt: skip


def _slotted(reader: Reader, slots: dict[str, SafeString]) -> Reader:
    """``reader`` as a page rendered to be kept may see it: its kind (signed in, enrolled,
    done...) and, wherever a value of the learner goes, a slot that each request fills."""
    values = {name: slots[name] for name in LEARNER_SLOTS if name in slots}
    return dataclasses.replace(reader, **values)


@dataclass(frozen=True)
class _Address:
    """All a page rendered to be kept knows of the request."""

    path: str

    def get_full_path(self) -> str:
        return self.path


def _as_visitor(view):
    """An ItemView of the same page that knows no learner: what a kept page is rendered from."""
    course = dataclasses.replace(
        view.course, enrollment=None, progress_by_item={}, certificate=None, _items={}
    )
    at = view.current.entry.index
    return dataclasses.replace(
        view,
        course=course,
        current=course.item_at(at),
        previous=course.item_at(at - 1) if view.previous else None,
        next=course.item_at(at + 1) if view.next else None,
        attempt_count=0,
    )


def _item_reader(request, view) -> Reader:
    course = view.course
    enrolled = course.enrollment is not None
    return Reader(
        authenticated=request.user.is_authenticated,
        enrolled=enrolled,
        done=view.current.state == "done",
        progress=course.progress if enrolled else 0,
    )


def _item_part(view, reader: Reader, path: str) -> Cut:
    """A lesson's content (`_item_content.html`), rendered once per revision, page, language
    and kind of reader from a view that knows no learner."""

    def kept_context() -> dict:
        visitor = _as_visitor(view)
        return {
            "view": visitor,
            "course": visitor.course,
            "learner": dataclasses.replace(reader, progress=slot("progress")),
            "outline": slot("outline"),
            "csrf_token": slot("csrf_token"),
            "request": _Address(path=path),
            "LANGUAGE_CODE": view.course.language,
        }

    course = view.course
    key = ("item", course.outline.key, course.language, path,
           reader.authenticated, reader.enrolled, reader.done)  # fmt: skip
    return rendered_once(key, "courses/_item_content.html", kept_context)


def _item_values(request, view, reader: Reader) -> dict:
    return {
        "progress": str(reader.progress),
        "outline": lambda: outline(view.course, view.current),
        "csrf_token": lambda: escape(get_token(request)),
    }


ITEM_SLOTS = {"progress": slot("progress"), "outline": slot("outline"),
              "csrf_token": slot("csrf_token")}  # fmt: skip


@register.simple_tag(takes_context=True)
def item_content(context) -> SafeString:
    """The content of a lesson or quiz page (`_item_content.html`).

    A lesson's is rendered once per revision, page, language and kind of reader (visitor,
    signed in, enrolled, lesson done) from a view that knows no learner, and filled in with
    the reader's progress, outline and CSRF token on every request. A quiz's differs per
    learner (the order of options, the attempts) and is rendered on every request. In a page
    rendered to be kept whole (`item_page_kept`) the slots stay slots."""
    request = context["request"]
    view = context["view"]
    kept_reader = context.get("kept_reader")
    if kept_reader is not None and not view.current.is_graded:
        return _item_part(view, kept_reader, request.path).fill(ITEM_SLOTS)
    if kept_reader is not None:  # a quiz's page kept whole (`quiz_pages.quiz_page_kept`)
        with context.push(learner=kept_reader, outline=ITEM_SLOTS["outline"]):
            return context.template.engine.get_template("courses/_item_content.html").render(
                context
            )
    reader = _item_reader(request, view)
    if view.current.is_graded:
        with context.push(learner=reader, outline=outline(view.course, view.current)):
            return context.template.engine.get_template("courses/_item_content.html").render(
                context
            )
    return _item_part(view, reader, request.path).fill(_item_values(request, view, reader))


def item_page_kept(request, view) -> SafeString | None:
    """The whole page of a lesson (`item_detail.html`), from one rendered once per revision,
    page, language, kind of reader and layout (see `Layout`); None for a quiz, or when the
    request cannot be answered from a kept page."""
    if view.current.is_graded:
        return None
    reader = _item_reader(request, view)

    def context() -> dict:
        visitor = _as_visitor(view)
        kept_reader = _slotted(reader, ITEM_SLOTS)
        return {"view": visitor, "course": visitor.course, "kept_reader": kept_reader}

    course = view.course
    key = ("item page", course.outline.key, course.language, request.path,
           reader.authenticated, reader.enrolled, reader.done)  # fmt: skip
    return page_kept(
        request, key, "courses/item_detail.html", context, _item_values(request, view, reader)
    )


def _as_visitor_of_course(view):
    """A CourseView of the same course that knows no learner."""
    return dataclasses.replace(
        view, enrollment=None, progress_by_item={}, certificate=None, _items={}
    )


def _course_reader(request, view) -> Reader:
    enrolled = view.enrollment is not None
    progress = view.progress if enrolled else 0
    return Reader(
        authenticated=request.user.is_authenticated,
        enrolled=enrolled,
        completed=view.completed,
        started=bool(progress),
        progress=progress,
    )


def _course_part(view, reader: Reader, path: str) -> Cut:
    """A course page's content (`_course_content.html`), rendered once per revision, page,
    language and kind of reader from a view that knows no learner."""

    def kept_context() -> dict:
        return {
            "view": _as_visitor_of_course(view),
            "learner": dataclasses.replace(reader, **{name: slot(name) for name in LEARNER_SLOTS}),
            "outline": slot("outline"),
            "csrf_token": slot("csrf_token"),
            "request": _Address(path=path),
            "LANGUAGE_CODE": view.language,
        }

    key = ("course", view.outline.key, view.language, path, reader.authenticated,
           reader.enrolled, reader.completed, reader.started)  # fmt: skip
    return rendered_once(key, "courses/_course_content.html", kept_context)


def _course_values(request, view, reader: Reader) -> dict:
    def certificate() -> str:
        if view.certificate is None:
            return ""
        return render_to_string(
            "courses/_certificate_link.html",
            {"certificate": view.certificate, "languages": view.revision.languages},
        )

    requirements = view.requirements
    return {
        "progress": str(reader.progress),
        "next_url": lambda: escape(view.next_item.url),
        "next_title": lambda: escape(view.next_item.title),
        "certificate": certificate,
        "lessons_done": lambda: str(requirements.lessons_done),
        "quizzes_passed": lambda: str(requirements.quizzes_passed),
        "labs_passed": lambda: str(requirements.labs_passed),
        "average_score": lambda: escape(floatformat(requirements.average_score, 0)),
        "outline": lambda: outline(view),
        "csrf_token": lambda: escape(get_token(request)),
    }


COURSE_SLOTS = {name: slot(name) for name in (*LEARNER_SLOTS, "outline", "csrf_token")}


@register.simple_tag(takes_context=True)
def course_content(context) -> SafeString:
    """The content of a course page (`_course_content.html`), rendered once per revision,
    page, language and kind of reader (visitor, signed in, enrolled, started, completed) from
    a view that knows no learner, and filled in with the reader's progress, where to
    continue, requirements met, certificate link, outline and CSRF token on every request.
    In a page rendered to be kept whole (`course_page_kept`) the slots stay slots."""
    request = context["request"]
    view = context["view"]
    kept_reader = context.get("kept_reader")
    if kept_reader is not None:
        return _course_part(view, kept_reader, request.path).fill(COURSE_SLOTS)
    reader = _course_reader(request, view)
    return _course_part(view, reader, request.path).fill(_course_values(request, view, reader))


def course_page_kept(request, view) -> SafeString | None:
    """The whole course page (`course_detail.html`), from one rendered once per revision,
    page, language, kind of reader and layout; None when the request cannot be answered from
    a kept page."""
    reader = _course_reader(request, view)

    def context() -> dict:
        kept_reader = _slotted(reader, COURSE_SLOTS)
        return {"view": _as_visitor_of_course(view), "kept_reader": kept_reader}

    key = ("course page", view.outline.key, view.language, request.path, reader.authenticated,
           reader.enrolled, reader.completed, reader.started)  # fmt: skip
    return page_kept(
        request, key, "courses/course_detail.html", context, _course_values(request, view, reader)
    )


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
