"""Reading an author's file: its bytes, its text, and a YAML document that must be a map.

Every reader of a course (course.yaml, lessons, quizzes, glossary terms) starts the same way,
and reports the same problems in the same words: a file that cannot be read, text that is not
UTF-8 (E015, W107 for a BOM), YAML that does not parse, and a document that is not a map
(E004).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from courses.content import messages as M
from courses.content.diagnostics import FileReport
from courses.content.paths import read_file
from courses.content.yamlsrc import YMap, decode_text, load_yaml

if TYPE_CHECKING:
    from courses.content.context import CourseContext


class SourceText(NamedTuple):
    data: bytes  # as read, for content hashes
    text: str  # decoded, without a BOM


def read_text(path: Path, *, display: str, report: FileReport) -> SourceText | None:
    """The file's bytes and text; None, with the problem reported, when it has none."""
    data, problem = read_file(path, display=display)
    if data is None:
        assert problem is not None
        problem.report(report, None)
        return None
    text = decode_text(data, report=report)
    if text is None:
        return None
    return SourceText(data, text)


def read_yaml_map(
    path: Path, *, display: str, report: FileReport
) -> tuple[SourceText, YMap] | None:
    """The file and its YAML document, which must be a map (E004 when it parses as anything
    else, or as nothing without another problem said)."""
    source = read_text(path, display=display, report=report)
    if source is None:
        return None
    before = report.count()
    root = load_yaml(source.text, report=report)
    if not isinstance(root, YMap):
        if root is not None or report.count() == before:
            report("E004", M.NOT_A_DOCUMENT, root)
        return None
    return source, root


class ItemSource(NamedTuple):
    """A course item's YAML file (a quiz or a lab), read and ready for its reader."""

    display: str  # the path problems are reported under
    report: FileReport
    root: YMap
    source_hash: str  # SHA-256 of the bytes, for the revision's content hash


def read_item_yaml(ctx: CourseContext, *, path: Path, course_path: str) -> ItemSource | None:
    """The YAML map of the item file at ``path``; None, with the problem reported, when it
    cannot be read as one."""
    display = ctx.display(course_path)
    report = ctx.report.file(display)
    read = read_yaml_map(path, display=display, report=report)
    if read is None:
        return None
    source, root = read
    return ItemSource(display, report, root, hashlib.sha256(source.data).hexdigest())
