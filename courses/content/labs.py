"""Lab files: one YAML file per lab, all languages, its kind and the kind's parameters.

The keys every lab has are read here; each kind's parameters by `courses.content.labkinds`.
Problems are reported with file, line and column like a quiz's (E002 to E009), through the
same `Checker`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import cast

from courses.content import messages as M
from courses.content.context import CourseContext
from courses.content.labdata import LAB_KINDS, Lab, LabKind, LangMap
from courses.content.labkinds import KIND_REQUIRED, read_kind
from courses.content.languages import pick_text
from courses.content.render import render_fragment
from courses.content.schema import Checker, describe, join
from courses.content.sourcefile import read_item_yaml
from courses.content.yamlsrc import YKey, YMap, YNode, YScalar, YSeq

LAB_KEYS = (
    "format",
    "id",
    "kind",
    "title",
    "instructions",
    "hints",
    "explanation",
    "max_attempts",
)
KIND_KEYS: dict[str, tuple[str, ...]] = {
    "hash": ("candidates", "target"),
    "mining": ("data", "difficulty"),
    "chain": ("blocks", "tampered", "difficulty"),
    "ledger": ("records", "tampered", "peers", "ask"),
    "keys": (),
    "transactions": ("learner", "owners", "utxos", "target"),
}


def read_lab(ctx: CourseContext, *, item_id: str, path: Path, course_path: str) -> Lab | None:
    item = read_item_yaml(ctx, path=path, course_path=course_path)
    if item is None:
        return None
    return LabReader(ctx, Checker(item.report, ctx.langs)).read(
        item.root, item_id=item_id, display=item.display, source_hash=item.source_hash
    )


class LabReader:
    def __init__(self, ctx: CourseContext, checker: Checker) -> None:
        self.ctx = ctx
        self.c = checker

    @property
    def languages(self) -> tuple[str, ...]:
        return self.c.langs.languages

    def html(self, texts: LangMap) -> LangMap:
        if not self.ctx.render:
            return {}
        return {lang: render_fragment(text) for lang, text in texts.items()}

    def read(self, root: YMap, *, item_id: str, display: str, source_hash: str) -> Lab | None:
        c = self.c
        kind = c.choice(root, "kind", "", LAB_KINDS, required=True)
        own = KIND_KEYS.get(kind or "", ())
        others = {key for keys in KIND_KEYS.values() for key in keys} - set(own)
        if kind is None:
            own, others = tuple(others), set()
        for name, (key, _value) in root.entries.items():
            if name in others and name not in own:
                c.report("E002", M.LAB_KEY_NOT_FOR_KIND, key, key=name, kind=kind)
        allowed = {*LAB_KEYS, *own, *others}
        required = ("id", "kind", "title", "instructions", *KIND_REQUIRED.get(kind or "", ()))
        c.keys(root, allowed=allowed, required=required)
        version = c.integer(root, "format")
        if version is not None and version != 1:
            c.report("E004", M.FORMAT_VERSION, root.get("format"), value=version)
        lab_id = c.ident(root, "id")
        if lab_id is not None and lab_id != item_id:
            c.report("E007", M.LAB_ID_MISMATCH, root.get("id"), id=lab_id, expected=item_id)
        title = c.lang_map(root, "title", required=True)
        instructions = c.lang_map(root, "instructions", required=True)
        explanation = c.lang_map(root, "explanation")
        max_attempts = c.integer(root, "max_attempts", minimum=0)
        hint_nodes = c.as_list(c.present(root, "hints", "", required=False), "hints")
        hints = tuple(
            hint
            for index, node in enumerate(hint_nodes)
            if (hint := self.hint(node, f"hints.{index + 1}"))
        )
        if kind is None:
            return None
        public, answer_key = read_kind(self, kind, root)
        return Lab(
            id=item_id,
            path=display,
            kind=cast(LabKind, kind),
            title=title,
            instructions=instructions,
            hints=hints,
            explanation=explanation,
            max_attempts=max_attempts or 0,
            public=public,
            key=answer_key,
            source_hash=source_hash,
            instructions_html=self.html(instructions),
            hints_html=tuple(self.html(hint) for hint in hints),
            explanation_html=self.html(explanation),
        )

    def hint(self, node: YNode, field: str) -> LangMap:
        texts, reported = self.c.lang_texts(node, field)
        if texts is None:
            return {}
        self.c.completeness(texts.keys() | reported, at=node, field=field)
        return texts

    # -- helpers for the kinds ----------------------------------------------------------

    def local_text(self, node: YNode | None, field: str, at: YNode | YKey | None = None) -> (
        LangMap | None
    ):  # fmt: skip
        """A text the learner reads in their language: one text for every language, or a map
        from language to text (checked like any text map). Every course language gets a
        text, missing ones filled in along the fallback chain."""
        c = self.c
        if node is None:
            return None
        if isinstance(node, YScalar) and node.value in (None, ""):
            c.report("E003", M.EMPTY, at or node, field=field)
            return None
        if isinstance(node, YMap):
            texts, reported = c.lang_texts(node, field)
            if texts is None:
                return None
            c.completeness(texts.keys() | reported, at=at or node, field=field)
            if not texts:
                return None
            return {lang: cast(str, pick_text(texts, lang)[0]) for lang in self.languages}
        if isinstance(node, YScalar) and isinstance(node.value, str):
            value = node.value.strip()
            return {lang: value for lang in self.languages} if value else None
        hint = M.QUOTE_IT if isinstance(node, YScalar) and node.plain else None
        c.report(
            "E004", M.EXPECTED_TEXT_OR_LANG_MAP, node, hint=hint, field=field,
            kind=describe(node), value=node.text if isinstance(node, YScalar) else "",
        )  # fmt: skip
        return None

    def sized_list(
        self, m: YMap, key: str, where: str, *, minimum: int, maximum: int, required: bool = True
    ) -> list[YNode]:
        """The entries of a list of ``minimum`` to ``maximum`` entries (E004 otherwise; a
        missing ``required`` list is reported with the other required keys)."""
        c = self.c
        node = c.present(m, key, where, required=required)
        if node is None:
            return []
        nodes = c.as_list(node, join(where, key))
        if isinstance(node, YSeq) and not minimum <= len(nodes) <= maximum:
            c.report(
                "E004", M.LIST_LENGTH, m.key(key) or node, field=join(where, key),
                minimum=minimum, maximum=maximum, count=len(nodes),
            )  # fmt: skip
        return nodes

    def local_texts(self, nodes: Sequence[YNode], field: str) -> list[LangMap | None]:
        """`local_text` of each entry, and E004 for two entries that read the same in some
        language (the learner could not tell them apart)."""
        texts = [self.local_text(node, f"{field}.{index + 1}") for index, node in enumerate(nodes)]
        reported: set[int] = set()
        for lang in self.languages:
            seen: dict[str, int] = {}
            for index, text in enumerate(texts):
                if text is None:
                    continue
                first = seen.setdefault(text[lang], index)
                if first != index and index not in reported:
                    reported.add(index)
                    self.c.report(
                        "E004", M.LAB_SAME_TEXTS, nodes[index], field=field, first=first + 1,
                        second=index + 1, lang=lang,
                    )  # fmt: skip
        return texts
