"""The dashboard is kept whole per digest of the rows it is made of
(`courses.templatetags.dashboard.dashboard_page_kept`): a kept dashboard is the page the
templates render, a second visit renders nothing, and any change in what it shows is
another page."""

import pytest
from django.utils import timezone

from courses.models import Enrollment, Item
from courses.services.certificates import certificate_issue, certificate_request
from courses.services.learning import enrollment_create, lesson_complete
from courses.templatetags import slots
from tests.factories import UserFactory
from tests.views.test_page_caching import page, plain, publish, without_tokens

pytestmark = pytest.mark.django_db

DASHBOARD = "/en/dashboard/"


@pytest.fixture
def course(repo):
    return publish(repo)


def reader(course, kind: str):
    user = UserFactory(name="" if kind == "no name" else "Ann <b>O'Brien</b>")
    if kind in ("started", "no name"):
        enrollment, _ = enrollment_create(user=user, course=course)
        lesson_complete(enrollment=enrollment, item=Item.objects.get(key="what-is"))
    if kind == "certified":
        done = Enrollment.objects.create(user=user, course=course, completed_at=timezone.now())
        certificate_issue(certificate_id=certificate_request(enrollment=done).pk)
    return user


@pytest.mark.parametrize("kind", ["new", "no name", "started", "certified"])
@pytest.mark.parametrize("path", [DASHBOARD, "/ky/dashboard/"])
def test_a_kept_dashboard_is_the_page_the_templates_render(client, course, kind, path,
                                                           monkeypatch):  # fmt: skip
    client.force_login(reader(course, kind))
    first, again = page(client, path), page(client, path)
    assert (
        without_tokens(first)
        == without_tokens(again)
        == without_tokens(plain(client, path, monkeypatch))
    )
    if kind != "no name":
        assert ", Ann!" in first  # the short name, in the welcome or the greeting


def test_a_second_visit_renders_nothing_and_a_change_renders_anew(client, course, monkeypatch):
    rendered = []
    render = slots.render_to_string

    def counting(template_name, context=None, *args, **kwargs):
        rendered.append(template_name)
        return render(template_name, context, *args, **kwargs)

    monkeypatch.setattr(slots, "render_to_string", counting)
    user = reader(course, "started")
    client.force_login(user)
    page(client, DASHBOARD)
    page(client, DASHBOARD)
    assert rendered.count("courses/dashboard.html") == 1
    enrollment = Enrollment.objects.get(user=user)
    lesson_complete(enrollment=enrollment, item=Item.objects.get(key="hashes"))
    assert '<progress max="100" value="66"' in page(client, DASHBOARD)
    assert rendered.count("courses/dashboard.html") == 2


def test_two_learners_with_the_same_courses_see_their_own_names(client, course):
    ann, bob = UserFactory(name="Ann"), UserFactory(name="Bob")
    for user in (ann, bob):
        enrollment_create(user=user, course=course)
    client.force_login(ann)
    assert "Hello, Ann!" in page(client, DASHBOARD)
    client.force_login(bob)
    html = page(client, DASHBOARD)
    assert "Hello, Bob!" in html and "Ann" not in html
