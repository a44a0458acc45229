"""Lessons: a folder of ``<language>.md`` files, each with front matter and a Markdown body."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from courses.content import messages as M
from courses.content.context import CourseContext, Target
from courses.content.diagnostics import FileReport, Where
from courses.content.languages import LANGUAGE_NAMES, LANGUAGES, fallback_language
from courses.content.parsed import Lesson, LessonText, Rendered
from courses.content.render import RENDER_VERSION, render_markdown
from courses.content.scan import (
    find_external_images,
    find_h1,
    find_links,
    find_unsafe_html,
    mask_code,
    position,
    split_front_matter,
)
from courses.content.schema import Checker
from courses.content.sourcefile import read_text
from courses.content.variants import narrow_path
from courses.content.widgets import check_widgets
from courses.content.yamlsrc import YKey, YMap, load_yaml

FRONT_MATTER_KEYS = ("title", "summary", "objectives", "keywords")
_LANGUAGE_LIKE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")


def read_lesson(
    ctx: CourseContext, *, item_id: str, folder: Path, course_path: str, at: Where
) -> Lesson:
    """Read every language file of the lesson folder ``course_path`` (named at ``at``)."""
    course_yaml = ctx.report.file(ctx.display("course.yaml"))
    for child in sorted(folder.iterdir()):
        stem = child.stem
        if child.suffix == ".md" and stem not in LANGUAGES and _LANGUAGE_LIKE.match(stem):
            file_report = ctx.report.file(ctx.display(f"{course_path}/{child.name}"))
            Checker(file_report).language_code(YKey(stem, 1, 1), child.name)
    texts: dict[str, LessonText] = {}
    missing: list[str] = []
    for lang in ctx.langs.languages:
        path = folder / f"{lang}.md"
        if not path.exists() and not path.is_symlink():
            missing.append(lang)
            continue
        text = read_lesson_text(
            ctx, path=path, course_path=f"{course_path}/{lang}.md", base=course_path, language=lang
        )
        if text is not None:
            texts[lang] = text
    fallbacks: dict[str, str] = {}
    present = frozenset(texts)
    for lang in missing:
        fallback = fallback_language(lang, present)
        if fallback is not None:
            fallbacks[lang] = fallback
        file = f"{lang}.md"
        if lang == ctx.langs.default:
            course_yaml("E005", M.MISSING_FILE_DEFAULT, at, item=item_id, file=file)
        else:
            template = M.MISSING_FILE if fallback else M.MISSING_FILE_NO_FALLBACK
            name = LANGUAGE_NAMES.get(fallback or "", "")
            course_yaml("W101", template, at, item=item_id, file=file, fallback=name)
    return Lesson(id=item_id, path=ctx.display(course_path), texts=texts, fallbacks=fallbacks)


def read_lesson_text(
    ctx: CourseContext, *, path: Path, course_path: str, base: str, language: str
) -> LessonText | None:
    display = ctx.display(course_path)
    report = ctx.report.file(display)
    source = read_text(path, display=display, report=report)
    if source is None:
        return None
    data, text = source
    split = split_front_matter(text)
    fields: YMap | None = None
    if split.problem == "missing":
        report("E012", M.FRONT_MATTER_MISSING, (1, 1))
    elif split.problem == "unclosed":
        report("E012", M.FRONT_MATTER_UNCLOSED, (1, 1))
    else:
        before = report.count()
        node = load_yaml(split.front or "", report=report, line_offset=split.front_line - 1)
        if isinstance(node, YMap):
            fields = node
        elif node is not None or report.count() == before:
            report("E012", M.FRONT_MATTER_NOT_MAP, (split.front_line, 1))
    checker = Checker(report, ctx.langs)
    title = summary = ""
    objectives: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    if fields is not None:
        checker.keys(fields, allowed=FRONT_MATTER_KEYS, required=("title",))
        title = checker.text(fields, "title", required=True) or ""
        summary = checker.text(fields, "summary") or ""
        objectives = tuple(v for v, _ in checker.text_list(fields, "objectives"))
        keywords = tuple(v for v, _ in checker.text_list(fields, "keywords"))

    targets = _check_body(ctx, report, split.body, split.body_line, base=base, language=language)
    source_hash = hashlib.sha256(data).hexdigest()
    key_material = "\0".join(
        [
            RENDER_VERSION,
            language,
            source_hash,
            *sorted(f"{url}\t{target.url}" for url, target in targets.items()),
        ]
    )
    render_key = hashlib.sha256(key_material.encode()).hexdigest()
    assets = tuple(sorted({t.asset.path for t in targets.values() if t.asset is not None}))
    rendered = _render(
        ctx, split.body, render_key, source_hash, base=base, language=language, targets=targets
    )
    return LessonText(
        language=language,
        path=display,
        title=title,
        summary=summary,
        objectives=objectives,
        keywords=keywords,
        source_hash=source_hash,
        html=rendered.html,
        toc=rendered.toc,
        word_count=rendered.word_count,
        reading_minutes=rendered.reading_minutes,
        render_key=render_key,
        assets=assets,
    )


def _check_body(
    ctx: CourseContext,
    report: FileReport,
    body: str,
    first_line: int,
    *,
    base: str,
    language: str,
) -> dict[str, Target]:
    """W102, W103, E013 and widgets (E004) for a body; returns the resolved target of every
    link."""
    check_widgets(report, body, first_line)
    masked = mask_code(body)
    links = find_links(masked)
    for found in find_h1(masked):
        report("W102", M.H1_IN_BODY, position(body, found.offset, first_line), hint=M.H1_HINT)
    for found in find_unsafe_html(masked, links):
        at = position(body, found.offset, first_line)
        if found.kind == "tag":
            report("W103", M.RAW_TAG, at, tag=found.value)
        elif found.kind == "attribute":
            report("W103", M.RAW_ATTRIBUTE, at, attr=found.value)
        else:
            report("W103", M.RAW_URL, at, scheme=found.value)
    for found in find_external_images(masked):
        at = position(body, found.offset, first_line)
        report("W103", M.EXTERNAL_IMAGE, at, hint=M.EXTERNAL_IMAGE_HINT, url=found.value)
    targets: dict[str, Target] = {}
    for link in links:
        target = targets.get(link.value) or ctx.resolve(link.value, base=base, language=language)
        targets[link.value] = target
        at = position(body, link.offset, first_line)
        if target.problem is not None:
            target.problem.report(report, at)
        narrow = _narrow(ctx, targets, link.value, base=base, language=language)
        if narrow is not None and narrow[1].problem is not None:
            narrow[1].problem.report(report, at)
    return targets


def _narrow(
    ctx: CourseContext, targets: dict[str, Target], url: str, *, base: str, language: str
) -> tuple[str, Target] | None:
    """The narrow variant of the image ``url`` (`courses.content.variants`), as a URL beside
    it and its target, when the course has one for ``language``; the target joins ``targets``
    so that the render key covers it. A narrow file that exists but cannot be published comes
    back with its problem."""
    target = targets.get(url)
    if target is None or target.asset is None or not target.asset.media_type.startswith("image/"):
        return None
    narrow_url = narrow_path(url)
    if narrow_url is None:
        return None
    narrow = targets.get(narrow_url) or ctx.resolve(narrow_url, base=base, language=language)
    if narrow.asset is None and (narrow.problem is None or narrow.problem.code == "E013"):
        return None  # no narrow variant (E013: it does not exist)
    targets[narrow_url] = narrow
    return narrow_url, narrow


def _render(
    ctx: CourseContext,
    body: str,
    render_key: str,
    source_hash: str,
    *,
    base: str,
    language: str,
    targets: dict[str, Target],
) -> Rendered:
    if not ctx.render:
        return Rendered("", (), 0, 0, render_key)
    cached = ctx.render_cache.get(source_hash) if ctx.render_cache is not None else None
    if cached is not None and cached.render_key == render_key:
        return cached

    def rewrite(url: str) -> str | None:
        target = targets.get(url)
        if target is None:
            target = targets[url] = ctx.resolve(url, base=base, language=language)
        return target.url

    def narrow_for(src: str) -> str | None:
        if src not in targets:
            rewrite(src)
        found = _narrow(ctx, targets, src, base=base, language=language)
        return found[0] if found is not None and found[1].asset is not None else None

    output = render_markdown(body, language=language, rewrite_url=rewrite, narrow_url=narrow_for)
    return Rendered(output.html, output.toc, output.word_count, output.reading_minutes, render_key)
