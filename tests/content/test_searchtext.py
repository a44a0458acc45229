"""The search text rules (courses.content.searchtext): pure, the same on both databases."""

import pytest

from courses.content.searchtext import (
    LessonSource,
    fold,
    headline_html,
    plain_text,
    query_words,
    rank_fields,
    revision_entries,
    snippet_html,
    summary_text,
    word_prefix,
)


def test_folding_reads_yo_as_ye_and_keeps_every_position():
    for text in ("Кошелёк", "ЁЖ", "Straße", "İstanbul", "ǅ"):
        assert len(fold(text)) == len(text)
    assert fold("КОШЕЛЁК Ёж") == "кошелек еж"


def test_query_words_are_folded_letters_and_digits_each_once():
    assert query_words(' Кошелёк & | ! :* "КОШЕЛЕК" sha256 a_b \x00 х') == ["кошелек", "sha256"]
    assert query_words("& | ! :*") == []
    assert len(query_words("слово " * 50 + " ".join(f"w{n}" for n in range(50)))) <= 8
    assert all(len(word) <= 40 for word in query_words("я" * 5000))


@pytest.mark.parametrize(
    ("word", "language", "prefix"),
    [
        ("hashing", "en", "hash"),
        ("wallets", "en", "wallet"),
        ("currencies", "en", "currenc"),
        ("keys", "en", "key"),
        ("кошелек", "ru", "кошел"),
        ("кошельки", "ru", "кошел"),
        ("хеши", "ru", "хеш"),
        ("биткоина", "ru", "битко"),
        ("капчыктарды", "ky", "капчык"),
        ("капчыгыңызды", "ky", "капчык"),
        ("хештер", "ky", "хеш"),
        ("капчык", "ky", "капчы"),
        ("үй", "ky", "үй"),
    ],
)
def test_word_prefixes_strip_common_endings(word, language, prefix):
    assert word_prefix(word, language) == prefix


def test_plain_text_keeps_blocks_apart_and_drops_markup():
    html = (
        "<h2>Кошелёк</h2><p>Хранит <strong>ключи</strong> &amp; адреса.</p>"
        "<ul><li>один</li><li>два</li></ul><pre><code>&lt;b&gt;</code></pre>"
    )
    assert plain_text(html) == "Кошелёк · Хранит ключи & адреса. один · два · <b>"


def test_a_title_match_ranks_before_many_body_matches():
    title = rank_fields({"title": "кошелек", "body": ""}, ["кошел"])
    body = rank_fields({"title": "ключи", "body": "кошелек " * 20}, ["кошел"])
    assert title is not None and body is not None and title > body
    assert rank_fields({"title": "закошелек"}, ["кошел"]) is None  # not at a word's start
    assert rank_fields({"title": "кошелек"}, ["кошел", "ключ"]) is None  # every word


def test_snippets_cut_around_the_match_escape_and_mark():
    text = "Вступление. " * 30 + "Алиса & <Боб> хранят кошелёк. " + "Конец. " * 30
    html = snippet_html(text, ["кошел"], width=80)
    assert "<mark>кошелёк</mark>" in html
    assert "&amp; &lt;Боб&gt;" in html
    assert html.startswith("… ") and html.endswith(" …")
    assert len(html) < 200


def test_headlines_are_escaped_and_marked():
    assert headline_html("a <b> \ue000кошелек\ue001 & c") == (
        "a &lt;b&gt; <mark>кошелек</mark> &amp; c"
    )


def test_summaries_are_cut_at_a_word():
    assert summary_text("short") == "short"
    cut = summary_text("слово " * 100)
    assert cut.endswith("слово…") and len(cut) <= 200


def test_revision_entries_index_what_each_language_has():
    entries = revision_entries(
        languages=["ky", "ru", "en"],
        title={"ru": "Кошельки", "en": "Wallets"},  # none in ky: not in the ky catalogue
        description_html={"ru": "<p>О <b>кошельках</b>.</p>", "en": "<p>About hashes.</p>"},
        tags=["security", "wallets"],
        topic_names={"security": {"ru": "Безопасность"}, "wallets": "broken"},
        glossary=[
            ({"ru": "Хеш", "en": "Hash"}, {"ru": "<p>Отпечаток</p>", "en": "<p>A print</p>"}),
            ({"ru": "Нонс", "en": "Nonce"}, {"ru": "<p>Число</p>", "en": "<p>A number</p>"}),
        ],
        quiz_titles=[{"ru": "Проверка", "en": "Check"}],
        lessons=[
            LessonSource(
                key="keys",
                language="ru",
                title="Ключи",
                summary="Кратко.",
                html="<p>Хеш ключа.</p>",
                keywords=("ключ",),
            ),
        ],
    )
    by_key = {(e.item_key, e.language): e for e in entries}
    assert set(by_key) == {(None, "ru"), (None, "en"), ("keys", "ru")}
    ru = by_key[(None, "ru")]
    assert ru.terms == "Безопасность · security · wallets · Хеш"  # Нонс is not mentioned
    assert (ru.body, ru.extra) == ("О кошельках.", "Отпечаток · Проверка")
    assert by_key[(None, "en")].terms == "security · wallets · Hash"
    lesson = by_key[("keys", "ru")]
    assert (lesson.title, lesson.terms, lesson.body) == ("Ключи", "ключ", "Кратко. Хеш ключа.")
    assert lesson.folded == "ключи\nключ\nкратко. хеш ключа.\n"
