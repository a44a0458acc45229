"""Quiz files: one YAML file per quiz, all languages, one answer key."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import cast

from courses.content import messages as M
from courses.content.context import CourseContext
from courses.content.parsed import LangMap, Option, Question, QuestionType, Quiz, Scoring
from courses.content.render import render_fragment
from courses.content.schema import Checker, join, line_of
from courses.content.sourcefile import read_item_yaml
from courses.content.yamlsrc import YKey, YMap, YNode, YScalar, YSeq

QUIZ_KEYS = (
    "format",
    "id",
    "title",
    "pass_threshold",
    "max_attempts",
    "shuffle_options",
    "questions",
)
QUESTION_TYPES = ("single", "multiple", "true_false", "number", "text")
COMMON_QUESTION_KEYS = ("id", "type", "points", "prompt", "explanation")
TYPE_KEYS: dict[str, tuple[str, ...]] = {
    "single": ("options",),
    "multiple": ("options", "scoring"),
    "true_false": ("answer",),
    "number": ("answer", "tolerance"),
    "text": ("accept",),
}
OPTION_KEYS = ("id", "text", "correct", "explanation")
SCORING = ("all_or_nothing", "partial")


def read_quiz(ctx: CourseContext, *, item_id: str, path: Path, course_path: str) -> Quiz | None:
    item = read_item_yaml(ctx, path=path, course_path=course_path)
    if item is None:
        return None
    return QuizReader(ctx, Checker(item.report, ctx.langs)).read(
        item.root, item_id=item_id, display=item.display, source_hash=item.source_hash
    )


class QuizReader:
    def __init__(self, ctx: CourseContext, checker: Checker) -> None:
        self.ctx = ctx
        self.c = checker

    def html(self, texts: LangMap, *, inline: bool = False) -> LangMap:
        if not self.ctx.render:
            return {}
        return {lang: render_fragment(text, inline=inline) for lang, text in texts.items()}

    def read(self, root: YMap, *, item_id: str, display: str, source_hash: str) -> Quiz:
        c = self.c
        c.keys(root, allowed=QUIZ_KEYS, required=("id", "title", "questions"))
        version = c.integer(root, "format")
        if version is not None and version != 1:
            c.report("E004", M.FORMAT_VERSION, root.get("format"), value=version)
        quiz_id = c.ident(root, "id")
        if quiz_id is not None and quiz_id != item_id:
            c.report("E007", M.QUIZ_ID_MISMATCH, root.get("id"), id=quiz_id, expected=item_id)
        title = c.lang_map(root, "title", required=True)
        threshold = c.integer(root, "pass_threshold", minimum=0, maximum=100)
        max_attempts = c.integer(root, "max_attempts", minimum=0)
        shuffle = c.boolean(root, "shuffle_options")
        questions_node = c.present(root, "questions", "", required=True)
        questions: list[Question] = []
        seen: dict[str, int] = {}
        nodes = c.as_list(questions_node, "questions")
        if isinstance(questions_node, YSeq) and not nodes:
            c.report("E003", M.EMPTY, root.key("questions"), field="questions")
        for index, node in enumerate(nodes):
            question = self.question(node, index, seen)
            if question is not None:
                questions.append(question)
        return Quiz(
            id=item_id,
            path=display,
            title=title,
            pass_threshold=threshold if threshold is not None else self.ctx.pass_threshold,
            max_attempts=max_attempts or 0,
            shuffle_options=bool(shuffle),
            questions=tuple(questions),
            source_hash=source_hash,
        )

    def question(self, node: YNode, index: int, seen: dict[str, int]) -> Question | None:
        c = self.c
        m = c.as_map(node, f"questions.{index + 1}")
        if m is None:
            return None
        raw_id = m.get("id")
        label = raw_id.text if isinstance(raw_id, YScalar) and raw_id.text else str(index + 1)
        where = f"questions.{label}"
        qtype = c.choice(m, "type", where, QUESTION_TYPES, required=True)
        own = COMMON_QUESTION_KEYS + TYPE_KEYS.get(qtype or "", ())
        other = {k for keys in TYPE_KEYS.values() for k in keys} - set(own)
        if qtype is None:
            own, other = own + tuple(other), set()
        c.keys(
            m,
            allowed=own,
            required=("id", "type", "prompt"),
            where=where,
            known_elsewhere=other,
            type_name=qtype or "",
        )
        qid = c.ident(m, "id", where)
        if qid is not None:
            if qid in seen:
                c.report(
                    "E007", M.DUPLICATE_ID, m.get("id"), what="question", id=qid, first=seen[qid]
                )
            else:
                seen[qid] = line_of(m, "id")
        points = c.integer(m, "points", where, minimum=1)
        prompt = c.lang_map(m, "prompt", where, required=True)
        explanation = c.lang_map(m, "explanation", where)
        if qid is None or qtype is None:
            return None
        question = Question(
            id=qid,
            type=cast(QuestionType, qtype),
            points=points or 1,
            prompt=prompt,
            prompt_html=self.html(prompt),
            explanation=explanation,
            explanation_html=self.html(explanation),
            line=m.line,
            col=m.col,
        )
        return self.typed(question, m, where)

    def typed(self, q: Question, m: YMap, where: str) -> Question:
        c = self.c
        if q.type in ("single", "multiple"):
            options_node = m.get("options")
            if options_node is None:
                c.report("E003", M.REQUIRED, m, field=join(where, "options"))
            options = self.options(m, where)
            correct = [o for o in options if o.correct]
            at = m.key("options") or m
            if isinstance(options_node, YSeq) and len(options_node.items) < 2:
                c.report(
                    "E004", M.TOO_FEW_OPTIONS, at, question=q.id, count=len(options_node.items)
                )
            if q.type == "single" and len(correct) != 1 and options:
                c.report(
                    "E004",
                    M.SINGLE_CORRECT,
                    self._correct_at(options_node, at),
                    question=q.id,
                    count=len(correct),
                )
            if q.type == "multiple" and not correct and options:
                c.report("E004", M.MULTIPLE_CORRECT, at, question=q.id)
            scoring = c.choice(m, "scoring", where, SCORING) if q.type == "multiple" else None
            if q.type == "multiple" and scoring is None:
                scoring = "all_or_nothing"
            return replace(q, options=tuple(options), scoring=cast(Scoring | None, scoring))
        if q.type == "true_false":
            return replace(q, answer=c.boolean(m, "answer", where, required=True))
        if q.type == "number":
            answer = c.number(m, "answer", where, required=True)
            tolerance = c.number(m, "tolerance", where, minimum=0)
            return replace(q, answer=answer, tolerance=tolerance or 0)
        return replace(q, accept=self.accept(m, where, q.id))

    @staticmethod
    def _correct_at(options: YNode | None, fallback: YKey | YMap) -> YKey | YMap:
        """The second ``correct: true`` of a single-choice question, for a precise position."""
        seen = 0
        for node in options.items if isinstance(options, YSeq) else []:
            flag = node.get("correct") if isinstance(node, YMap) else None
            if isinstance(node, YMap) and isinstance(flag, YScalar) and flag.value is True:
                seen += 1
                if seen > 1:
                    return node.key("correct") or node
        return fallback

    def options(self, m: YMap, where: str) -> list[Option]:
        c = self.c
        result: list[Option] = []
        seen: dict[str, int] = {}
        for index, node in enumerate(c.as_list(m.get("options"), join(where, "options"))):
            om = c.as_map(node, f"{where}.options.{index + 1}")
            if om is None:
                continue
            raw_id = om.get("id")
            label = raw_id.text if isinstance(raw_id, YScalar) and raw_id.text else str(index + 1)
            owhere = f"{where}.options.{label}"
            c.keys(om, allowed=OPTION_KEYS, required=("id", "text"), where=owhere)
            oid = c.ident(om, "id", owhere)
            correct = c.boolean(om, "correct", owhere)
            text = c.lang_map(om, "text", owhere, required=True)
            explanation = c.lang_map(om, "explanation", owhere)
            if oid is None:
                continue
            if oid in seen:
                c.report(
                    "E007", M.DUPLICATE_ID, om.get("id"), what="option", id=oid, first=seen[oid]
                )
                continue
            seen[oid] = om.line
            result.append(
                Option(
                    id=oid,
                    correct=bool(correct),
                    text=text,
                    text_html=self.html(text, inline=True),
                    explanation=explanation,
                    explanation_html=self.html(explanation),
                    line=om.line,
                )
            )
        return result

    def accept(self, m: YMap, where: str, qid: str) -> dict[str, tuple[str, ...]]:
        c = self.c
        node = c.present(m, "accept", where, required=True)
        field = join(where, "accept")
        result: dict[str, tuple[str, ...]] = {}
        if node is None:
            if "accept" not in m:
                c.report("E003", M.REQUIRED, m, field=field)
            return result
        accept = c.as_map(node, field)
        if accept is None:
            return result
        for name, (key, value) in accept.entries.items():
            code = c.language_code(key, field)
            if code is None:
                continue
            values = tuple(v for v, _ in c.text_list(accept, name, field))
            if values and code in c.langs.languages:
                result[code] = values
            elif not values and (
                (isinstance(value, YSeq) and not value.items)
                or (isinstance(value, YScalar) and value.value in (None, ""))
            ):
                c.report("E004", M.ACCEPT_MISSING, key, question=qid, lang=code)
        for lang in c.langs.languages:
            if lang not in accept.entries:
                c.report("E004", M.ACCEPT_MISSING, m.key("accept"), question=qid, lang=lang)
        return result
