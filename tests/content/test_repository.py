"""Reading a whole repository into plain dataclasses."""

from __future__ import annotations

import hashlib
from pathlib import Path

from courses.content import (
    CertificateConfig,
    Item,
    Rendered,
    TocEntry,
    lint_path,
    parse_repository,
)
from courses.content.render import RENDER_VERSION
from tests.content.helpers import (
    COURSE_DIR,
    LESSON_KY,
    PNG,
    SVG,
    SVG_KY,
    codes,
    lesson,
    where,
    write_repo,
)

C = COURSE_DIR


def sha(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def test_valid_course_parses_into_the_expected_dataclasses(tmp_path: Path) -> None:
    """The example repository yields its course, lessons, quiz, assets and glossary."""
    parsed = parse_repository(write_repo(tmp_path))
    assert parsed.diagnostics == []
    assert parsed.ok
    [course] = parsed.courses
    assert course.slug == "demo"
    assert course.path == C
    assert course.languages == ("ky", "ru", "en")
    assert course.default_language == "ky"
    assert course.title == {"ky": "Демо курс", "ru": "Демо курс", "en": "Demo course"}
    assert course.description_html["en"] == "<p>A short <strong>description</strong>.</p>"
    assert (course.level, course.estimated_minutes, course.tags) == (
        "beginner",
        30,
        ("blockchain",),
    )
    assert course.pass_threshold == 70
    assert course.certificate == CertificateConfig(
        enabled=True,
        require=("all_lessons", "all_quizzes"),
        min_average_score=75,
        title={"ky": "Сертификат", "ru": "Сертификат", "en": "Certificate"},
    )
    [module] = course.modules
    assert module.id == "intro"
    assert module.items == (
        Item(type="lesson", id="what-is", path=f"{C}/lessons/01-what-is", minutes=10),
        Item(type="lesson", id="hashes", path=f"{C}/lessons/02-hashes", minutes=10),
        Item(type="quiz", id="check", path=f"{C}/quizzes/check.yaml", minutes=10),
    )
    assert course.cover is not None
    assert (course.cover.path, course.cover.media_type, course.cover.data) == (
        f"{C}/cover.png",
        "image/png",
        PNG,
    )


def test_lesson_texts_carry_front_matter_html_toc_and_hashes(tmp_path: Path) -> None:
    course = parse_repository(write_repo(tmp_path)).courses[0]
    lesson = course.lessons["what-is"]
    assert lesson.path == f"{C}/lessons/01-what-is"
    assert set(lesson.texts) == {"ky", "ru", "en"}
    assert lesson.fallbacks == {}
    ky = lesson.texts["ky"]
    assert ky.path == f"{C}/lessons/01-what-is/ky.md"
    assert ky.title == "Блокчейн деген эмне?"
    assert ky.summary == "Көп катышуучу жүргүзгөн реестр."
    assert ky.objectives == ("Блокту түшүнүү",)
    assert ky.keywords == ("блок", "хеш")
    assert ky.source_hash == sha(LESSON_KY)
    assert ky.toc == (TocEntry("блокчейн-деген-эмне", "Блокчейн деген эмне?", 2),)
    assert '<div class="admonition note">' in ky.html
    assert ky.word_count > 10 and ky.reading_minutes == 1
    # A link to another lesson's folder becomes a link to that item.
    assert '<a href="item:hashes">хештер</a>' in ky.html
    assert lesson.texts["en"].summary == ""


def test_images_become_assets_and_the_language_variant_wins(tmp_path: Path) -> None:
    """`images/chain.svg` in ky.md uses chain.ky.svg; ru.md and en.md use chain.svg."""
    course = parse_repository(write_repo(tmp_path)).courses[0]
    texts = course.lessons["hashes"].texts
    ky_svg = f"{C}/lessons/02-hashes/images/chain.ky.svg"
    svg = f"{C}/lessons/02-hashes/images/chain.svg"
    assert texts["ky"].assets == (ky_svg,)
    assert texts["ru"].assets == (svg,)
    assert f'src="asset:{sha(SVG_KY)}/chain.ky.svg"' in texts["ky"].html
    assert f'src="asset:{sha(SVG)}/chain.svg"' in texts["en"].html
    asset = course.assets[svg]
    assert (asset.filename, asset.sha256, asset.size, asset.media_type, asset.data) == (
        "chain.svg",
        sha(SVG),
        len(SVG),
        "image/svg+xml",
        SVG,
    )
    assert set(course.assets) == {f"{C}/cover.png", svg, ky_svg}


def test_url_hooks_decide_published_urls(tmp_path: Path) -> None:
    parsed = parse_repository(
        write_repo(tmp_path),
        asset_url=lambda digest, name: f"/media/{digest[:8]}/{name}",
        item_url=lambda item_id: f"../{item_id}/",
    )
    course = parsed.courses[0]
    assert f'src="/media/{sha(SVG)[:8]}/chain.svg"' in course.lessons["hashes"].texts["ru"].html
    assert '<a href="../hashes/">' in course.lessons["what-is"].texts["ky"].html


def test_quiz_questions_options_and_answer_keys(tmp_path: Path) -> None:
    quiz = parse_repository(write_repo(tmp_path)).courses[0].quizzes["check"]
    assert (quiz.id, quiz.path) == ("check", f"{C}/quizzes/check.yaml")
    assert (quiz.pass_threshold, quiz.max_attempts, quiz.shuffle_options) == (60, 3, True)
    single, multiple, true_false, number, text = quiz.questions
    assert single.type == "single" and single.correct_option_ids == ("prev-hash",)
    assert [o.id for o in single.options] == ["prev-hash", "password"]
    assert single.options[0].text_html["en"] == "The previous hash"
    assert single.prompt_html["ru"] == "<p>Что хранит блок?</p>"
    assert (multiple.scoring, multiple.correct_option_ids) == ("partial", ("open",))
    assert true_false.answer is True
    assert (number.answer, number.tolerance) == (64, 0)
    assert number.explanation["en"] == "256 / 4 = 64"
    assert text.accept == {"ky": ("хеш",), "ru": ("хеш", "хэш"), "en": ("hash",)}
    assert quiz.answer_keys()["block-stores"] == (
        '{"correct":["prev-hash"],"points":1,"type":"single"}'
    )


def test_glossary_terms(tmp_path: Path) -> None:
    [term] = parse_repository(write_repo(tmp_path)).glossary
    assert (term.id, term.path) == ("hash", "glossary/hash.yaml")
    assert term.term["en"] == "Hash"
    assert term.definition_html["en"] == "<p>A short <strong>fingerprint</strong> of data.</p>"


def test_missing_translation_falls_back_and_warns(tmp_path: Path) -> None:
    """Without en.md the lesson warns (W101) and English readers get the Russian text."""
    parsed = parse_repository(write_repo(tmp_path, {f"{C}/lessons/01-what-is/en.md": None}))
    assert codes(parsed.diagnostics) == ["W101"]
    lesson = parsed.courses[0].lessons["what-is"]
    assert lesson.fallbacks == {"en": "ru"}
    text, used = lesson.text_for("en")
    assert used == "ru" and text is lesson.texts["ru"]


def test_pointing_at_one_course_folder(tmp_path: Path) -> None:
    """A course folder alone is read with the same repository-relative paths."""
    write_repo(tmp_path)
    parsed = parse_repository(tmp_path / C)
    assert parsed.diagnostics == []
    assert [c.slug for c in parsed.courses] == ["demo"]
    assert parsed.glossary == []
    assert parsed.courses[0].lessons["what-is"].texts["ky"].path == f"{C}/lessons/01-what-is/ky.md"


def test_folder_without_courses_is_an_error(tmp_path: Path) -> None:
    assert [d.format() for d in lint_path(tmp_path)] == [
        ".:1:1: error E009: no course found: expected course.yaml or courses/<slug>/course.yaml"
    ]


def test_course_yml_is_named_wrongly(tmp_path: Path) -> None:
    (tmp_path / "courses" / "demo").mkdir(parents=True)
    (tmp_path / "courses" / "demo" / "course.yml").write_text("slug: demo\n")
    assert where(lint_path(tmp_path), "E009") == [(f"{C}/course.yml", 1, 1)]


def test_render_cache_reuses_unchanged_lessons(tmp_path: Path) -> None:
    """A cached result with a matching render key is used as is, without rendering."""
    write_repo(tmp_path)
    first = parse_repository(tmp_path).courses[0].lessons["what-is"].texts["ky"]
    cache = {first.source_hash: Rendered("<p>cached</p>", (), 1, 1, first.render_key)}
    again = parse_repository(tmp_path, render_cache=cache).courses[0]
    assert again.lessons["what-is"].texts["ky"].html == "<p>cached</p>"
    assert again.lessons["what-is"].texts["ru"].html != "<p>cached</p>"


def test_render_cache_is_ignored_when_an_image_changes(tmp_path: Path) -> None:
    """The same Markdown with a changed image renders again: the asset URL changed."""
    write_repo(tmp_path)
    first = parse_repository(tmp_path).courses[0].lessons["hashes"].texts["ru"]
    (tmp_path / C / "lessons/02-hashes/images/chain.svg").write_bytes(SVG + b"<!-- v2 -->")
    cache = {first.source_hash: first.rendered}
    second = parse_repository(tmp_path, render_cache=cache).courses[0].lessons["hashes"]
    assert second.texts["ru"].source_hash == first.source_hash
    assert second.texts["ru"].render_key != first.render_key
    assert second.texts["ru"].html != first.html
    assert RENDER_VERSION


def test_lint_does_not_render(tmp_path: Path) -> None:
    """lint_path checks everything without producing HTML, and a broken link is E013 there too."""
    assert codes(lint_path(write_repo(tmp_path, lesson("\n[x](nope.md)\n")))) == ["E013"]


def test_links_inside_code_are_not_checked(tmp_path: Path) -> None:
    """Code blocks and inline code may show broken links and raw HTML as examples."""
    body = "\n```html\n<script src=x></script> ![x](nope.png)\n```\n\n`<iframe>` and `[a](b.md)`\n"
    assert lint_path(write_repo(tmp_path, lesson(body))) == []


def test_link_to_another_lesson_file_and_quiz(tmp_path: Path) -> None:
    body = "\n[a](../02-hashes/ru.md#top) [b](../../quizzes/check.yaml)\n"
    parsed = parse_repository(write_repo(tmp_path, lesson(body)))
    assert parsed.diagnostics == []
    html = parsed.courses[0].lessons["what-is"].texts["ky"].html
    assert '<a href="item:hashes#top">a</a>' in html
    assert '<a href="item:check">b</a>' in html
