"""Every HTML page carries a Content-Security-Policy that lets in the site's own scripts,
styles and images only, and no page has anything inline the policy would refuse.

Each page is checked twice: its header forbids inline script and style (no 'unsafe-inline',
no nonce: pages are kept whole, courses/templatetags/slots.py), and its HTML has no inline
script, no <style>, no style attribute and no event handler attribute.
"""

from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.urls import reverse

from courses.models import CohortMembership, Enrollment, Organization
from courses.services.certificates import certificate_issue, certificate_request
from courses.services.cohort_exports import export_request
from courses.services.cohorts import cohort_join
from courses.services.rosters import upload_create
from tests.cohorts.conftest import complete_course, make_cohort
from tests.content.helpers import ALL_RIGHT
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(demo_course):
    """A cohort with a student who completed the course, and its organisation's admin."""
    organization = Organization.objects.create(slug="knu", names={"en": "KNU"})
    cohort = make_cohort(organization, demo_course)
    cohort.admin = UserFactory(name="Admin Aibek")
    organization.admins.add(cohort.admin)
    cohort.student = UserFactory(name="Студент Бакыт")
    cohort_join(user=cohort.student, cohort=cohort, via=CohortMembership.Via.CODE)
    complete_course(Enrollment.objects.get(user=cohort.student, course=demo_course))
    return cohort


# Script types a browser runs; any other (application/json, application/ld+json) is data.
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


def directives(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']}: no Content-Security-Policy"
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


class InlineFinder(HTMLParser):
    """Collects what a policy without 'unsafe-inline' refuses."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            runs = (attributes.get("type") or "").lower() in SCRIPT_TYPES
            self._in_script = runs and "src" not in attributes
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action") and (value or "").startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"inline <script>: {data.strip()[:60]!r}")


def assert_strict_policy(response) -> None:
    """The header lets in nothing inline, and the page needs nothing inline."""
    path = response.request["PATH_INFO"]
    assert response["Content-Type"].startswith("text/html"), path
    policy = directives(response)
    assert policy["default-src"] == ["'self'"], path
    for kind in ("script-src", "style-src", "img-src"):
        sources = policy.get(kind, policy["default-src"])
        assert sources == ["'self'"], (path, kind, sources)
    header = response["Content-Security-Policy"]
    for loophole in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'nonce-", "data:"):
        assert loophole not in header, (path, loophole)
    finder = InlineFinder()
    finder.feed(response.content.decode())
    assert finder.found == [], (path, finder.found)


def pages(client, paths: list[str]) -> None:
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert_strict_policy(response)


def test_the_finder_sees_what_the_policy_refuses():
    finder = InlineFinder()
    finder.feed(
        '<script>alert(1)</script><script src="/static/js/site.js"></script>'
        '<script type="application/json">{"a": 1}</script><p style="color: red">x</p>'
        '<style>p {}</style><a href="javascript:go()" onclick="go()">x</a>'
    )
    assert finder.found == [
        "inline <script>: 'alert(1)'", "<p style='color: red'>", "<style>",
        "<a href='javascript:go()'>", "<a onclick='go()'>",
    ]  # fmt: skip


def test_a_visitors_pages(client, demo_course):
    pages(client, [
        "/ky/", "/en/about/", "/ru/courses/", "/ky/courses/demo/", "/ky/courses/demo/what-is/",
        "/ky/courses/demo/hashes/", "/ky/courses/demo/check/", "/en/courses/demo/glossary/hash/",
        "/en/accounts/login/", "/en/accounts/signup/", "/en/accounts/password/reset/",
        "/en/join/", "/en/join/?code=ZZZZZZZZ",
    ])  # fmt: skip


def test_a_learners_pages(client, demo_course):
    learner = UserFactory()
    enrollment = Enrollment.objects.create(user=learner, course=demo_course)
    complete_course(enrollment)
    client.force_login(learner)
    pages(client, [
        "/en/dashboard/", "/en/courses/", "/en/courses/demo/", "/en/courses/demo/what-is/",
        "/en/courses/demo/check/", "/en/accounts/profile/", "/en/accounts/tokens/",
        "/en/accounts/password/change/", "/en/accounts/email/",
    ])  # fmt: skip


def test_a_quiz_answered_on_the_page(client, demo_course):
    learner = UserFactory()
    client.force_login(learner)
    client.post("/en/courses/demo/enroll/")
    answers = {f"q-{name}": "open" if name == "properties" else str(value).lower()
               for name, value in ALL_RIGHT.items()}  # fmt: skip
    response = client.post("/en/courses/demo/check/attempts/", answers, follow=True)
    assert response.status_code == 200
    assert 'class="quiz-result passed"' in response.content.decode()
    assert_strict_policy(response)


def test_the_email_page_with_a_change_waiting_for_confirmation(client):
    """allauth's page hides a form with a style attribute; ours does without it."""
    user = UserFactory()
    EmailAddress.objects.create(user=user, email="new@example.org", verified=False)
    client.force_login(user)
    response = client.get("/en/accounts/email/")
    html = response.content.decode()
    assert "new@example.org" in html and 'id="pending-email"' in html
    assert_strict_policy(response)


def test_cohort_pages(client, cohort):
    upload = upload_create(
        cohort=cohort, user=cohort.admin, filename="list.csv",
        data=b"email\nnew@example.org\nnot-an-address\n", language="en",
    )  # fmt: skip
    export = export_request(cohort=cohort, user=cohort.admin, language="en")
    client.force_login(cohort.admin)
    pages(client, [
        "/en/cohorts/", f"/en/cohorts/{cohort.pk}/", f"/en/cohorts/{cohort.pk}/enrolment/",
        f"/en/cohorts/{cohort.pk}/edit/", f"/en/cohorts/{cohort.pk}/messages/",
        f"/en/cohorts/{cohort.pk}/members/{cohort.student.pk}/",
        f"/en/cohorts/new/{cohort.organization.slug}/",
        f"/en/cohorts/{cohort.pk}/uploads/{upload.pk}/",
        f"/en/cohorts/{cohort.pk}/exports/{export.pk}/",
        f"/en/join/?code={cohort.join_code}",
        reverse("cohorts:join-invite", kwargs={"token": cohort.invite_token}),
    ])  # fmt: skip


def test_the_cohort_charts_draw_their_bars_without_style_attributes(client, cohort):
    client.force_login(cohort.admin)
    html = client.get(f"/ru/cohorts/{cohort.pk}/").content.decode()
    assert '<svg class="bar"' in html
    assert '<rect width="100" height="1"/>' in html  # the only member completed everything
    assert '<rect width="0.5" height="1"/>' in html  # an empty bar, in any language's numbers


def test_the_verify_page(client, cohort):
    enrollment = Enrollment.objects.get(user=cohort.student)
    certificate = certificate_issue(certificate_id=certificate_request(enrollment=enrollment).pk)
    pages(client, [f"/ky/verify/{certificate.public_id}/", f"/en/verify/{certificate.public_id}/"])


def test_error_pages(client, settings):
    response = client.get("/en/courses/no-such-course/")
    assert response.status_code == 404
    assert_strict_policy(response)
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/m/ip"}
    client.post("/en/accounts/signup/", {"email": "a@example.org"})
    response = client.post("/en/accounts/signup/", {"email": "b@example.org"})
    assert response.status_code == 429
    assert_strict_policy(response)


def test_the_admin_keeps_the_same_policy(client, cohort):
    """The Django admin needs nothing inline either (checked in a browser too): the index,
    and the list, add and change pages of every model registered."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    paths = ["/admin/", "/admin/password_change/"]
    request = client.get("/admin/").wsgi_request
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        paths.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            paths.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.first()
        if first is not None:
            paths.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    pages(client, paths)


def test_files_served_by_the_site_keep_their_own_stricter_policy(client, demo_course):
    html = client.get("/ky/courses/demo/hashes/").content.decode()
    image = html.split('src="', 1)[1].split('"', 1)[0]
    assert image.startswith("/assets/")
    response = client.get(image)
    assert response["Content-Security-Policy"].endswith("sandbox")
