"""The functional core for course content: read, validate, render and sanitise a course
repository. Plain data in, plain data out; nothing here imports Django.

    from courses.content import parse_repository, lint_path

    parsed = parse_repository("/srv/checkout", asset_url=..., item_url=...)
    if parsed.errors: ...            # reject the import, keep the last good revision
    for course in parsed.courses: ...

The repository format is specified in docs/course-format.md.
"""

from courses.content.answers import normalize_text_answer
from courses.content.context import default_asset_url, default_item_url
from courses.content.diagnostics import Diagnostic, Severity, gettext_noop, sort_diagnostics
from courses.content.history import (
    changed_answer_keys,
    changed_item_types,
    course_stale_translations,
    removed_items_with_progress,
    stale_translations,
)
from courses.content.languages import LANGUAGES, fallback_chain, pick_text
from courses.content.lint import lint_path
from courses.content.parsed import (
    Asset,
    CertificateConfig,
    GlossaryTerm,
    Item,
    Lesson,
    LessonText,
    Module,
    Option,
    ParsedCourse,
    ParsedRepository,
    Question,
    Quiz,
    Rendered,
    TocEntry,
)
from courses.content.render import render_fragment, render_markdown
from courses.content.repository import parse_repository
from courses.content.sanitize import sanitize_html

__all__ = [
    "LANGUAGES",
    "Asset",
    "CertificateConfig",
    "Diagnostic",
    "GlossaryTerm",
    "Item",
    "Lesson",
    "LessonText",
    "Module",
    "Option",
    "ParsedCourse",
    "ParsedRepository",
    "Question",
    "Quiz",
    "Rendered",
    "Severity",
    "TocEntry",
    "changed_answer_keys",
    "changed_item_types",
    "course_stale_translations",
    "default_asset_url",
    "default_item_url",
    "fallback_chain",
    "gettext_noop",
    "lint_path",
    "normalize_text_answer",
    "parse_repository",
    "pick_text",
    "removed_items_with_progress",
    "render_fragment",
    "render_markdown",
    "sanitize_html",
    "sort_diagnostics",
    "stale_translations",
]
