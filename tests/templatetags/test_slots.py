"""Kept parts cut at their slots and filled in."""

from courses.templatetags.slots import cut, slot


def listing(count: int) -> str:
    rows = "".join(
        f'<li class="{slot(f"state:{index}")}">{index}{slot(f"badge:{index}")}</li>'
        for index in range(count)
    )
    return f"<h1>{slot('title')}</h1><ol>{rows}</ol>"


def expected(count: int, states: dict[int, str], badges: dict[int, str]) -> str:
    rows = "".join(
        f'<li class="{states.get(index, "blank")}">{index}{badges.get(index, "")}</li>'
        for index in range(count)
    )
    return f"<h1>-</h1><ol>{rows}</ol>"


def test_filling_by_index_gives_each_item_its_values_and_the_rest_blank():
    part = cut(listing(5).replace(slot("title"), "-"))
    blank = {"state": "blank", "badge": ""}
    assert part.fill_by_index(blank, {}) == expected(5, {}, {})
    values = {1: {"state": "done", "badge": " ✓"}, 3: {"state": "passed"}, 9: {"state": "x"}}
    assert part.fill_by_index(blank, values) == expected(5, {1: "done", 3: "passed"}, {1: " ✓"})
    # The blank runs made for the first fill do not keep what a later fill put in them.
    assert part.fill_by_index(blank, {}) == expected(5, {}, {})
    other = {"state": "other", "badge": "?"}
    assert part.fill_by_index(other, {}).count('class="other"') == 5


def test_filling_names_replaces_every_slot_once_computed():
    calls = []

    def title() -> str:
        calls.append(1)
        return "T"

    part = cut(f"{slot('title')}|{slot('title')}|{slot('name')}")
    assert part.fill({"title": title, "name": "N", "unused": lambda: 1 / 0}) == "T|T|N"
    assert calls == [1]
