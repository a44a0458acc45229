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


# Each starter lab: its course, kind, and the lesson it comes right after.
STARTER_LABS = {
    "blockchain-basics": {
        "whose-hash": ("hash", "hashes-and-blocks"),
        "five-copies": ("ledger", "distributed-ledger-and-nodes"),
        "mine-a-block": ("mining", "consensus"),
        "repair-the-chain": ("chain", "mine-a-block"),
    },
    "paying-with-crypto": {"pay-with-change": ("transactions", "paying-a-merchant")},
    "keeping-assets-safe": {"sign-with-your-key": ("keys", "custody")},
}


def test_every_starter_course_has_its_labs_in_three_languages():
    """Each course has its labs, of the right kinds, each right after the lesson that
    explains its idea, with a title, task, hints and explanation in ky, ru and en."""
    parsed = parse_repository(EXAMPLES)
    assert not [d.format() for d in parsed.diagnostics]
    for course in parsed.courses:
        expected = STARTER_LABS[course.slug]
        assert {key: lab.kind for key, lab in course.labs.items()} == {
            key: kind for key, (kind, _after) in expected.items()
        }, course.slug
        order = [item.id for module in course.modules for item in module.items]
        for key, (_kind, after) in expected.items():
            assert order.index(key) == order.index(after) + 1, (course.slug, key, order)
            lab = course.labs[key]
            assert lab.max_attempts == 0, key  # a required lab can always be done
            texts = [lab.title, lab.instructions, lab.explanation, *lab.hints]
            htmls = [lab.instructions_html, lab.explanation_html, *lab.hints_html]
            assert len(lab.hints) >= 2, key
            for text in texts + htmls:
                assert set(text) == {"ky", "ru", "en"} and all(text.values()), (key, text)
            assert len({lab.instructions[lang] for lang in ("ky", "ru", "en")}) == 3, key


def test_starter_labs_are_quick_on_a_phone_and_the_certificates_say_which_count():
    """Mining asks for at most 4 zeros and the chain for at most 3; the first nonce that
    mines each language's block is found within 50,000 tries (a phone's browser does that in
    seconds). Blockchain Basics and Paying with Crypto require their labs for the
    certificate; Keeping Your Assets Safe does not require its keys lab, which needs Ed25519
    in the browser (recent browsers only)."""
    from courses.content.labhash import mine

    parsed = parse_repository(EXAMPLES)
    courses = {course.slug: course for course in parsed.courses}
    mining = courses["blockchain-basics"].labs["mine-a-block"].public
    assert mining["difficulty"] <= 4
    assert all(mine(data, mining["difficulty"]) < 50_000 for data in mining["data"].values())
    chain = courses["blockchain-basics"].labs["repair-the-chain"].public
    assert chain["difficulty"] <= 3
    requires = {slug: course.certificate.require for slug, course in courses.items()}
    assert "all_labs" in requires["blockchain-basics"]
    assert "all_labs" in requires["paying-with-crypto"]
    assert "all_labs" not in requires["keeping-assets-safe"]
    assert all({"all_lessons", "all_quizzes"} <= set(r) for r in requires.values())


def test_the_hash_lesson_has_a_live_sha256_box_in_every_language():
    parsed = parse_repository(EXAMPLES)
    course = next(course for course in parsed.courses if course.slug == "blockchain-basics")
    for language, text in course.lessons["hashes-and-blocks"].texts.items():
        assert text.html.count('data-widget="sha256"') == 1, language
        assert "e6aff8d7aabcab5ae824356814a091ba2867835cd6b50e6103b95e29866732a5" in text.html


def test_every_starter_lab_is_solved_by_the_right_answer_and_not_by_the_traps():
    """Each lab graded as the server grades it: the answer a careful learner reaches passes,
    and the tempting mistakes its hints warn about do not."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from courses.content.labanswers import lab_answers_clean
    from courses.content.labdata import lab_payload
    from courses.content.labgrading import lab_grade
    from courses.content.labhash import block_text, mine, nonce_hash

    parsed = parse_repository(EXAMPLES)
    labs = {key: lab_payload(lab) for course in parsed.courses for key, lab in course.labs.items()}

    def passes(key: str, answers: dict, language: str = "ky", challenge: str | None = None):
        lab = labs[key]
        cleaned = lab_answers_clean(lab=lab, answers=answers)
        return lab_grade(lab, cleaned, language=language, challenge=challenge).correct

    assert passes("whose-hash", {"text_index": 3})
    assert not any(passes("whose-hash", {"text_index": index}) for index in (0, 1, 2))
    assert passes("five-copies", {"peer": 2})
    assert not passes("five-copies", {"peer": 1})
    for language in ("ky", "ru", "en"):
        data = labs["mine-a-block"]["public"]["data"][language]
        assert passes("mine-a-block", {"nonce": mine(data, 4)}, language)
        blocks = labs["repair-the-chain"]["public"]["blocks"][language]
        nonces = [blocks[0]["nonce"]]
        previous = nonce_hash(block_text(1, "0" * 64, blocks[0]["data"]), nonces[0])
        for number, block in enumerate(blocks[1:], start=2):
            body = block_text(number, previous, block["data"])
            nonces.append(mine(body, 3))
            previous = nonce_hash(body, nonces[-1])
        assert passes("repair-the-chain", {"nonces": nonces}, language)
        assert not passes("repair-the-chain", {"nonces": [b["nonce"] for b in blocks]}, language)
    pay = {"outputs": [{"to": "shop", "amount": 48}, {"to": "aizada", "amount": 5}], "fee": 2}
    assert passes("pay-with-change", {"inputs": ["a1", "a2"], **pay})
    shop = {"to": "shop", "amount": 48}
    bakyts = {"inputs": ["b1"], "outputs": [shop, {"to": "aizada", "amount": 10}], "fee": 2}
    assert not passes("pay-with-change", bakyts)  # adds up, but the output is not Aizada's
    spent = {"inputs": ["a2", "a3"], "outputs": [shop], "fee": 2}
    assert not passes("pay-with-change", spent)  # adds up, but a3 is spent already
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    challenge = "bilim-lab:sign-with-your-key:0f1e2d"
    signed = {"public_key": public, "signature": key.sign(challenge.encode()).hex()}
    assert passes("sign-with-your-key", signed, challenge=challenge)
    assert not passes("sign-with-your-key", signed, challenge=challenge + "0")
