"""The live SHA-256 box of a lesson in a real browser: it loads only on a lesson that has one,
under the site's Content-Security-Policy; typing changes the hash at once and a pause
announces it; without JavaScript the box shows the starting text and its hash; axe passes
after use, on a phone and a desktop, in Kyrgyz and Russian."""

from __future__ import annotations

import hashlib

import pytest
from playwright.sync_api import expect

from tests.conftest import publish
from tests.content.helpers import COURSE_DIR
from tests.e2e.axe import describe, preload_axe, run_axe
from tests.gitrepo import make_repo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SALAM = hashlib.sha256(b"Salam").hexdigest()
SALAM_BANG = hashlib.sha256(b"Salam!").hexdigest()
BODY = "\n## {heading}\n\n{text}\n\n```widget sha256\nSalam\n```\n"
LESSONS = {
    "ky": ("Хеш", "Төмөнкү талаага жазыңыз."),
    "ru": ("Хеш", "Напишите что-нибудь в поле ниже."),
    "en": ("Hash", "Type into the box below."),
}
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.effectiveDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def course(tmp_path):
    """The demo course whose second lesson ("hashes") has a widget in every language."""
    files = {
        f"{COURSE_DIR}/lessons/02-hashes/{lang}.md": f"---\ntitle: {heading}\n---\n"
        + BODY.format(heading=heading, text=text)
        for lang, (heading, text) in LESSONS.items()
    }
    publish(make_repo(tmp_path / "repo", files).path)


def _context(browser, lang: str, width: int, **options):
    context = browser.new_context(
        locale=f"{lang}-KG", viewport={"width": width, "height": 900}, **options
    )
    context.add_init_script(LISTEN)
    return context


@pytest.mark.parametrize(("lang", "width"), [("ky", 390), ("ru", 1280)])
def test_typing_changes_the_hash_and_a_pause_announces_it(live_server, browser, course, lang,
                                                          width):  # fmt: skip
    context = _context(browser, lang, width)
    preload_axe(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    scripts = []
    page.on("request", lambda request: scripts.append(request.url) if request.resource_type
            == "script" else None)  # fmt: skip
    page.goto(f"{live_server.url}/{lang}/courses/demo/hashes/")
    box = page.locator(".widget-sha256")
    hash_code = box.locator(".widget-hash code")
    field = box.locator("textarea")
    assert field.is_visible() and field.input_value() == "Salam"
    assert hash_code.text_content() == SALAM
    assert box.locator(".widget-text").is_hidden() and box.locator(".widget-note").is_hidden()
    label = page.locator(f"label[for='{field.get_attribute('id')}']")
    assert label.is_visible()

    field.focus()  # by keyboard, as a learner would type
    page.keyboard.press("End")
    page.keyboard.type("!")
    expect(hash_code).to_have_text(SALAM_BANG)  # polls without eval: the page's CSP holds
    status = box.locator("[aria-live=polite]")
    expect(status).not_to_be_empty()
    changed = sum(1 for a, b in zip(SALAM, SALAM_BANG, strict=True) if a != b)
    assert str(changed) in status.text_content()
    assert SALAM_BANG[:8] in status.text_content()
    assert str(changed) in box.locator(".widget-differ").text_content()

    page.keyboard.press("Backspace")  # back to the starting text: the starting hash again
    expect(hash_code).to_have_text(SALAM)
    assert " 0" in box.locator(".widget-differ").text_content()

    assert any("/js/widgets/sha256" in url for url in scripts), scripts
    assert page.evaluate("window.__violations") == []
    violations = run_axe(page)
    context.close()
    assert not violations, describe(violations, where=f"[{lang}, {width}] ")


def test_without_javascript_the_box_shows_the_text_and_its_hash(live_server, browser, course):
    context = _context(browser, "ky", 390, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/ky/courses/demo/hashes/")
    box = page.locator(".widget-sha256")
    assert box.locator(".widget-text").text_content() == "Salam"
    assert box.locator(".widget-hash code").text_content() == SALAM
    assert box.locator(".widget-note").is_visible()
    assert box.locator("textarea").is_hidden()
    assert "Байкап көрүңүз" in box.text_content()  # labelled in the lesson's language
    context.close()


def test_a_lesson_without_a_widget_does_not_load_the_script(live_server, browser, course):
    context = _context(browser, "ru", 1280)
    page = context.new_page()
    scripts = []
    page.on("request", lambda request: scripts.append(request.url))
    page.goto(f"{live_server.url}/ru/courses/demo/what-is/")
    assert page.locator("h1").is_visible()
    assert not [url for url in scripts if "/widgets/" in url], scripts
    context.close()
