"""Alphabetical order for Kyrgyz, Russian and English readers (courses/content/alphabets.py):
pure, no database."""

from courses.content.alphabets import OTHER, index_letter, sort_key


def ordered(words: list[str], language: str) -> list[str]:
    return sorted(words, key=lambda word: sort_key(word, language))


def test_kyrgyz_letters_sort_after_their_russian_neighbours_not_after_ya():
    words = ["Үлүш", "Яблоко", "Өлчөм", "Пайда", "Орун", "Убакыт", "Финансы", "Аңчы", "Анык",
             "Ачык"]  # fmt: skip
    assert ordered(words, "ky") == ["Анык", "Аңчы", "Ачык", "Орун", "Өлчөм", "Пайда", "Убакыт",
                                    "Үлүш", "Финансы", "Яблоко"]  # fmt: skip


def test_case_is_ignored_and_a_word_comes_before_its_longer_forms():
    assert ordered(["блокчейн", "Блок", "БЛОКТОР"], "ky") == ["Блок", "БЛОКТОР", "блокчейн"]
    assert ordered(["Proofs", "Proof of stake", "proof"], "en") == [
        "proof", "Proof of stake", "Proofs"]  # fmt: skip


def test_russian_files_yo_under_ye_and_kyrgyz_keeps_it_a_letter():
    assert ordered(["Ешь", "Ёж", "Еда"], "ru") == ["Еда", "Ёж", "Ешь"]
    assert ordered(["Ешь", "Ёж", "Еда"], "ky") == ["Еда", "Ешь", "Ёж"]
    assert index_letter("ёлка", "ru") == "Е"
    assert index_letter("ёлка", "ky") == "Ё"


def test_the_other_script_follows_the_pages_alphabet_and_signs_come_last():
    assert ordered(["Bitcoin", "Блок", "3D", "Ёмкость"], "ky") == ["Блок", "Ёмкость", "Bitcoin",
                                                                 "3D"]  # fmt: skip
    assert ordered(["Блок", "Bitcoin", "Éther", "Ether"], "en") == ["Bitcoin", "Ether", "Éther",
                                                                   "Блок"]  # fmt: skip


def test_index_letters():
    assert [index_letter(w, "ky") for w in ("үлүш", "Өлчөм", "ңа", "3D", " ")] == [
        "Ү", "Ө", "Ң", OTHER, OTHER]  # fmt: skip
    assert index_letter("Éther", "en") == "E"
