"""Reading a course repository from a local folder (already checked out).

A repository holds ``courses/<slug>/course.yaml`` for each course and optionally
``glossary/*.yaml``. `parse_repository` also accepts the folder of a single course.

Rendered HTML refers to lesson assets and other items through two hooks:
``asset_url(sha256, filename)`` and ``item_url(item_id)``. The defaults produce the
placeholders ``asset:<sha256>/<filename>`` and ``item:<item-id>``.

``render_cache`` maps a lesson file's ``source_hash`` to a previously `Rendered` result;
it is reused when its ``render_key`` still matches (same bytes, language, renderer version
and link targets), so unchanged lessons are not rendered again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from courses.content import messages as M
from courses.content.context import (
    AssetUrl,
    CourseContext,
    ItemUrl,
    default_asset_url,
    default_item_url,
)
from courses.content.course import CourseSpec, ItemSpec, read_course_spec
from courses.content.diagnostics import Report
from courses.content.glossary import read_glossary
from courses.content.labdata import Lab
from courses.content.labs import read_lab
from courses.content.languages import LANGUAGES
from courses.content.lessons import read_lesson
from courses.content.parsed import (
    Asset,
    Item,
    Lesson,
    Module,
    ParsedCourse,
    ParsedRepository,
    Quiz,
    Rendered,
)
from courses.content.paths import join_display, locate, normalize
from courses.content.quizzes import read_quiz
from courses.content.render import render_fragment
from courses.content.schema import Checker
from courses.content.sourcefile import read_yaml_map
from courses.content.variants import check_narrow_files


def parse_repository(
    path: str | Path,
    *,
    asset_url: AssetUrl = default_asset_url,
    item_url: ItemUrl = default_item_url,
    render_cache: Mapping[str, Rendered] | None = None,
) -> ParsedRepository:
    """Read, validate and render every course (and the glossary) under ``path``."""
    return read_repository(
        path, asset_url=asset_url, item_url=item_url, render_cache=render_cache, render=True
    )


def read_repository(
    path: str | Path,
    *,
    asset_url: AssetUrl = default_asset_url,
    item_url: ItemUrl = default_item_url,
    render_cache: Mapping[str, Rendered] | None = None,
    render: bool = True,
) -> ParsedRepository:
    """`parse_repository`, with ``render=False`` for checks only (no HTML is produced)."""
    report = Report()
    base = Path(path).absolute()
    course_dirs, repo_root, glossary_files = _discover(base, report)
    courses: list[ParsedCourse] = []
    for course_dir in course_dirs:
        course = _read_course(
            course_dir,
            repo_root,
            report,
            asset_url=asset_url,
            item_url=item_url,
            render_cache=render_cache,
            render=render,
        )
        if course is not None:
            courses.append(course)
    glossary = read_glossary(glossary_files, report=report, render=render)
    return ParsedRepository(courses=courses, glossary=glossary, diagnostics=report.sorted())


def _discover(base: Path, report: Report) -> tuple[list[Path], Path, list[tuple[Path, str]]]:
    """Find the course folders, the root that paths are shown relative to, and the glossary."""
    if (base / "course.yaml").exists() or (base / "course.yml").exists():
        root = base.parent.parent if base.parent.name == "courses" else base.parent
        return _course_dirs([base], root, report), root, []
    courses_dir = base / "courses"
    glossary_dir = base / "glossary"
    for folder in (courses_dir, glossary_dir):
        if folder.is_symlink():
            report.file(folder.name)("E009", M.PATH_SYMLINK, None, path=folder.name)
    candidates = []
    if courses_dir.is_dir() and not courses_dir.is_symlink():
        candidates = sorted(courses_dir.iterdir())
    dirs = _course_dirs(candidates, base, report)
    if not dirs and not report.items:
        report.file(".")("E009", M.NO_COURSE, None)
    glossary: list[tuple[Path, str]] = []
    if glossary_dir.is_dir() and not glossary_dir.is_symlink():
        for file in sorted(glossary_dir.iterdir()):
            if file.suffix in (".yaml", ".yml"):
                glossary.append((file, join_display("glossary", file.name)))
    return dirs, base, glossary


def _course_dirs(candidates: list[Path], root: Path, report: Report) -> list[Path]:
    dirs = []
    for candidate in candidates:
        display = candidate.relative_to(root).as_posix()
        if candidate.is_symlink():
            report.file(display)("E009", M.PATH_SYMLINK, None, path=display)
        elif (candidate / "course.yaml").exists() or (candidate / "course.yaml").is_symlink():
            dirs.append(candidate)
        elif (candidate / "course.yml").exists():
            report.file(f"{display}/course.yml")("E009", M.COURSE_YML, None)
    return dirs


def _read_course(
    course_dir: Path,
    repo_root: Path,
    report: Report,
    *,
    asset_url: AssetUrl,
    item_url: ItemUrl,
    render_cache: Mapping[str, Rendered] | None,
    render: bool,
) -> ParsedCourse | None:
    rel = course_dir.relative_to(repo_root).as_posix()
    display = join_display(rel, "course.yaml")
    file_report = report.file(display)
    read = read_yaml_map(course_dir / "course.yaml", display=display, report=file_report)
    if read is None:
        return None
    source, root = read
    checker = Checker(file_report)
    spec = read_course_spec(checker, root, folder=course_dir.name)
    ctx = CourseContext(
        root=course_dir,
        rel=rel,
        report=report,
        langs=checker.langs,
        asset_url=asset_url,
        item_url=item_url,
        render=render,
        render_cache=render_cache,
        pass_threshold=spec.pass_threshold,
    )
    located = _locate_items(ctx, spec, checker)
    lessons: dict[str, Lesson] = {}
    quizzes: dict[str, Quiz] = {}
    labs: dict[str, Lab] = {}
    for item, course_path, disk_path in located:
        at = item.path_node or (item.line, item.col)
        if item.type == "lesson":
            lessons[item.id] = read_lesson(
                ctx, item_id=item.id, folder=disk_path, course_path=course_path, at=at
            )
        elif item.type == "lab":
            lab = read_lab(ctx, item_id=item.id, path=disk_path, course_path=course_path)
            if lab is not None:
                labs[item.id] = lab
        else:
            quiz = read_quiz(ctx, item_id=item.id, path=disk_path, course_path=course_path)
            if quiz is not None:
                quizzes[item.id] = quiz
    cover = _cover(ctx, spec, checker)
    check_narrow_files(course_dir, rel, report)
    modules = tuple(
        Module(
            id=m.id,
            title=m.title,
            items=tuple(
                Item(
                    type=i.type,
                    id=i.id,
                    path=ctx.display(_course_path(i)),
                    minutes=i.minutes,
                    line=i.line,
                    col=i.col,
                )
                for i in m.items
            ),
        )
        for m in spec.modules
    )
    estimated = spec.estimated_minutes
    if estimated is None:
        estimated = sum(i.minutes or 0 for m in modules for i in m.items)
    description_html = (
        {lang: render_fragment(value) for lang, value in spec.description.items()} if render else {}
    )
    return ParsedCourse(
        slug=spec.slug,
        path=rel,
        languages=spec.languages,
        default_language=spec.default_language,
        title=spec.title,
        description=spec.description,
        description_html=description_html,
        level=spec.level,
        estimated_minutes=estimated,
        tags=spec.tags,
        pass_threshold=spec.pass_threshold,
        certificate=spec.certificate,
        modules=modules,
        lessons=lessons,
        quizzes=quizzes,
        assets=dict(sorted(ctx.assets.items())),
        cover=cover,
        source_hash=hashlib.sha256(source.data).hexdigest(),
        topic_names=spec.topic_names,
        objectives=spec.objectives,
        labs=labs,
    )


def _course_path(item: ItemSpec) -> str:
    normalized, _problem = normalize(item.path or "")
    return normalized or item.path or ""


def _locate_items(
    ctx: CourseContext, spec: CourseSpec, checker: Checker
) -> list[tuple[ItemSpec, str, Path]]:
    """Check every item's path (E009) and register it as a link target."""
    located: list[tuple[ItemSpec, str, Path]] = []
    for module in spec.modules:
        for item in module.items:
            if item.path is None:
                continue
            at = item.path_node
            course_path, problem = normalize(item.path)
            disk_path = None
            if course_path is not None:
                disk_path, problem = locate(ctx.root, course_path, display=ctx.display(course_path))
            if disk_path is None or course_path is None:
                if problem is not None:
                    problem.report(checker.report, at)
                continue
            if item.type == "lesson" and not disk_path.is_dir():
                checker.report("E009", M.PATH_NOT_FOLDER, at, path=item.path)
                continue
            if item.type != "lesson" and not disk_path.is_file():
                checker.report("E009", M.PATH_NOT_FILE, at, path=item.path)
                continue
            if item.type != "lesson" and disk_path.suffix not in (".yaml", ".yml"):
                not_yaml = M.PATH_NOT_YAML if item.type == "quiz" else M.LAB_PATH_NOT_YAML
                checker.report("E009", not_yaml, at, path=item.path)
                continue
            located.append((item, course_path, disk_path))
            ctx.targets[course_path] = item.id
            if item.type == "lesson":
                for lang in LANGUAGES:
                    ctx.targets[f"{course_path}/{lang}.md"] = item.id
    return located


def _cover(ctx: CourseContext, spec: CourseSpec, checker: Checker) -> Asset | None:
    if not spec.cover:
        return None
    course_path, problem = normalize(spec.cover)
    asset = None
    if course_path is not None:
        asset, problem = ctx.load_asset(course_path)
    if asset is None and problem is not None:
        problem.report(checker.report, spec.cover_node)
    return asset
