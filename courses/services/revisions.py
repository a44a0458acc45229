"""Writing one parsed course as a new revision, and publishing it."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags

from courses.content import GlossaryTerm as ParsedTerm
from courses.content import ParsedCourse, Quiz
from courses.content.glossary_links import link_glossary_terms
from courses.content.labdata import Lab, lab_payload
from courses.content.translations import CourseTranslations
from courses.models import (
    Asset,
    Course,
    CourseRevision,
    GlossaryTerm,
    ImportRun,
    Item,
    ItemText,
    Module,
    RevisionItem,
)
from courses.services.search_index import search_index_write

KEEP_OLD_REVISIONS = 5  # earlier published revisions kept per course, besides live and previews


def glossary_href(key: str) -> str:
    """Relative to a lesson at /<lang>/courses/<slug>/<item>/, in a preview as well."""
    return f"../glossary/{key}/"


def quiz_payload(quiz: Quiz) -> dict:
    """Everything the quiz pages and grading need. Never sent to a browser as it is."""
    return {
        "title": quiz.title,
        "pass_threshold": quiz.pass_threshold,
        "max_attempts": quiz.max_attempts,
        "shuffle_options": quiz.shuffle_options,
        "answer_keys": quiz.answer_keys(),
        "questions": [
            {
                "id": q.id,
                "type": q.type,
                "points": q.points,
                "prompt_html": q.prompt_html,
                "explanation_html": q.explanation_html,
                "scoring": q.scoring,
                "answer": q.answer,
                "tolerance": q.tolerance,
                "accept": {lang: list(values) for lang, values in q.accept.items()},
                "options": [
                    {
                        "id": o.id,
                        "correct": o.correct,
                        "text_html": o.text_html,
                        "explanation_html": o.explanation_html,
                    }
                    for o in q.options
                ],
            }
            for q in quiz.questions
        ],
    }


def _store_assets(parsed: ParsedCourse) -> None:
    assets = {asset.sha256: asset for asset in parsed.assets.values()}
    if parsed.cover:
        assets[parsed.cover.sha256] = parsed.cover
    known = set(Asset.objects.filter(sha256__in=assets).values_list("sha256", flat=True))
    Asset.objects.bulk_create(
        [
            Asset(sha256=a.sha256, media_type=a.media_type, size=a.size, data=a.data)
            for sha, a in assets.items()
            if sha not in known
        ],
        ignore_conflicts=True,
    )


def _items(course: Course, parsed: ParsedCourse) -> dict[str, Item]:
    existing = {item.key: item for item in course.items.all()}
    Item.objects.bulk_create(
        [
            Item(course=course, key=spec.id, type=spec.type)
            for spec in parsed.items
            if spec.id not in existing
        ]
    )
    return {item.key: item for item in course.items.all()}


def _archive_missing(course: Course, parsed: ParsedCourse) -> None:
    keys = [spec.id for spec in parsed.items]
    course.items.filter(key__in=keys, archived_at__isnull=False).update(archived_at=None)
    course.items.filter(~Q(key__in=keys), archived_at__isnull=True).update(
        archived_at=timezone.now()
    )


def _prune(course: Course) -> None:
    old = (
        course.revisions.filter(is_preview=False, live_for__isnull=True)
        .order_by("-created_at")
        .values_list("pk", flat=True)[KEEP_OLD_REVISIONS:]
    )
    CourseRevision.objects.filter(pk__in=list(old)).delete()


@transaction.atomic
def course_revision_create(
    *,
    parsed: ParsedCourse,
    glossary: list[ParsedTerm],
    run: ImportRun | None,
    content_hash: str,
    publish: bool,
    translations: CourseTranslations | None = None,
) -> CourseRevision:
    """Write ``parsed`` as a new revision of its course; make it live when ``publish``. Each
    text keeps its ``translations`` status (by commit, from the import's Git history)."""
    course, _ = Course.objects.get_or_create(
        slug=parsed.slug, defaults={"source": run.source if run else None}
    )
    course = Course.objects.select_for_update().get(pk=course.pk)
    _store_assets(parsed)
    revision = CourseRevision.objects.create(
        course=course,
        import_run=run if run and run.pk else None,
        commit=run.commit if run else "",
        ref=run.ref if run else "",
        is_preview=not publish,
        content_hash=content_hash,
        languages=list(parsed.languages),
        default_language=parsed.default_language,
        title=parsed.title,
        description_html=parsed.description_html,
        level=parsed.level,
        estimated_minutes=parsed.estimated_minutes,
        tags=list(parsed.tags),
        topic_names=parsed.topic_names,
        objectives={lang: list(texts) for lang, texts in parsed.objectives.items()},
        pass_threshold=parsed.pass_threshold,
        certificate={
            "enabled": parsed.certificate.enabled,
            "require": list(parsed.certificate.require),
            "min_average_score": parsed.certificate.min_average_score,
            "title": parsed.certificate.title,
        },
        cover_id=parsed.cover.sha256 if parsed.cover else None,
        lesson_count=len(parsed.lessons),
        quiz_count=len(parsed.quizzes),
        lab_count=len(parsed.labs),
    )
    items = _items(course, parsed)
    revision_items: list[RevisionItem] = []
    position = 0
    for module_position, module_spec in enumerate(parsed.modules):
        module = Module.objects.create(
            revision=revision, key=module_spec.id, position=module_position, title=module_spec.title
        )
        for spec in module_spec.items:
            quiz = parsed.quizzes.get(spec.id) if spec.type == "quiz" else None
            lab = parsed.labs.get(spec.id) if spec.type == "lab" else None
            revision_items.append(
                RevisionItem(
                    revision=revision,
                    item=items[spec.id],
                    module=module,
                    position=position,
                    minutes=spec.minutes,
                    path=spec.path,
                    quiz=quiz_payload(quiz) if quiz else None,
                    lab=lab_payload(lab) if lab else None,
                )
            )
            position += 1
    RevisionItem.objects.bulk_create(revision_items)
    by_key = {ri.item.key: ri for ri in revision_items}
    texts: list[ItemText] = []
    for lesson_id, lesson in parsed.lessons.items():
        for language, text in lesson.texts.items():
            terms = [(t.id, t.term[language]) for t in glossary if t.term.get(language)]
            texts.append(
                ItemText(
                    revision_item=by_key[lesson_id],
                    language=language,
                    title=text.title[:300],
                    summary=text.summary,
                    html=link_glossary_terms(text.html, terms, href=glossary_href),
                    toc=[{"id": e.id, "title": e.title, "level": e.level} for e in text.toc],
                    objectives=list(text.objectives),
                    keywords=list(text.keywords),
                    word_count=text.word_count,
                    reading_minutes=text.reading_minutes,
                    source_hash=text.source_hash,
                    render_key=text.render_key,
                    translation=translations.as_json(lesson_id, language) if translations else {},
                )
            )
    graded_items: dict[str, Quiz | Lab] = {**parsed.quizzes, **parsed.labs}
    for graded_id, graded in graded_items.items():
        for language, title in graded.title.items():
            texts.append(
                ItemText(
                    revision_item=by_key[graded_id],
                    language=language,
                    title=title[:300],
                    source_hash=graded.source_hash,
                    translation=translations.as_json(graded_id, language) if translations else {},
                )
            )
    ItemText.objects.bulk_create(texts)
    revision.coverage = {
        language: sum(1 for text in texts if text.language == language)
        for language in parsed.languages
    }
    revision.search_text = {
        language: " ".join(
            part for part in (parsed.title.get(language, ""), strip_tags(html)) if part
        ).casefold()
        for language, html in {
            lang: parsed.description_html.get(lang, "") for lang in parsed.languages
        }.items()
    }
    revision.save(update_fields=["coverage", "search_text"])
    GlossaryTerm.objects.bulk_create(
        [
            GlossaryTerm(
                revision=revision, key=t.id, term=t.term, definition_html=t.definition_html
            )
            for t in glossary
        ]
    )
    search_index_write(revision=revision)
    if publish:
        course.live_revision = revision
        course.save(update_fields=["live_revision"])
        _archive_missing(course, parsed)
        _prune(course)
    return revision
