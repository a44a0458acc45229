"""The sample course in examples/ follows the format to the letter."""

from pathlib import Path

from courses.content import lint_path, parse_repository

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_sample_course_lints_without_a_single_warning():
    assert [d.format() for d in lint_path(EXAMPLES)] == []


def test_sample_course_has_the_promised_shape():
    parsed = parse_repository(EXAMPLES)
    (course,) = parsed.courses
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
