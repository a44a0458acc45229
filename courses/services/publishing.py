"""Importing a course repository: check out, read, check against history, publish atomically.

`import_run_execute` is the one entry point: the management command, the Celery task (push
webhooks, the admin's "re-import now" and previews) all call it. Any error leaves every
course, revision, item and asset exactly as it was; the `ImportRun` records what happened.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db import transaction
from django.utils import timezone

from courses.content import (
    Diagnostic,
    ParsedCourse,
    ParsedRepository,
    changed_answer_keys,
    changed_item_types,
    course_stale_translations,
    gettext_noop,
    parse_repository,
    removed_items_with_progress,
    sort_diagnostics,
)
from courses.content.git import Checkout, Commit, GitError, NoHistory, checkout, peek, read_history
from courses.content.gitancestry import ZERO, commit_is_ancestor
from courses.content.render import RENDER_VERSION
from courses.content.translations import CourseTranslations, course_translations, paths_root
from courses.models import CourseSource, ImportRun, WebhookDelivery
from courses.selectors.history import (
    RenderCache,
    course_item_types,
    course_live_answer_keys,
    course_progress_counts,
    courses_live_commits,
    import_already_live,
)
from courses.selectors.sources import delivery_for_run, source_live_commit
from courses.services.import_mail import import_run_reports
from courses.services.revisions import course_revision_create
from lms.outbox import enqueue_on_commit

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]

UNEXPECTED = gettext_noop("The import failed unexpectedly: %(error)s")
OLDER_THAN_LIVE = (
    "commit %(commit)s is older than the live commit %(live)s (one of its ancestors) and the "
    "push was not forced: a replayed or reordered delivery; nothing was imported"
)


def asset_url(sha256: str, filename: str) -> str:
    return f"/assets/{sha256}/{quote(filename)}"


def item_url(item_id: str) -> str:
    """Lessons are served at /<lang>/courses/<slug>/<item>/: a sibling is ../<id>/ in any
    language, in the live course and in a preview alike."""
    return f"../{item_id}/"


@dataclass
class ImportOutcome:
    run: ImportRun
    diagnostics: list[Diagnostic] = field(default_factory=list)
    courses: list[ParsedCourse] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.run.status in (ImportRun.Status.SUCCEEDED, ImportRun.Status.UNCHANGED)


def diagnostic_as_dict(diagnostic: Diagnostic) -> dict:
    return {
        "path": diagnostic.path,
        "line": diagnostic.line,
        "col": diagnostic.col,
        "severity": diagnostic.severity,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
        "template": diagnostic.template,
        "hint_template": diagnostic.hint_template,
        "params": diagnostic.params_dict(),
    }


def git_error_diagnostic(error: GitError, source: str) -> Diagnostic:
    return Diagnostic(
        path=source,
        line=1,
        col=1,
        severity="error",
        code="E009",
        message=str(error),
        template=error.template,
        params=tuple(error.params.items()),
    )


def content_hash(
    course: ParsedCourse,
    repository: ParsedRepository,
    translations: CourseTranslations | None = None,
) -> str:
    """Everything that would make a new revision differ from an old one (the translations'
    status included, so a revision imported without it is replaced by the next import)."""
    payload = {
        "course": course.source_hash,
        "lessons": {
            lesson_id: {lang: text.render_key for lang, text in sorted(lesson.texts.items())}
            for lesson_id, lesson in sorted(course.lessons.items())
        },
        "quizzes": {quiz_id: quiz.source_hash for quiz_id, quiz in sorted(course.quizzes.items())},
        "assets": sorted(asset.sha256 for asset in course.assets.values()),
        "glossary": [[t.id, t.term, t.definition] for t in repository.glossary],
        "translations": [
            [t.item, t.language, t.state, t.change.sha if t.change else ""]
            for t in (translations.texts if translations else ())
        ],
    }
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def history_diagnostics(
    course: ParsedCourse, translations: CourseTranslations | None
) -> list[Diagnostic]:
    """The checks that need the database or Git history (E007 type change, W104–W106)."""
    found = changed_item_types(course=course, previous_types=course_item_types(slug=course.slug))
    found += removed_items_with_progress(
        course=course, progress_counts=course_progress_counts(slug=course.slug)
    )
    found += changed_answer_keys(
        course=course, previous_keys=course_live_answer_keys(slug=course.slug)
    )
    if translations is not None:
        found += course_stale_translations(translations=translations)
    return found


def import_run_create(
    *,
    location: str,
    ref: str = "",
    preview: bool = False,
    trigger: str = ImportRun.Trigger.COMMAND,
    source: CourseSource | None = None,
    requested_by: str = "",
    branch: str = "",
) -> ImportRun:
    return ImportRun.objects.create(
        location=location,
        ref=ref,
        preview=preview,
        trigger=trigger,
        source=source,
        requested_by=requested_by,
        branch=branch,
    )


def _finish(run: ImportRun, status: str, diagnostics: list[Diagnostic], started: float) -> None:
    """Record the outcome; in the same transaction, queue the e-mail to the people
    responsible for a push (`import_mail`) and, after a preview, the cleanup of old ones."""
    run.status = status
    run.diagnostics = [diagnostic_as_dict(d) for d in sort_diagnostics(diagnostics)]
    run.finished_at = timezone.now()
    run.duration_ms = int((time.monotonic() - started) * 1000)
    if not run.pk:
        return
    with transaction.atomic():
        run.save()
        if import_run_reports(run=run):
            enqueue_on_commit("courses.import_run_notify", run.pk)
        if run.preview and run.source_id and status == ImportRun.Status.SUCCEEDED:
            enqueue_on_commit("courses.previews_prune", run.source_id)


def import_run_execute(
    *, run: ImportRun, dry_run: bool = False, progress: Progress | None = None
) -> ImportOutcome:
    """Import the repository ``run`` names. With ``dry_run`` nothing is written at all."""
    report = progress or (lambda stage, done, total: None)
    started = time.monotonic()
    run.status = ImportRun.Status.RUNNING
    run.started_at = timezone.now()
    if run.pk and not dry_run:
        run.save(update_fields=["status", "started_at"])
    outcome = ImportOutcome(run=run)
    try:
        return _execute(run, outcome, dry_run=dry_run, report=report, started=started)
    except Exception as error:
        logger.exception("import %s of %s failed unexpectedly", run.pk, run.location)
        outcome.diagnostics = [
            Diagnostic(
                path=run.location, line=1, col=1, severity="error", code="E000",
                message=UNEXPECTED % {"error": error}, template=UNEXPECTED,
                params=(("error", str(error)),),
            )
        ]  # fmt: skip
        _finish(run, ImportRun.Status.FAILED, outcome.diagnostics, started)
        return outcome


def _already_live(run: ImportRun, commit: Commit, started: float) -> bool:
    """Record ``commit`` on the run; when it is live already (and rendered by this renderer),
    finish the run as unchanged with the summary of the import that published it."""
    run.commit = commit.sha
    run.commit_author = commit.author[:255]
    run.commit_message = commit.message[:500]
    run.committed_at = commit.committed_at
    if run.preview or not import_already_live(
        location=run.location, commit=commit.sha, render_version=RENDER_VERSION
    ):
        return False
    previous = (
        ImportRun.objects.filter(location=run.location, commit=commit.sha)
        .exclude(pk=run.pk)
        .order_by("-finished_at")
        .first()
    )
    run.summary = dict(previous.summary) if previous else {}
    _finish(run, ImportRun.Status.UNCHANGED, [], started)
    return True


def _older_than_live(run: ImportRun, checked_out: Checkout) -> str:
    """Why a push's commit must not be published: it is an ancestor of the live commit (a
    replayed or reordered delivery) and the push was not forced, as its delivery says or as
    Git shows (its previous commit is not an ancestor of it). "" to go on. The webhook asked
    Git first; this asks again in the full clone, so no delivery rolls a course back."""
    if run.preview or run.trigger != ImportRun.Trigger.WEBHOOK or run.source is None:
        return ""
    delivery = delivery_for_run(run=run)
    live = source_live_commit(source=run.source)
    if delivery is None or delivery.forced or not live or live == run.commit:
        return ""
    if commit_is_ancestor(checked_out.path, run.commit, live) is not True:
        return ""
    before = delivery.before
    if (
        before
        and before not in ZERO
        and commit_is_ancestor(checked_out.path, before, run.commit) is False
    ):
        return ""
    return OLDER_THAN_LIVE % {"commit": run.commit[:10], "live": live[:10]}


def _refuse(run: ImportRun, reason: str, started: float) -> None:
    run.summary = {"refused": reason}
    with transaction.atomic():
        _finish(run, ImportRun.Status.REFUSED, [], started)
        WebhookDelivery.objects.filter(import_run=run).update(
            outcome=WebhookDelivery.Outcome.REFUSED, reason=reason[:500]
        )


def _execute(
    run: ImportRun, outcome: ImportOutcome, *, dry_run: bool, report: Progress, started: float
) -> ImportOutcome:
    try:
        report("checkout", 0, 1)
        # A local repository is read in place first: when its commit is live already, the
        # import needs no clone.
        peeked = peek(run.location, run.ref or None)
        if peeked is not None and _already_live(run, peeked, started):
            return outcome
        with checkout(run.location, run.ref or None) as checked_out:
            if _already_live(run, checked_out.commit, started):
                return outcome
            refusal = "" if dry_run else _older_than_live(run, checked_out)
            if refusal:
                _refuse(run, refusal, started)
                return outcome
            report("read", 0, 1)
            parsed = parse_repository(
                checked_out.path,
                asset_url=asset_url,
                item_url=item_url,
                render_cache=RenderCache(),
            )
            diagnostics = list(parsed.diagnostics)
            translations: dict[str, CourseTranslations] = {}
            if parsed.ok:
                report("check", 0, 1)
                history = read_history(paths_root(checked_out.path))
                for course in parsed.courses:
                    translations[course.slug] = course_translations(
                        course=course, history=None if isinstance(history, NoHistory) else history
                    )
                    diagnostics += history_diagnostics(course, translations[course.slug])
    except GitError as error:
        outcome.diagnostics = [git_error_diagnostic(error, run.location)]
        _finish(run, ImportRun.Status.FAILED, outcome.diagnostics, started)
        return outcome

    outcome.diagnostics = sort_diagnostics(diagnostics)
    outcome.courses = parsed.courses
    hashes = {
        course.slug: content_hash(course, parsed, translations.get(course.slug))
        for course in parsed.courses
    }
    run.summary = {
        "render_version": RENDER_VERSION,
        "courses": [course.slug for course in parsed.courses],
        "items": sum(len(course.items) for course in parsed.courses),
        "languages": sorted({lang for course in parsed.courses for lang in course.languages}),
        "warnings": sum(1 for d in outcome.diagnostics if not d.is_error),
        "errors": sum(1 for d in outcome.diagnostics if d.is_error),
        "default_languages": {course.slug: course.default_language for course in parsed.courses},
    }
    if any(d.is_error for d in outcome.diagnostics):
        _finish(run, ImportRun.Status.FAILED, outcome.diagnostics, started)
        return outcome
    if not parsed.courses:
        _finish(run, ImportRun.Status.FAILED, outcome.diagnostics, started)
        return outcome

    live = courses_live_commits(slugs=hashes)
    unchanged = not run.preview and all(
        live.get(slug) == (run.commit, digest) for slug, digest in hashes.items()
    )
    if dry_run or unchanged:
        status = ImportRun.Status.UNCHANGED if unchanged else ImportRun.Status.SUCCEEDED
        _finish(run, status, outcome.diagnostics, started)
        return outcome

    with transaction.atomic():
        for position, course in enumerate(parsed.courses):
            report("publish", position, len(parsed.courses))
            revision = course_revision_create(
                parsed=course,
                glossary=parsed.glossary,
                run=run,
                content_hash=hashes[course.slug],
                publish=not run.preview,
                translations=translations.get(course.slug),
            )
            run.summary.setdefault("revisions", {})[course.slug] = revision.pk
        report("publish", len(parsed.courses), len(parsed.courses))
        _finish(run, ImportRun.Status.SUCCEEDED, outcome.diagnostics, started)
    logger.info("import %s of %s at %s: %s", run.pk, run.location, run.commit, run.status)
    return outcome
