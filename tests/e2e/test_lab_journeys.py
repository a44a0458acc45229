"""A learner solves every kind of lab in Chromium with its widgets, as a person would: types a
text and hashes the candidates, mines a block, breaks and re-mines a chain, compares the
peers' copies, makes a key pair and signs, builds a payment from unspent outputs. In Kyrgyz
on a phone and in Russian on a desktop: each answer is sent, the lab says "Solved", and the
course's progress moves. The work on a lab survives a language switch; no page scrolls
sideways, breaks the Content-Security-Policy or throws."""

from __future__ import annotations

import os
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils.translation import override, pgettext
from playwright.sync_api import expect

from courses.content.labhash import nonce_hash, sha256_hex
from tests.e2e.test_accessibility import log_in
from tests.factories import UserFactory
from tests.labfiles import lab_yaml, publish_labs

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LAB_SCREENSHOTS", "")  # a folder to keep the screenshots in, if set
RUNS = {
    "ky-phone": ("ky", {"width": 390, "height": 844}),
    "ru-desktop": ("ru", {"width": 1280, "height": 900}),
}


def use_hash(page) -> None:
    """Type a text and see its hash, change one letter, hash every candidate, choose the one
    whose hash is the shown one."""
    field = page.locator("#lab-try-text")
    field.fill("Aigul pays Bakyt 5")
    expect(page.locator("#lab-try-hash")).to_have_text(sha256_hex("Aigul pays Bakyt 5"))
    field.press("End")
    field.press_sequentially("0")
    expect(page.locator("#lab-try-hash")).to_have_text(sha256_hex("Aigul pays Bakyt 50"))
    expect(page.locator("#lab-try-hash mark").first).to_be_visible()
    expect(page.locator("#lab-try-changed")).to_contain_text(re.compile(r"\d"))
    for button in page.locator('.lab-candidate-tool [data-action="hash"]').all():
        button.click()
    states = page.locator('.lab-candidate-tool [data-role="state"]')
    expect(states.and_(page.locator("[data-state=ok]"))).to_have_count(1)
    expect(states.and_(page.locator("[data-state=bad]"))).to_have_count(states.count() - 1)
    page.locator('.lab-candidate-tool:has([data-state=ok]) [data-action="pick"]').click()
    expect(page.locator('input[name="text_index"]:checked')).to_have_count(1)


def use_mining(page) -> None:
    """A nonce typed by hand that fails, then "Mine" finds one that solves the block."""
    data = page.locator("#lab-data").text_content()
    bad = next(n for n in range(100) if not nonce_hash(data, n).startswith("00"))
    page.locator("#lab-try-nonce").fill(str(bad))
    expect(page.locator("#lab-try-hash")).to_have_text(nonce_hash(data, bad))
    expect(page.locator("#lab-try-state")).to_have_attribute("data-state", "bad")
    page.locator("#lab-mine").click()
    expect(page.locator("#lab-try-state")).to_have_attribute("data-state", "ok")
    expect(page.locator("#lab-mine")).to_be_visible()
    expect(page.locator("#lab-mine-progress")).to_contain_text(re.compile(r"\d"))
    nonce = page.locator("#lab-try-nonce").input_value()
    assert nonce_hash(data, int(nonce)).startswith("00") and int(nonce) >= bad
    if page.locator("#lab-nonce").count():
        expect(page.locator("#lab-nonce")).to_have_value(nonce)


def use_chain(page, blocks=(3, 4, 5)) -> None:
    """Editing block 2 breaks it and every later block; putting it back mends it; then the
    tampered block and those after it are mined again."""
    expect(page.locator(".lab-block.is-invalid")).to_have_count(3)
    data = page.locator("#lab-block-2-data")
    data.fill(data.input_value() + "!")
    expect(page.locator(".lab-block.is-invalid")).to_have_count(4)
    expect(page.locator('#lab-block-2 [data-role="badge"]')).to_have_class("badge bad")
    page.locator('#lab-block-2 [data-action="restore"]').click()
    expect(page.locator(".lab-block.is-invalid")).to_have_count(3)
    for number in blocks:
        page.locator(f'#lab-block-{number} [data-action="mine"]').click()
        expect(page.locator(f"#lab-block-{number}")).to_have_class(re.compile(r"\bis-valid\b"))


def use_ledger(page) -> None:
    page.locator("#lab-compare-run").click()
    expect(page.locator(".lab-peer.is-outvoted")).to_have_count(1)
    expect(page.locator('.lab-peer [data-role="vote"][data-state=ok]')).to_have_count(2)
    expect(page.locator(".lab-peer.is-outvoted li.is-different .lab-differs")).to_have_count(1)
    if page.locator("#lab-peer-answer-0").count():
        page.locator('.lab-peer.is-outvoted [data-action="pick"]').click()
        expect(page.locator('input[name="peer"]:checked')).to_have_count(1)


def use_keys(page) -> tuple[str, str]:
    """Make a key pair, sign the challenge, verify it, and see a changed text fail. Returns
    the public key and the signature the form holds."""
    page.locator("#lab-keys-make").click()
    expect(page.locator("#lab-keys-public")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    page.locator("#lab-keys-sign").click()
    public_key = page.locator("#lab-public-key")
    expect(public_key).to_have_value(re.compile(r"^[0-9a-f]{64}$"))
    expect(page.locator("#lab-signature")).to_have_value(re.compile(r"^[0-9a-f]{128}$"))
    page.locator("#lab-keys-verify").click()
    expect(page.locator("#lab-keys-verdict")).to_have_attribute("data-state", "ok")
    page.locator("#lab-keys-check").press_sequentially("!")
    page.locator("#lab-keys-verify").click()
    expect(page.locator("#lab-keys-verdict")).to_have_attribute("data-state", "bad")
    return public_key.input_value(), page.locator("#lab-signature").input_value()


def use_transactions(page) -> None:
    """Spend a1 and a2, pay 45, let the change button return the rest: the fee follows."""
    page.locator("#lab-input-a1").check()
    expect(page.locator("#lab-tx-state")).to_have_attribute("data-state", "")
    page.locator("#lab-input-a2").check()
    page.locator("#lab-amount-1").fill("45")
    expect(page.locator("#lab-fee")).to_have_value("10")
    page.locator("#lab-change").click()
    expect(page.locator("#lab-amount-2")).to_have_value("9")
    expect(page.locator("#lab-fee")).to_have_value("1")
    expect(page.locator("#lab-tx-state")).to_have_attribute("data-state", "ok")
    page.locator("#lab-amount-2").fill("10")
    expect(page.locator("#lab-tx-state")).to_have_attribute("data-state", "bad")
    page.locator("#lab-change").click()
    expect(page.locator("#lab-amount-2")).to_have_value("9")


USE = {"find-text": use_hash, "mine": use_mining, "repair": use_chain, "peers": use_ledger,
       "sign": use_keys, "pay": use_transactions}  # fmt: skip


def no_sideways_scroll(page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} scrolls sideways: {width}"


def switch_language(page, lang: str) -> None:
    page.locator(".site-menu > summary").click()
    with page.expect_navigation():
        page.locator(f'button[name="language"][value="{lang}"]').click()
    assert f"/{lang}/" in page.url


def course_progress(page, url: str) -> int:
    page.goto(url)
    bar = page.locator("main progress")
    return int(bar.first.get_attribute("value")) if bar.count() else 0


def submit_and_see_solved(page, lang: str) -> None:
    with page.expect_navigation():
        page.locator('#lab-answer button[type="submit"]').click()
    assert "?attempt=" in page.url
    with override(lang):
        solved = pgettext("lab result", "Solved")
    expect(page.locator("#result-title")).to_have_text(solved)


@pytest.fixture
def lab_course(tmp_path):
    return publish_labs(tmp_path / "labs")


@pytest.mark.parametrize("run", list(RUNS))
def test_a_learner_solves_every_lab_with_its_widgets(live_server, browser, lab_course, run):
    lang, viewport = RUNS[run]
    other = "ru" if lang == "ky" else "ky"
    context = browser.new_context(locale=f"{lang}-KG", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []  # what threw, and what the Content-Security-Policy refused
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if "Content Security Policy" in message.text else None)  # fmt: skip
    log_in(context, live_server, UserFactory(name="Айгүл Өмүрбекова", language=lang))
    course = f"{live_server.url}/{lang}/courses/demo/"
    progress = [course_progress(page, course)]

    for key in ("find-text", "mine", "repair", "peers", "sign", "pay"):
        page.goto(f"{course}{key}/")
        ask = page.locator('form[action$="/challenge/"] button[type="submit"]')
        if key == "sign" and ask.count():  # a learner not enrolled yet asks for a challenge
            ask.click()
        if key == "sign":
            page.wait_for_selector("#lab-challenge")
        if key == "repair":  # half done, the work survives a switch of language and back
            use_chain(page, blocks=(3,))
            switch_language(page, other)
            expect(page.locator("#lab-block-3")).to_have_class(re.compile(r"\bis-valid\b"))
            expect(page.locator(".lab-block.is-invalid")).to_have_count(2)
            nonce = page.locator("#lab-block-3-nonce").input_value()
            expect(page.locator("#lab-nonce-3")).to_have_value(nonce)
            switch_language(page, lang)
            expect(page.locator("#lab-nonce-3")).to_have_value(nonce)
            for number in (4, 5):
                page.locator(f'#lab-block-{number} [data-action="mine"]').click()
                expect(page.locator(f"#lab-block-{number}")).to_have_class(
                    re.compile(r"\bis-valid\b")
                )
        elif key == "sign":
            public_key, signature = use_keys(page)
            challenge = page.locator("#lab-challenge").text_content()
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
                bytes.fromhex(signature), challenge.encode()
            )  # raises if the browser's signature were wrong
        else:
            USE[key](page)
        no_sideways_scroll(page)
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/journey-{run}-{key}.png", full_page=True)
        submit_and_see_solved(page, lang)
        no_sideways_scroll(page)
        if key == "find-text":
            progress.append(course_progress(page, course))

    progress.append(course_progress(page, course))
    assert progress[0] < progress[1] < progress[2], progress
    passed = page.locator("main .state-passed a")
    for key in USE:
        expect(passed.and_(page.locator(f'[href$="/courses/demo/{key}/"]'))).to_have_count(1)
    assert not errors, errors
    context.close()


@pytest.fixture
def phone(browser, live_server):
    contexts = []

    def open_page(*, javascript: bool = True, script: str = ""):
        context = browser.new_context(locale="ky-KG", viewport=RUNS["ky-phone"][1],
                                      java_script_enabled=javascript)  # fmt: skip
        if script:
            context.add_init_script(script)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_without_javascript_the_widgets_stay_hidden_and_the_form_works(live_server, phone,
                                                                        lab_course):  # fmt: skip
    user = UserFactory()
    page = phone(javascript=False)
    log_in(page.context, live_server, user)
    page.goto(f"{live_server.url}/ky/courses/demo/mine/")
    expect(page.locator("#lab-miner")).to_be_hidden()
    expect(page.locator("#lab-data")).to_be_visible()
    page.locator("#lab-nonce").fill("0")
    with page.expect_navigation():
        page.locator('#lab-answer button[type="submit"]').click()
    expect(page.locator("#result-title")).to_be_visible()  # graded on the server, as before


# A browser whose WebCrypto knows SHA-256 but not Ed25519, as some older ones.
NO_ED25519 = """
const generateKey = crypto.subtle.generateKey.bind(crypto.subtle);
crypto.subtle.generateKey = (algorithm, ...rest) =>
  algorithm && algorithm.name === "Ed25519"
    ? Promise.reject(new DOMException("Unrecognized name.", "NotSupportedError"))
    : generateKey(algorithm, ...rest);
"""


def test_a_browser_without_ed25519_is_told_so_and_keeps_the_typed_form(live_server, phone,
                                                                      lab_course):  # fmt: skip
    user = UserFactory()
    page = phone(script=NO_ED25519)
    log_in(page.context, live_server, user)
    page.goto(f"{live_server.url}/ky/courses/demo/sign/")
    page.locator('form[action$="/challenge/"] button[type="submit"]').click()
    expect(page.locator("#lab-keys-unsupported")).to_be_visible()
    expect(page.locator("#lab-keys-make")).to_be_hidden()
    expect(page.locator("#lab-public-key")).to_be_editable()


def test_a_ledger_that_asks_for_the_value_takes_the_majoritys_value(live_server, phone,
                                                                   tmp_path):  # fmt: skip
    publish_labs(tmp_path / "value", lab_yaml("peers", "peers:\n", "ask: value\npeers:\n"))
    page = phone()
    log_in(page.context, live_server, UserFactory())
    page.goto(f"{live_server.url}/ky/courses/demo/peers/")
    expect(page.locator('.lab-use-value[data-action="value"]:visible')).to_have_count(0)
    page.locator("#lab-compare-run").click()
    uses = page.locator(".lab-use-value:visible")
    expect(uses).to_have_count(3)  # the disputed record, in each copy
    page.locator(".lab-peer:not(.is-outvoted) .lab-use-value:visible").first.click()
    expect(page.locator("#lab-value")).to_have_value("Bakyt → Chynara 2")
    submit_and_see_solved(page, "ky")


def test_mining_can_be_stopped_and_the_page_stays_usable(live_server, phone, tmp_path):
    """At difficulty 6 (16 million tries expected) "Stop" ends the search; the learner can
    type again and mine again."""
    publish_labs(tmp_path / "hard", lab_yaml("mine", "difficulty: 2", "difficulty: 6"))
    page = phone()
    page.goto(f"{live_server.url}/ky/courses/demo/mine/")
    page.locator("#lab-mine").click()
    stop = page.locator("#lab-stop")
    expect(stop).to_be_focused()  # the keyboard is where the next action is
    expect(page.locator("#lab-mine-progress")).to_contain_text(re.compile(r"\d"))
    page.wait_for_function("Number(document.querySelector('#lab-try-nonce').value) > 500")
    stop.click()
    expect(page.locator("#lab-mine")).to_be_focused()
    expect(page.locator("#lab-try-nonce")).to_be_editable()
    expect(page.locator("#lab-live")).not_to_be_empty()
    page.locator("#lab-try-nonce").fill("7")
    expect(page.locator("#lab-try-input")).to_have_text(re.compile(r"7$"))
