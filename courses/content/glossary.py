"""Glossary files: ``glossary/<term>.yaml``, shared by all courses of a repository.

A glossary belongs to no course, so it has no default language: each of ky, ru and en
that is missing is a warning (W101), and a term or definition with no text at all is an
error (E003).
"""

from __future__ import annotations

from pathlib import Path

from courses.content import messages as M
from courses.content.diagnostics import Report
from courses.content.parsed import GlossaryTerm
from courses.content.render import render_fragment
from courses.content.schema import Checker, LangContext
from courses.content.sourcefile import read_yaml_map

GLOSSARY_KEYS = ("id", "term", "definition")


def read_glossary(
    files: list[tuple[Path, str]], *, report: Report, render: bool = True
) -> list[GlossaryTerm]:
    """Read glossary files given as (path on disk, repository-relative path)."""
    terms: list[GlossaryTerm] = []
    seen: dict[str, str] = {}
    for path, display in files:
        found = read_glossary_file(path, display=display, report=report, render=render)
        if found is None:
            continue
        term, id_position = found
        if term.id in seen:
            report.file(display)(
                "E007",
                M.DUPLICATE_ID_ELSEWHERE,
                id_position,
                what="glossary",
                id=term.id,
                first=seen[term.id],
            )
            continue
        seen[term.id] = display
        terms.append(term)
    return terms


def read_glossary_file(
    path: Path, *, display: str, report: Report, render: bool = True
) -> tuple[GlossaryTerm, tuple[int, int]] | None:
    """Read one term; returns it with the position of its id, or None."""
    file_report = report.file(display)
    read = read_yaml_map(path, display=display, report=file_report)
    if read is None:
        return None
    _source, root = read
    c = Checker(file_report, LangContext())
    c.keys(root, allowed=GLOSSARY_KEYS, required=GLOSSARY_KEYS)
    term_id = c.ident(root, "id")
    term = c.lang_map(root, "term", required=True)
    definition = c.lang_map(root, "definition", required=True)
    id_node = root.get("id")
    if term_id is None or id_node is None:
        return None
    html = {lang: render_fragment(text) for lang, text in definition.items()} if render else {}
    term_obj = GlossaryTerm(
        id=term_id, path=display, term=term, definition=definition, definition_html=html
    )
    return term_obj, (id_node.line, id_node.col)
