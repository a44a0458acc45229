"""The dashboard as cards: a new learner is welcomed (not "welcomed back") and pointed to the
catalogue; a course in progress shows its progress and a way to continue; a completed course
shows its certificate in its own card; quiz results are a list, never a table."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from courses.models import Enrollment
from courses.services.certificates import certificate_issue, certificate_request
from courses.services.learning import enrollment_create, lesson_complete
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def page(client, path: str = "/en/dashboard/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_learner_is_welcomed_and_pointed_to_the_catalogue(client, demo_course):
    client.force_login(UserFactory(name="Aida Bekova", email="aida@example.org"))
    html = page(client)
    welcome = re.search(r'class="band dashboard-welcome".*?</section>', html, re.S).group(0)
    assert "Welcome to Bilim, Aida!" in welcome
    assert 'href="/en/courses/"' in welcome and 'href="/en/glossary/"' in welcome
    assert "back" not in welcome.lower() and "aida@example.org" not in welcome
    assert 'id="current-title"' not in html and "<table" not in html


def test_a_learner_without_a_name_is_welcomed_without_their_email(client, demo_course):
    client.force_login(UserFactory(name="", email="quiet@example.org"))
    html = page(client)
    assert "Welcome to Bilim!" in html
    assert "quiet@example.org" not in re.search(r"<main.*</main>", html, re.S).group(0)


def test_a_course_in_progress_is_a_card_with_progress_and_a_way_on(client, demo_course):
    learner = UserFactory(name="Aida Bekova")
    enrollment, _created = enrollment_create(user=learner, course=demo_course)
    client.force_login(learner)
    assert "Start the course" in page(client)
    lesson_complete(enrollment=enrollment, item=demo_course.items.get(key="what-is"))
    html = page(client)
    card = re.search(r'<li class="card course-card">.*?</li>', html, re.S).group(0)
    assert '<a href="/en/courses/demo/">Demo course</a>' in card
    assert '<progress max="100" value="33"' in card
    assert ">Continue learning</a>" in card
    assert "Hello, Aida! Here is how your learning is going." in html


def test_a_completed_course_carries_its_certificate_in_its_card(client, demo_course):
    learner = UserFactory(name="Aida Bekova")
    done = Enrollment.objects.create(user=learner, course=demo_course, completed_at=timezone.now())
    certificate = certificate_issue(certificate_id=certificate_request(enrollment=done).pk)
    client.force_login(learner)
    html = page(client)
    card = re.search(r'<li class="card course-card is-complete">.*?</li>\s*</ul>', html, re.S)
    assert card, "no completed course card"
    assert '<span class="badge ok">Completed</span>' in card.group(0)
    assert f"/certificates/{certificate.public_id}.pdf" in card.group(0)
    assert 'id="certificates-title"' not in html  # not listed a second time
