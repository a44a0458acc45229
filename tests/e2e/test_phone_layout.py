"""The learner's core pages on a phone, in Kyrgyz, with the sample courses of examples/: the
header is one row at 390 px, no page scrolls sideways at 360 px (the menu open or not), and
what is wider than a phone (a table, a diagram) scrolls inside its own box at a legible size."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from courses.models import Course
from courses.services.learning import enrollment_create
from tests.conftest import ROOT, publish
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COURSE = "/ky/courses/blockchain-basics/"
PAGES = {
    "home": "/ky/",
    "catalogue": "/ky/courses/",
    "course": COURSE,
    "lesson with a table": f"{COURSE}what-is-blockchain/",
    "lesson with a diagram": f"{COURSE}hashes-and-blocks/",
    "quiz": f"{COURSE}foundations-check/",
}

# The header's visible parts, and whether they share one row: each part's box overlaps the
# band between the lowest top and the highest bottom of them all.
HEADER = """() => {
  const parts = [...document.querySelector(".header-row").children]
    .filter((el) => el.getClientRects().length)
    .map((el) => el.getBoundingClientRect());
  return {
    height: document.querySelector(".site-header").getBoundingClientRect().height,
    parts: parts.length,
    oneRow: Math.max(...parts.map((b) => b.top)) < Math.min(...parts.map((b) => b.bottom)),
  };
}"""
WIDTH = "document.documentElement.scrollWidth"


@pytest.fixture
def learner():
    """The sample courses published; a learner enrolled in the first, who sees the quiz."""
    publish(ROOT / "examples")
    user = UserFactory(name="Айгүл Өмүрбекова", language="ky")
    enrollment_create(user=user, course=Course.objects.get(slug="blockchain-basics"))
    return user


def phone(browser, live_server, width: int, user=None):
    context = browser.new_context(locale="ky-KG", viewport={"width": width, "height": 800})
    if user is not None:
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        context.add_cookies([{"name": name, "value": client.cookies[name].value,
                              "url": live_server.url}])  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.mark.parametrize("who", ["visitor", "learner"])
def test_the_header_is_one_row_at_390_px(live_server, browser, learner, who):
    context, page = phone(browser, live_server, 390, learner if who == "learner" else None)
    problems = []
    for name, path in PAGES.items():
        page.goto(live_server.url + path)
        header = page.evaluate(HEADER)
        if not header["oneRow"] or header["height"] > 72:
            problems.append(f"{name}: {header}")
    context.close()
    assert not problems, problems


@pytest.mark.parametrize("who", ["visitor", "learner"])
def test_no_page_scrolls_sideways_at_360_px(live_server, browser, learner, who):
    """Nor with the menu (language and account) open, which stays on the screen."""
    context, page = phone(browser, live_server, 360, learner if who == "learner" else None)
    problems = []
    for name, path in PAGES.items():
        page.goto(live_server.url + path)
        if (width := page.evaluate(WIDTH)) > 360:
            problems.append(f"{name}: the page is {width} px wide")
        page.locator(".site-menu summary").click()
        panel = page.locator(".menu-panel").bounding_box()
        if panel["x"] < 0 or panel["x"] + panel["width"] > 360:
            problems.append(f"{name}: the open menu spans {panel}")
        if (width := page.evaluate(WIDTH)) > 360:
            problems.append(f"{name}: with the menu open the page is {width} px wide")
    context.close()
    assert not problems, problems


def test_a_table_and_a_diagram_scroll_in_their_own_box_at_a_legible_size(
    live_server, browser, learner
):
    context, page = phone(browser, live_server, 360)
    page.goto(live_server.url + PAGES["lesson with a table"])
    box = page.locator(".lesson-body .table-scroll").first
    assert box.evaluate("el => el.scrollWidth > el.clientWidth"), "the table fits: no test"
    assert box.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    box.evaluate("el => el.scrollLeft = el.scrollWidth")
    assert box.evaluate("el => el.scrollLeft") > 0
    assert page.evaluate(WIDTH) <= 360

    # A diagram is drawn for a phone (a narrow variant, <picture>) or keeps its size in a box
    # that scrolls: either way at no less than 3/4 of the size it was drawn at (a 760 px
    # drawing with 11 px labels shrunk into a 328 px column would have 5 px labels).
    page.goto(live_server.url + PAGES["lesson with a diagram"])
    diagram = page.locator(".lesson-body img").first
    diagram.scroll_into_view_if_needed()
    drawn = diagram.evaluate(
        """img => ({scale: img.getBoundingClientRect().width / img.naturalWidth,
                    source: img.currentSrc})"""
    )
    assert drawn["scale"] >= 0.75, drawn
    assert page.evaluate(WIDTH) <= 360
    context.close()
