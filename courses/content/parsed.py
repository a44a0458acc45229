"""The plain data a course repository turns into: no ORM, no Django, ready to publish.

All text that varies by language is a ``dict`` from language code to text, holding only the
languages that have it; `courses.content.languages.pick_text` applies the fallback. Fields
ending in ``_html`` hold sanitised HTML rendered from the Markdown next to them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Literal

from courses.content.answers import normalize_text_answer
from courses.content.diagnostics import Diagnostic
from courses.content.labdata import Lab
from courses.content.languages import pick_text

LangMap = dict[str, str]
ItemType = Literal["lesson", "quiz", "lab"]
QuestionType = Literal["single", "multiple", "true_false", "number", "text"]
Level = Literal["beginner", "intermediate", "advanced"]
Scoring = Literal["all_or_nothing", "partial"]


@dataclass(frozen=True)
class TocEntry:
    id: str
    title: str
    level: int


@dataclass(frozen=True)
class Asset:
    """A file a lesson links to or shows (or the course cover), with its bytes."""

    path: str  # repository-relative POSIX path of the file actually used
    filename: str
    sha256: str
    size: int
    media_type: str
    data: bytes = field(repr=False, compare=False)


@dataclass(frozen=True)
class Rendered:
    """The cacheable result of rendering one lesson file.

    ``render_key`` covers the source bytes, the language, the renderer version and the final
    URL of every link and image, so a cached result is reused only when all of them match.
    """

    html: str
    toc: tuple[TocEntry, ...]
    word_count: int
    reading_minutes: int
    render_key: str


@dataclass(frozen=True)
class LessonText:
    language: str
    path: str  # repository-relative path of the .md file
    title: str
    summary: str
    objectives: tuple[str, ...]
    keywords: tuple[str, ...]
    source_hash: str  # sha256 of the file bytes
    html: str
    toc: tuple[TocEntry, ...]
    word_count: int
    reading_minutes: int
    render_key: str
    assets: tuple[str, ...] = ()  # repository-relative paths of the assets it uses

    @property
    def rendered(self) -> Rendered:
        return Rendered(self.html, self.toc, self.word_count, self.reading_minutes, self.render_key)


@dataclass(frozen=True)
class Lesson:
    id: str
    path: str  # repository-relative folder
    texts: dict[str, LessonText]
    fallbacks: dict[str, str]  # course language without a file -> the language shown instead

    def text_for(self, lang: str) -> tuple[LessonText | None, str | None]:
        """The text a learner reading ``lang`` sees, and its language."""
        return pick_text(self.texts, lang)


@dataclass(frozen=True)
class Option:
    id: str
    correct: bool
    text: LangMap
    text_html: LangMap
    explanation: LangMap = field(default_factory=dict)
    explanation_html: LangMap = field(default_factory=dict)
    line: int = field(default=1, compare=False)


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    points: int
    prompt: LangMap
    prompt_html: LangMap
    explanation: LangMap = field(default_factory=dict)
    explanation_html: LangMap = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    scoring: Scoring | None = None
    answer: bool | int | float | None = None
    tolerance: int | float | None = None
    accept: dict[str, tuple[str, ...]] = field(default_factory=dict)
    line: int = field(default=1, compare=False)
    col: int = field(default=1, compare=False)

    @property
    def correct_option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options if o.correct)

    def answer_key(self) -> str:
        """A canonical JSON string of everything that decides a score; compare it across
        imports to notice a changed answer key (W105)."""
        key: dict[str, object] = {"type": self.type, "points": self.points}
        if self.type in ("single", "multiple"):
            key["correct"] = sorted(self.correct_option_ids)
            if self.scoring:
                key["scoring"] = self.scoring
        elif self.type in ("true_false", "number"):
            key["answer"] = self.answer
            if self.type == "number":
                key["tolerance"] = self.tolerance
        else:
            key["accept"] = {
                lang: sorted({normalize_text_answer(a) for a in answers})
                for lang, answers in sorted(self.accept.items())
            }
        return json.dumps(key, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Quiz:
    id: str
    path: str  # repository-relative file
    title: LangMap
    pass_threshold: int  # the quiz's own, else the course's
    max_attempts: int  # 0 = unlimited
    shuffle_options: bool
    questions: tuple[Question, ...]
    source_hash: str

    def answer_keys(self) -> dict[str, str]:
        return {q.id: q.answer_key() for q in self.questions}


@dataclass(frozen=True)
class Item:
    type: ItemType
    id: str
    path: str  # repository-relative
    minutes: int | None
    line: int = field(default=1, compare=False)
    col: int = field(default=1, compare=False)


@dataclass(frozen=True)
class Module:
    id: str
    title: LangMap
    items: tuple[Item, ...]


@dataclass(frozen=True)
class CertificateConfig:
    enabled: bool = False
    require: tuple[str, ...] = ("all_lessons", "all_quizzes")
    min_average_score: int | None = None
    title: LangMap = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedCourse:
    slug: str
    path: str  # repository-relative folder
    languages: tuple[str, ...]
    default_language: str
    title: LangMap
    description: LangMap
    description_html: LangMap
    level: Level
    estimated_minutes: int
    tags: tuple[str, ...]
    pass_threshold: int
    certificate: CertificateConfig
    modules: tuple[Module, ...]
    lessons: dict[str, Lesson]
    quizzes: dict[str, Quiz]
    assets: dict[str, Asset]  # by repository-relative path
    cover: Asset | None = None
    source_hash: str = ""  # sha256 of course.yaml
    topic_names: dict[str, LangMap] = field(default_factory=dict)  # {tag: {language: name}}
    objectives: dict[str, tuple[str, ...]] = field(default_factory=dict)  # {language: texts}
    labs: dict[str, Lab] = field(default_factory=dict)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for module in self.modules for item in module.items)


@dataclass(frozen=True)
class GlossaryTerm:
    id: str
    path: str
    term: LangMap
    definition: LangMap
    definition_html: LangMap


@dataclass(frozen=True)
class ParsedRepository:
    """Everything read from a repository. With any error in ``diagnostics`` the data is
    incomplete and must not be published."""

    courses: list[ParsedCourse]
    glossary: list[GlossaryTerm]
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors
