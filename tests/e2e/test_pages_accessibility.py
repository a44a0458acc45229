"""axe-core finds nothing serious on the glossary, dashboard, verify and account pages, on a
phone and a desktop, in the light and the dark colour scheme (the system's setting), in
Kyrgyz and Russian. tests/e2e/test_accessibility.py covers the other pages, in light."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from courses.models import Enrollment, RevisionItem
from courses.services.certificates import certificate_issue, certificate_request
from courses.services.learning import enrollment_create, lesson_complete, quiz_attempt_submit
from lms.services import api_token_create
from tests.e2e.axe import assert_styled, describe, preload_axe, run_axe
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
WRONG = {"block-stores": "password", "properties": ["owned"], "hash-changes": False,
         "sha-length": "32", "term": "сыр"}  # fmt: skip


@pytest.fixture
def people(demo_course):
    learner = UserFactory(name="Айгүл Өмүрбекова", language="ky")
    enrollment, _created = enrollment_create(user=learner, course=demo_course)
    lesson_complete(enrollment=enrollment, item=demo_course.items.get(key="what-is"))
    quiz = RevisionItem.objects.select_related("item").get(
        revision=demo_course.live_revision, item__key="check"
    )
    quiz_attempt_submit(enrollment=enrollment, revision_item=quiz, answers=WRONG, language="ky")
    api_token_create(user=learner, name="Менин скриптим")
    graduate = UserFactory(name="Нурлан Асанов", language="ky")
    done = Enrollment.objects.create(user=graduate, course=demo_course, completed_at=timezone.now())
    certificate = certificate_issue(certificate_id=certificate_request(enrollment=done).pk)
    return {"learner": learner, "graduate": graduate, "new": UserFactory(name="Бакыт"),
            "certificate": certificate}  # fmt: skip


def _signed_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": name, "value": client.cookies[name].value,
                          "url": live_server.url}])  # fmt: skip


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_the_pages_have_no_serious_accessibility_finding(
    live_server, browser, people, lang, scheme
):
    certificate = people["certificate"].public_id
    visits = {
        None: ["/glossary/", "/courses/demo/glossary/", "/courses/demo/glossary/hash/",
               f"/verify/{certificate}/", "/accounts/password/reset/",
               "/verify/3f1c8c1e-5d7b-4bde-9a55-4b1b0c1f2a3b/"],
        "learner": ["/dashboard/", "/accounts/tokens/", "/accounts/password/change/",
                    "/accounts/email/", "/join/"],
        "graduate": ["/dashboard/", f"/verify/{certificate}/"],
        "new": ["/dashboard/"],
    }  # fmt: skip
    findings = []
    for who, paths in visits.items():
        context = browser.new_context(locale=f"{lang}-KG", color_scheme=scheme)
        preload_axe(context)
        if who:
            _signed_in(context, live_server, people[who])
        page = context.new_page()
        page.set_default_timeout(10_000)
        for path in paths:
            page.set_viewport_size(VIEWPORTS["desktop"])
            page.goto(f"{live_server.url}/{lang}{path}")
            assert page.locator("main").count() == 1, f"{path} did not render a page"
            assert_styled(page)
            for name, viewport in VIEWPORTS.items():
                page.set_viewport_size(viewport)
                if violations := run_axe(page):
                    where = f"[{who or 'visitor'}, {scheme}, {name}] {path}: "
                    findings.append(describe(violations, where=where))
        context.close()
    assert not findings, "\n".join(findings)
