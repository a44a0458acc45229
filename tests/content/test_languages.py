"""Language fallback: ky → ru → en, ru → en → ky, en → ru → ky."""

from courses.content import fallback_chain, normalize_text_answer, pick_text


def test_fallback_chains() -> None:
    assert fallback_chain("ky") == ("ky", "ru", "en")
    assert fallback_chain("ru") == ("ru", "en", "ky")
    assert fallback_chain("en") == ("en", "ru", "ky")
    assert fallback_chain("de") == ("en", "ru", "ky")


def test_pick_text_prefers_the_language_then_its_chain() -> None:
    texts = {"ky": "Салам", "ru": "Привет", "en": ""}
    assert pick_text(texts, "ky") == ("Салам", "ky")
    assert pick_text(texts, "en") == ("Привет", "ru")
    assert pick_text({"en": "Hi"}, "ky") == ("Hi", "en")
    assert pick_text({"ky": "Салам"}, "ru") == ("Салам", "ky")
    assert pick_text({}, "ru") == (None, None)


def test_text_answers_are_trimmed_collapsed_casefolded_and_nfc() -> None:
    assert normalize_text_answer("  Хеш   СУММА ") == "хеш сумма"
    assert normalize_text_answer("e\u0301") == normalize_text_answer("\u00e9")
    assert normalize_text_answer("STRASSE") == normalize_text_answer("straße")
