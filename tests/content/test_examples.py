"""The starter curriculum in examples/ follows the format to the letter: three courses, each in
Kyrgyz, Russian and English, with no diagnostic at all."""

from pathlib import Path

from courses.content import lint_path, parse_repository

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


STARTER_COURSES = {"blockchain-basics", "paying-with-crypto", "keeping-assets-safe"}


def test_starter_curriculum_lints_without_a_single_warning():
    assert [d.format() for d in lint_path(EXAMPLES)] == []


def test_every_starter_course_is_complete_in_three_languages():
    parsed = parse_repository(EXAMPLES)
    assert {course.slug for course in parsed.courses} == STARTER_COURSES
    for course in parsed.courses:
        where = course.slug
        assert course.languages == ("ky", "ru", "en"), where
        assert len(course.lessons) >= 6, where
        assert len(course.quizzes) >= 2, where
        assert course.cover, where
        assert course.certificate.enabled, where
        assert all(set(names) == {"ky", "ru", "en"} for names in course.topic_names.values())
        assert set(course.objectives) == {"ky", "ru", "en"}, where
        for lesson in course.lessons.values():
            assert set(lesson.texts) == {"ky", "ru", "en"}, (where, lesson)
        for quiz in course.quizzes.values():
            assert set(quiz.title) == {"ky", "ru", "en"}, (where, quiz)


def test_sample_course_has_the_promised_shape():
    parsed = parse_repository(EXAMPLES)
    course = next(course for course in parsed.courses if course.slug == "blockchain-basics")
    assert course.languages == ("ky", "ru", "en")
    assert len(course.modules) >= 2
    assert len(course.lessons) >= 6
    assert len(course.quizzes) == 2
    types = {q.type for quiz in course.quizzes.values() for q in quiz.questions}
    assert types == {"single", "multiple", "true_false", "number", "text"}
    scoring = {q.scoring for quiz in course.quizzes.values() for q in quiz.questions if q.scoring}
    assert scoring == {"partial", "all_or_nothing"}
    texts = [t for lesson in course.lessons.values() for t in lesson.texts.values()]
    html = " ".join(text.html for text in texts)
    features = ['class="admonition', "<details", 'class="tabbed-set', "<table",
                'class="footnote', 'class="task-list', 'class="highlight', "<img "]  # fmt: skip
    for feature in features:
        assert feature in html, feature
    assert len(parsed.glossary) >= 8
