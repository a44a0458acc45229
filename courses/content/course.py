"""course.yaml: metadata and the ordered outline of modules and items."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from courses.content import messages as M
from courses.content.course_meta import TopicNames, read_objectives, read_topics
from courses.content.parsed import CertificateConfig, ItemType, LangMap, Level
from courses.content.schema import Checker, LangContext, join, line_of
from courses.content.yamlsrc import YMap, YNode, YScalar, YSeq

COURSE_KEYS = (
    "format",
    "slug",
    "languages",
    "default_language",
    "title",
    "description",
    "level",
    "estimated_minutes",
    "cover",
    "tags",
    "objectives",
    "pass_threshold",
    "certificate",
    "modules",
)
COURSE_REQUIRED = (
    "format",
    "slug",
    "languages",
    "default_language",
    "title",
    "description",
    "level",
    "modules",
)
LEVELS = ("beginner", "intermediate", "advanced")
CERTIFICATE_KEYS = ("enabled", "require", "min_average_score", "title")
REQUIREMENTS = ("all_lessons", "all_quizzes", "all_labs")
MODULE_KEYS = ("id", "title", "items")
ITEM_KEYS = ("type", "id", "path", "minutes")
ITEM_TYPES = ("lesson", "quiz", "lab")
DEFAULT_PASS_THRESHOLD = 70


@dataclass
class ItemSpec:
    type: ItemType
    id: str
    path: str | None
    path_node: YNode | None
    minutes: int | None
    line: int
    col: int


@dataclass
class ModuleSpec:
    id: str
    title: LangMap
    items: list[ItemSpec] = field(default_factory=list)


@dataclass
class CourseSpec:
    slug: str
    languages: tuple[str, ...]
    default_language: str
    title: LangMap
    description: LangMap
    level: Level
    estimated_minutes: int | None
    cover: str | None
    cover_node: YNode | None
    tags: tuple[str, ...]
    pass_threshold: int
    certificate: CertificateConfig
    modules: list[ModuleSpec]
    topic_names: TopicNames = field(default_factory=dict)
    objectives: dict[str, tuple[str, ...]] = field(default_factory=dict)


def read_course_spec(c: Checker, root: YMap, *, folder: str) -> CourseSpec:
    """Validate course.yaml; ``folder`` is the course folder's name (the expected slug)."""
    c.keys(root, allowed=COURSE_KEYS, required=COURSE_REQUIRED)
    version = c.integer(root, "format", required=True)
    if version is not None and version != 1:
        c.report("E004", M.FORMAT_VERSION, root.get("format"), value=version)
    slug = c.ident(root, "slug")
    if slug is not None and slug != folder:
        c.report("E017", M.SLUG_FOLDER, root.get("slug"), slug=slug, folder=folder)

    languages: list[str] = []
    languages_node = c.present(root, "languages", "", required=True)
    for node in c.as_list(languages_node, "languages"):
        code = c.language_code(node, "languages")
        if code is None:
            continue
        if code in languages:
            c.report("E004", M.LANGUAGE_TWICE, node, lang=code)
        else:
            languages.append(code)
    default = None
    default_node = c.present(root, "default_language", "", required=True)
    if default_node is not None:
        default = c.language_code(default_node, "default_language")
        if default is not None and languages and default not in languages:
            c.report("E004", M.DEFAULT_NOT_LISTED, default_node, lang=default)
            default = None
    if default is None:
        default = languages[0] if languages else "ky"
    c.langs = LangContext(tuple(languages) or (default,), default)

    title = c.lang_map(root, "title", required=True)
    description = c.lang_map(root, "description", required=True)
    level = c.choice(root, "level", "", LEVELS, required=True)
    estimated = c.integer(root, "estimated_minutes", minimum=1)
    cover = c.text(root, "cover")
    tags, topic_names = read_topics(c, root)
    objectives = read_objectives(c, root)
    threshold = c.integer(root, "pass_threshold", minimum=0, maximum=100)
    certificate = _certificate(c, root)
    modules = _modules(c, root)
    return CourseSpec(
        slug=slug or folder,
        languages=c.langs.languages,
        default_language=default,
        title=title,
        description=description,
        level=cast(Level, level or "beginner"),
        estimated_minutes=estimated,
        cover=cover,
        cover_node=root.get("cover"),
        tags=tags,
        pass_threshold=DEFAULT_PASS_THRESHOLD if threshold is None else threshold,
        certificate=certificate,
        modules=modules,
        topic_names=topic_names,
        objectives=objectives,
    )


def _certificate(c: Checker, root: YMap) -> CertificateConfig:
    m = c.as_map(c.present(root, "certificate", "", required=False), "certificate")
    if m is None:
        return CertificateConfig(enabled=False)
    where = "certificate"
    c.keys(m, allowed=CERTIFICATE_KEYS, where=where)
    enabled = c.boolean(m, "enabled", where)
    require: list[str] = []
    for value, node in c.text_list(m, "require", where):
        if value not in REQUIREMENTS:
            c.report(
                "E004",
                M.NOT_ONE_OF,
                node,
                field=join(where, "require"),
                value=value,
                choices=", ".join(REQUIREMENTS),
            )
        elif value not in require:
            require.append(value)
    score = c.integer(m, "min_average_score", where, minimum=0, maximum=100)
    title = c.lang_map(m, "title", where)
    return CertificateConfig(
        enabled=True if enabled is None else enabled,
        require=tuple(require) if "require" in m else REQUIREMENTS,
        min_average_score=score,
        title=title,
    )


def _modules(c: Checker, root: YMap) -> list[ModuleSpec]:
    modules: list[ModuleSpec] = []
    module_ids: dict[str, int] = {}
    item_ids: dict[str, int] = {}
    node = c.present(root, "modules", "", required=True)
    nodes = c.as_list(node, "modules")
    if isinstance(node, YSeq) and not nodes:
        c.report("E003", M.EMPTY, root.key("modules"), field="modules")
    for index, module_node in enumerate(nodes):
        m = c.as_map(module_node, f"modules.{index + 1}")
        if m is None:
            continue
        where = f"modules.{_label(m, index)}"
        c.keys(m, allowed=MODULE_KEYS, required=MODULE_KEYS, where=where)
        module_id = c.ident(m, "id", where)
        if module_id is not None:
            if module_id in module_ids:
                c.report(
                    "E007",
                    M.DUPLICATE_ID,
                    m.get("id"),
                    what="module",
                    id=module_id,
                    first=module_ids[module_id],
                )
            else:
                module_ids[module_id] = line_of(m, "id")
        title = c.lang_map(m, "title", where, required=True)
        module = ModuleSpec(id=module_id or "", title=title)
        items_node = c.present(m, "items", where, required=True)
        item_nodes = c.as_list(items_node, join(where, "items"))
        if isinstance(items_node, YSeq) and not item_nodes:
            c.report("E004", M.ITEMS_EMPTY, m.key("items"), field=join(where, "items"))
        for item_index, item_node in enumerate(item_nodes):
            item = _item(c, item_node, f"{where}.items.{item_index + 1}", item_ids)
            if item is not None:
                module.items.append(item)
        modules.append(module)
    return modules


# Addresses of a course's own pages, beside its items' (/courses/<slug>/<item id>/).
RESERVED_ITEM_IDS = frozenset({"enroll", "glossary", "preview"})


def _item(c: Checker, node: YNode, where: str, seen: dict[str, int]) -> ItemSpec | None:
    m = c.as_map(node, where)
    if m is None:
        return None
    c.keys(m, allowed=ITEM_KEYS, required=("type", "id", "path"), where=where)
    item_type = c.choice(m, "type", where, ITEM_TYPES, required=True)
    item_id = c.ident(m, "id", where)
    path = c.text(m, "path", where, required=True)
    minutes = c.integer(m, "minutes", where, minimum=0)
    if item_id is not None and item_id in RESERVED_ITEM_IDS:
        c.report("E008", M.RESERVED_ID, m.get("id"), hint=M.RESERVED_ID_HINT, id=item_id)
        return None
    if item_id is not None:
        if item_id in seen:
            c.report(
                "E007", M.DUPLICATE_ID, m.get("id"), what="item", id=item_id, first=seen[item_id]
            )
            return None
        seen[item_id] = line_of(m, "id")
    if item_type is None or item_id is None:
        return None
    id_node = m.get("id")
    assert id_node is not None
    return ItemSpec(
        type=cast(ItemType, item_type),
        id=item_id,
        path=path,
        path_node=m.get("path"),
        minutes=minutes,
        line=id_node.line,
        col=id_node.col,
    )


def _label(m: YMap, index: int) -> str:
    node = m.get("id")
    return node.text if isinstance(node, YScalar) and node.text else str(index + 1)
