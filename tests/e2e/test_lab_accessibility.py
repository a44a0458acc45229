"""Every lab page passes axe-core's WCAG 2 A/AA rules (no serious or critical finding) on a
phone and a desktop, in Kyrgyz and Russian: for a visitor, and for a learner with the answer
form, a keys lab's challenge and results right and wrong; and on a phone once the learner has
used its widgets (hashed, mined, compared, signed, built a payment: tests/e2e/
test_lab_journeys.py), with every state they show."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.test import Client

from courses.content.labhash import mine
from courses.selectors.learning import item_view
from courses.services.learner_actions import attempt_submit, lab_challenge_request
from tests.e2e.axe import describe, preload_axe, run_axe
from tests.e2e.test_lab_journeys import USE
from tests.factories import UserFactory
from tests.labfiles import publish_labs

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
LABS = ("find-text", "mine", "repair", "peers", "sign", "pay")
SHOTS = os.environ.get("LAB_SCREENSHOTS", "")  # a folder to keep the screenshots in, if set


@pytest.fixture
def learner(tmp_path):
    """Enrolled (through a keys lab's challenge), a mining lab solved, a ledger lab failed."""
    publish_labs(tmp_path / "labs")
    user = UserFactory(name="Айпери Асанова")
    for key, answers in (("sign", None), ("mine", {"nonce": mine("Block 1: Aigul → Bakyt 5", 2)}),
                         ("peers", {"peer": 0})):  # fmt: skip
        view = item_view(slug="demo", key=key, language="ky", user=user)
        common = {"user": user, "revision_item": view.current.revision_item,
                  "enrollment": view.course.enrollment}  # fmt: skip
        if answers is None:
            lab_challenge_request(**common)
        else:
            attempt_submit(**common, answers=answers, language="ky")
    return user


def _log_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": name, "value": client.cookies[name].value,
                          "url": live_server.url}])  # fmt: skip


def _findings(page, url: str, paths: dict[str, str], who: str, lang: str) -> list[str]:
    findings = []
    for name, path in paths.items():
        for viewport_name, viewport in VIEWPORTS.items():
            page.set_viewport_size(viewport)
            page.goto(url + path)
            assert page.locator("#lab-params").count() == 1, f"{path} shows no lab"
            if SHOTS:
                page.screenshot(path=f"{SHOTS}/{lang}-{who}-{name}-{viewport_name}.png",
                                full_page=True)  # fmt: skip
            if violations := run_axe(page):
                findings.append(describe(violations, where=f"[{who}, {viewport_name}] {path}: "))
    return findings


def _findings_after_use(page, url: str, lang: str) -> list[str]:
    findings = []
    page.set_viewport_size(VIEWPORTS["phone"])
    for key in LABS:
        page.goto(f"{url}/{lang}/courses/demo/{key}/")
        USE[key](page)
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{lang}-used-{key}-phone.png", full_page=True)
        if violations := run_axe(page):
            findings.append(describe(violations, where=f"[learner, widgets used, phone] {key}: "))
    return findings


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_every_lab_page_has_no_serious_accessibility_violation(live_server, browser, learner,
                                                               lang):  # fmt: skip
    context = browser.new_context(locale=f"{lang}-KG")
    preload_axe(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    url = live_server.url
    findings = _findings(page, url, {key: f"/{lang}/courses/demo/{key}/" for key in LABS},
                         "visitor", lang)  # fmt: skip
    _log_in(context, live_server, learner)
    paths = {key: f"/{lang}/courses/demo/{key}/" for key in LABS}
    paths["mine, solved"] = f"/{lang}/courses/demo/mine/?attempt=1#result"
    paths["peers, not solved"] = f"/{lang}/courses/demo/peers/?attempt=1#result"
    findings += _findings(page, url, paths, "learner", lang)
    findings += _findings_after_use(page, url, lang)
    context.close()
    assert not findings, "\n".join(findings)
