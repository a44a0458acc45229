"""Hostile repositories: escapes, symlinks, huge files, LFS pointers, bad encodings and YAML
bombs are refused quickly with a diagnostic, never followed or expanded."""

from __future__ import annotations

import os
import time
from pathlib import Path

from courses.content import lint_path, parse_repository
from courses.content.diagnostics import Report
from courses.content.paths import MAX_FILE_BYTES
from courses.content.yamlsrc import MAX_DEPTH, load_yaml
from tests.content.helpers import COURSE_DIR, COURSE_YAML, course_yaml, lesson, where, write_repo

C = COURSE_DIR
CY = f"{C}/course.yaml"
QZ = f"{C}/quizzes/check.yaml"

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_parent_path_is_refused(tmp_path: Path) -> None:
    """`..` in an item path is E009, even when the target exists outside the course."""
    (tmp_path / "courses").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    changes = course_yaml("path: lessons/01-what-is", "path: ../../outside")
    diagnostics = lint_path(write_repo(tmp_path, changes))
    assert (CY, 24, 43) in where(diagnostics, "E009")


def test_absolute_path_is_refused(tmp_path: Path) -> None:
    """An absolute item path is E009 with a hint to make it relative."""
    changes = course_yaml("path: lessons/01-what-is", "path: /etc")
    diagnostics = lint_path(write_repo(tmp_path, changes))
    [problem] = [d for d in diagnostics if d.code == "E009"]
    assert (problem.line, problem.col) == (24, 43)
    assert problem.format().endswith(
        "path '/etc' is absolute (write it relative to the course folder)"
    )


def test_symlinked_lesson_folder_is_refused(tmp_path: Path) -> None:
    """A lesson folder that is a symlink (here to a folder outside the course) is E009."""
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "ky.md").write_text("---\ntitle: secret\n---\n")
    write_repo(
        tmp_path / "repo",
        {f"{C}/lessons/01-what-is/{lang}.md": None for lang in ("ky", "ru", "en")},
    )
    lesson_dir = tmp_path / "repo" / C / "lessons" / "01-what-is"
    lesson_dir.symlink_to(secret, target_is_directory=True)
    diagnostics = lint_path(tmp_path / "repo")
    assert (CY, 24, 43) in where(diagnostics, "E009")
    assert "symlink" in next(d for d in diagnostics if d.code == "E009").message


def test_symlinked_lesson_file_and_image_are_refused(tmp_path: Path) -> None:
    """A symlinked lesson file and a symlinked image are E009 and are never read."""
    write_repo(tmp_path, lesson("\n![x](leak.png)\n"))
    (tmp_path / "passwd").write_text("root:x:0:0")
    folder = tmp_path / C / "lessons" / "01-what-is"
    (folder / "leak.png").symlink_to(tmp_path / "passwd")
    (folder / "ru.md").unlink()
    (folder / "ru.md").symlink_to(tmp_path / "passwd")
    parsed = parse_repository(tmp_path)
    assert (f"{C}/lessons/01-what-is/ru.md", 1, 1) in where(parsed.diagnostics, "E009")
    assert (f"{C}/lessons/01-what-is/ky.md", 5, 6) in where(parsed.diagnostics, "E009")
    assert all(b"root:x" not in a.data for c in parsed.courses for a in c.assets.values())


def test_symlinked_course_folder_is_refused(tmp_path: Path) -> None:
    """A course folder that is a symlink is E009."""
    write_repo(tmp_path / "real")
    (tmp_path / "repo" / "courses").mkdir(parents=True)
    (tmp_path / "repo" / "courses" / "demo").symlink_to(tmp_path / "real" / C)
    assert where(lint_path(tmp_path / "repo"), "E009") == [(C, 1, 1)]


def test_file_over_5_mb_is_refused(tmp_path: Path) -> None:
    """A file over 5 MB is E009 and is not rendered."""
    big = b"x" * (MAX_FILE_BYTES + 1)
    diagnostics = lint_path(write_repo(tmp_path, {f"{C}/lessons/01-what-is/en.md": big}))
    [problem] = [d for d in diagnostics if d.code == "E009"]
    assert problem.path == f"{C}/lessons/01-what-is/en.md"
    assert "files over 5 MB" in problem.message


def test_large_image_is_refused_at_the_link(tmp_path: Path) -> None:
    """An image over 5 MB is E009 where the lesson shows it."""
    changes = {
        **lesson("\n![x](big.png)\n"),
        f"{C}/lessons/01-what-is/big.png": b"\0" * (MAX_FILE_BYTES + 1),
    }
    diagnostics = lint_path(write_repo(tmp_path, changes))
    assert where(diagnostics, "E009") == [(f"{C}/lessons/01-what-is/ky.md", 5, 6)]


def test_git_lfs_pointer_is_refused(tmp_path: Path) -> None:
    """A Git LFS pointer instead of the cover image is E009 with a hint."""
    pointer = (
        b"version https://git-lfs.github.com/spec/v1\n"
        b"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
        b"size 12345\n"
    )
    diagnostics = lint_path(write_repo(tmp_path, {f"{C}/cover.png": pointer}))
    [problem] = [d for d in diagnostics if d.code == "E009"]
    assert (problem.path, problem.line, problem.col) == (CY, 12, 8)
    assert "Git LFS pointer" in problem.message


def test_non_utf8_yaml_is_refused(tmp_path: Path) -> None:
    """A quiz saved in Windows-1251 is E015 at the first bad byte."""
    text = "format: 1\nid: check\ntitle: {ru: Проверка}\n".encode("cp1251")
    diagnostics = lint_path(write_repo(tmp_path, {QZ: text}))
    assert where(diagnostics, "E015") == [(QZ, 3, 13)]


def test_utf16_lesson_is_refused(tmp_path: Path) -> None:
    """UTF-16 (even with its BOM) is not UTF-8: E015."""
    data = "---\ntitle: x\n---\n".encode("utf-16")
    diagnostics = lint_path(write_repo(tmp_path, {f"{C}/lessons/01-what-is/en.md": data}))
    assert where(diagnostics, "E015") == [(f"{C}/lessons/01-what-is/en.md", 1, 1)]


def test_bom_is_stripped_with_a_warning(tmp_path: Path) -> None:
    """A UTF-8 BOM on course.yaml is a warning; the course still reads."""
    text = "\ufeff" + COURSE_YAML
    parsed = parse_repository(write_repo(tmp_path, {CY: text.encode("utf-8")}))
    assert [d.code for d in parsed.diagnostics] == ["W107"]
    assert parsed.courses[0].slug == "demo"


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    """Aliases are refused at the first anchor, long before anything expands."""
    started = time.perf_counter()
    diagnostics = lint_path(write_repo(tmp_path, {QZ: BILLION_LAUGHS}))
    assert time.perf_counter() - started < 2
    assert where(diagnostics, "E001") == [(QZ, 1, 4)]
    assert "anchors and aliases are not allowed" in diagnostics[0].message


def test_alias_without_anchor_expansion_is_still_refused() -> None:
    """Even one harmless-looking alias is refused: the format never needs them."""
    report = Report()
    assert load_yaml("a: &x 1\nb: *x\n", report=report.file("f.yaml")) is None
    assert [d.code for d in report.items] == ["E001"]


def test_deeply_nested_yaml_is_refused(tmp_path: Path) -> None:
    """Nesting past the limit is E001, for flow and block style alike, and fast."""
    flow = "a: " + "[" * 100_000 + "]" * 100_000 + "\n"
    block = "".join(f"{' ' * i}k{i}:\n" for i in range(MAX_DEPTH + 5)) + " " * 60 + "v: 1\n"
    started = time.perf_counter()
    for text in (flow, block):
        report = Report()
        assert load_yaml(text, report=report.file("f.yaml")) is None
        assert [d.code for d in report.items] == ["E001"]
        assert "deeper than 50" in report.items[0].message
    assert time.perf_counter() - started < 2


def test_python_tags_are_not_constructed() -> None:
    """`!!python/object` tags are an error, never executed."""
    report = Report()
    load_yaml("a: !!python/object/apply:os.system ['echo hi']\n", report=report.file("f.yaml"))
    assert [d.code for d in report.items] == ["E001"]


def test_huge_link_spam_is_scanned_quickly(tmp_path: Path) -> None:
    """A pathological body (thousands of unclosed tags and backticks) lints in linear time."""
    body = "<a " * 200_000 + "`" * 1000 + " x" * 50_000
    started = time.perf_counter()
    lint_path(write_repo(tmp_path, lesson(body)))
    assert time.perf_counter() - started < 5


def test_fifo_or_device_is_not_read(tmp_path: Path) -> None:
    """A special file where a quiz should be is refused without blocking on it."""
    write_repo(tmp_path, {QZ: None})
    (tmp_path / QZ).parent.mkdir(parents=True)
    os.mkfifo(tmp_path / QZ)
    diagnostics = lint_path(tmp_path)
    assert (CY, 26, 39) in where(diagnostics, "E009")


def test_symlinked_courses_and_glossary_folders_are_refused(tmp_path: Path) -> None:
    """`courses/` and `glossary/` that are symlinks are E009 and are not followed."""
    write_repo(tmp_path / "real")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "courses").symlink_to(tmp_path / "real" / "courses")
    (tmp_path / "repo" / "glossary").symlink_to(tmp_path / "real" / "glossary")
    parsed = parse_repository(tmp_path / "repo")
    assert where(parsed.diagnostics, "E009") == [("courses", 1, 1), ("glossary", 1, 1)]
    assert parsed.courses == [] and parsed.glossary == []
