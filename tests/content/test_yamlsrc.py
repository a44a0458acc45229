"""The positioned YAML reader and the diagnostics it produces."""

from __future__ import annotations

from courses.content import Diagnostic, sort_diagnostics
from courses.content.diagnostics import Report, make_diagnostic
from courses.content.messages import UNKNOWN_KEY
from courses.content.yamlsrc import YMap, YScalar, YSeq, decode_text, load_yaml


def load(text: str) -> tuple[object, list[Diagnostic]]:
    report = Report()
    return load_yaml(text, report=report.file("f.yaml")), report.sorted()


def test_every_key_and_value_keeps_its_line_and_column() -> None:
    node, problems = load("a: 1\nb:\n  - x\n  - {c: 'd'}\n")
    assert problems == []
    assert isinstance(node, YMap)
    key = node.key("b")
    assert key is not None and (key.line, key.col) == (2, 1)
    seq = node.get("b")
    assert isinstance(seq, YSeq)
    inner = seq.items[1]
    assert isinstance(inner, YMap)
    value = inner.get("c")
    assert isinstance(value, YScalar)
    assert (value.line, value.col, value.value, value.plain) == (4, 9, "d", False)


def test_yaml11_values_keep_their_source_text() -> None:
    node, _ = load("a: no\nb: 012\nc: '012'\nno: x\n")
    assert isinstance(node, YMap)
    a, b, c = node.get("a"), node.get("b"), node.get("c")
    assert isinstance(a, YScalar) and (a.value, a.text, a.plain) == (False, "no", True)
    assert isinstance(b, YScalar) and (b.value, b.text) == (10, "012")
    assert isinstance(c, YScalar) and c.value == "012"
    assert "no" in node  # keys stay text


def test_duplicate_key_is_reported_and_the_last_wins() -> None:
    node, problems = load("a: 1\nb: 2\na: 3\n")
    assert [(d.code, d.line, d.col) for d in problems] == [("E010", 3, 1)]
    assert isinstance(node, YMap)
    value = node.get("a")
    assert isinstance(value, YScalar) and value.value == 3


def test_syntax_error_position_and_front_matter_offset() -> None:
    report = Report()
    load_yaml("title: [a\n", report=report.file("f.md"), line_offset=1)
    assert [(d.code, d.line) for d in report.items] == [("E001", 3)]


def test_multiple_documents_are_a_syntax_error() -> None:
    _, problems = load("a: 1\n---\nb: 2\n")
    assert [d.code for d in problems] == ["E001"]


def test_empty_document_is_none() -> None:
    assert load("# only a comment\n") == (None, [])


def test_decode_reports_bom_and_bad_bytes() -> None:
    report = Report()
    assert decode_text("\ufeffa: 1".encode(), report=report.file("f")) == "a: 1"
    assert decode_text(b"a: 1\nb: \xd0", report=report.file("f")) is None
    assert [(d.code, d.line, d.col) for d in report.sorted()] == [("W107", 1, 1), ("E015", 2, 4)]


def test_diagnostics_format_sort_and_keep_their_template() -> None:
    late = make_diagnostic(
        path="b.yaml", code="E002", template=UNKNOWN_KEY, params={"key": "x"}, at=(1, 1)
    )
    early = make_diagnostic(path="a.yaml", code="W102", template="H1", at=(9, 2), hint="h")
    assert sort_diagnostics([late, early, late]) == [early, late]
    assert early.format() == "a.yaml:9:2: warning W102: H1 (h)"
    assert late.format() == "b.yaml:1:1: error E002: unknown key 'x'"
    assert late.template % late.params_dict() == late.message
