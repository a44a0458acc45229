"""The public verify page in a real browser: the certificate's picture loads under the site's
Content-Security-Policy, the technical details start folded, and axe finds nothing serious on
a phone or a desktop in Kyrgyz, Russian and English."""

from __future__ import annotations

import pytest
from django.utils import timezone

from courses.models import Enrollment
from courses.services.certificates import certificate_issue, certificate_request
from tests.e2e.axe import describe, preload_axe, run_axe
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def certificate(demo_course):
    user = UserFactory(name="Айгүл Өмүрбекова", language="ky")
    enrollment = Enrollment.objects.create(
        user=user, course=demo_course, completed_at=timezone.now()
    )
    return certificate_issue(certificate_id=certificate_request(enrollment=enrollment).pk)


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_verify_page_shows_the_picture_and_passes_axe(
    live_server, browser, certificate, lang, tmp_path
):
    context = browser.new_context(locale=f"{lang}-KG")
    preload_axe(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/{lang}/verify/{certificate.public_id}/")
    findings = []
    for name, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        image = page.locator(".verify-card img")
        image.wait_for()
        assert (
            page.evaluate("() => document.querySelector('.verify-card img').naturalWidth") == 1200
        )
        box = image.bounding_box()
        assert box and box["width"] <= viewport["width"], "the picture overflows the page"
        assert page.locator("details.verify-technical").get_attribute("open") is None
        if violations := run_axe(page):
            findings.append(describe(violations, where=f"[{name}] verify ({lang}): "))
        page.screenshot(path=str(tmp_path / f"verify-{lang}-{name}.png"), full_page=True)
    context.close()
    assert not findings, "\n".join(findings)
