"""Cohort pages as people use them: joining by code or link, creating and editing a cohort,
uploading a list, the organisation's logo."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from courses.models import Cohort, CohortMembership, CohortUpload, Job, Organization
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Dates in these tests come from the clock, so none of them expires.
RUSSIAN_MONTHS_OF = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                     "сентября", "октября", "ноября", "декабря"]  # fmt: skip
ENGLISH_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"]  # fmt: skip


def test_a_visitor_sees_the_cohort_and_is_asked_to_log_in_and_come_back(client, cohort):
    url = reverse("cohorts:join-invite", kwargs={"token": cohort.invite_token})
    page = client.get(url).content.decode()
    assert cohort.name in page and "Кыргыз улуттук университети" in page
    assert f"/ky/accounts/login/?next={url}" in page
    assert cohort.join_code not in page  # the link page does not give the code away
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not CohortMembership.objects.exists()


def test_a_code_is_found_whatever_its_case_and_spacing_and_joining_needs_a_post(client, cohort):
    learner = UserFactory()
    client.force_login(learner)
    code = cohort.join_code
    typed = f" {code[:4].lower()}-{code[4:].lower()} "
    page = client.get(reverse("cohorts:join"), {"code": typed}).content.decode()
    assert cohort.name in page
    assert not CohortMembership.objects.filter(user=learner).exists()  # GET changes nothing
    response = client.post(reverse("cohorts:join"), {"code": typed})
    assert response["Location"] == "/ky/courses/demo/"
    assert CohortMembership.objects.get(user=learner).via == "code"


def test_an_unknown_code_says_so_in_the_learners_language(client, cohort):
    client.force_login(UserFactory())
    page = client.get("/ru/join/", {"code": "ZZZZZZZZ"}).content.decode()
    assert "Группы с таким кодом нет." in page


def test_guessing_codes_is_rate_limited(client, cohort):
    client.force_login(UserFactory())
    statuses = [client.get(reverse("cohorts:join"), {"code": f"AAAA{n:04d}"}).status_code
                for n in range(12)]  # fmt: skip
    assert statuses[:10] == [200] * 10 and statuses[-1] == 429


def test_a_full_cohort_explains_itself_on_the_join_page(client, organization, demo_course):
    from tests.cohorts.conftest import make_cohort

    cohort = make_cohort(organization, demo_course, seat_limit=1)
    client.force_login(UserFactory())
    client.post(reverse("cohorts:join"), {"code": cohort.join_code})
    client.force_login(UserFactory())
    page = client.post("/en/join/", {"code": cohort.join_code}).content.decode()
    assert "This cohort is full" in page


def test_the_administrator_creates_a_cohort_with_instructors(client, organization, cast):
    client.force_login(cast.org_admin)
    url = reverse("cohorts:create", kwargs={"organization": "knu"})
    starts = timezone.localdate() + datetime.timedelta(days=60)
    form = {"name": "Economics 2027", "course": cast.other_cohort.course_id, "language": "ru",
            "starts_on": starts.isoformat(),
            "ends_on": (starts - datetime.timedelta(days=31)).isoformat(),
            "instructors": "nobody@example.org"}  # fmt: skip
    page = client.post("/en" + url[3:], form).content.decode()
    assert "The cohort cannot end before it starts." in page
    assert "nobody@example.org" in page and "Ask them to sign up first" in page
    form.update(ends_on=(starts + datetime.timedelta(days=150)).isoformat(),
                instructors=cast.instructor.email.upper())  # fmt: skip
    response = client.post(url, form)
    cohort = Cohort.objects.get(name="Economics 2027")
    assert response["Location"].endswith(f"/cohorts/{cohort.pk}/enrolment/")
    assert list(cohort.instructors.all()) == [cast.instructor]
    assert cohort.organization == organization


def test_an_upload_shows_a_preview_then_applies_on_confirmation(client, cohort, cast):
    client.force_login(cast.org_admin)
    data = io.BytesIO("email;name\nlisted@example.org;Асель\nbad;Bad\n".encode("utf-8-sig"))
    data.name = "list.csv"
    response = client.post(reverse("cohorts:upload-create", kwargs={"cohort_id": cohort.pk}),
                           {"file": data})  # fmt: skip
    upload = CohortUpload.objects.get()
    assert response["Location"].endswith(f"/uploads/{upload.pk}/")
    page = client.get("/en" + response["Location"][3:]).content.decode()
    assert "listed@example.org" in page and "“bad” is not an e-mail address." in page
    client.post(reverse("cohorts:upload-apply", kwargs={"cohort_id": cohort.pk,
                                                        "upload_id": upload.pk}))  # fmt: skip
    upload.refresh_from_db()
    assert upload.status == Job.DONE


def test_the_organisation_logo_is_uploaded_in_the_admin_and_served_for_a_year(client, cast):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    organization = Organization.objects.get(slug="knu")
    picture = io.BytesIO()
    Image.new("RGB", (64, 64), (0, 90, 160)).save(picture, "PNG")
    picture.name = "logo.png"
    picture.seek(0)
    url = reverse("admin:courses_organization_change", args=[organization.pk])
    response = client.post(url, {"slug": "knu", "names": '{"en": "KNU"}',
                                 "admins": [cast.org_admin.pk], "logo_file": picture})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    organization.refresh_from_db()
    assert organization.logo_type == "image/png"
    logo = client.get(organization.logo_url)
    assert logo["Content-Type"] == "image/png"
    assert "immutable" in logo["Cache-Control"]
    assert bytes(logo.content) == bytes(organization.logo)
    fake = io.BytesIO(b"<svg onload=alert(1)></svg>")
    fake.name = "logo.png"
    response = client.post(url, {"slug": "knu", "names": '{"en": "KNU"}', "logo_file": fake})
    assert response.status_code == 200  # refused, the form is shown again
    assert "logo_file" in response.context["adminform"].form.errors


def test_the_join_page_is_linked_from_the_account_menu(client, cast):
    client.force_login(cast.outsider)
    page = client.get("/ky/").content.decode()
    assert 'href="/ky/join/"' in page
    assert 'href="/ky/cohorts/"' not in page  # a learner follows no cohort


def test_instructors_find_the_cohorts_in_the_menu_after_logging_in(client, cast):
    from tests.factories import PASSWORD

    client.post("/en/accounts/login/", {"login": cast.instructor.email, "password": PASSWORD})
    assert 'href="/en/cohorts/"' in client.get("/en/").content.decode()


def test_dates_on_the_cohort_page_follow_the_page_language(client, cohort, cast):
    starts = timezone.localdate() + datetime.timedelta(days=60)
    Cohort.objects.filter(pk=cohort.pk).update(starts_on=starts)
    client.force_login(cast.instructor)
    page = client.get(f"/ru/cohorts/{cohort.pk}/").content.decode()
    assert f"{starts.day} {RUSSIAN_MONTHS_OF[starts.month - 1]} {starts.year}" in page


def test_the_demo_cohort_command_is_idempotent_and_for_development_only(demo_course, settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("ensure_demo_cohort")
    settings.DEBUG = True
    out = io.StringIO()
    call_command("ensure_demo_cohort", stdout=out)
    call_command("ensure_demo_cohort", stdout=out)
    assert Cohort.objects.filter(organization__slug="demo-university").count() == 1
    assert "join code" in out.getvalue()


def test_a_student_sees_their_cohort_and_its_deadline_on_the_dashboard(client, cohort, cast):
    deadline = timezone.localdate() + datetime.timedelta(days=90)
    Cohort.objects.filter(pk=cohort.pk).update(certificate_deadline=deadline)
    client.force_login(cast.student)
    page = client.get("/en/dashboard/").content.decode()
    assert "In the cohort “Informatics 2027” of Kyrgyz National University" in page
    month = ENGLISH_MONTHS[deadline.month - 1]
    assert f"Complete it by {month} {deadline.day}, {deadline.year}" in page
    client.force_login(cast.outsider)
    assert "In the cohort" not in client.get("/en/dashboard/").content.decode()


def test_messages_to_a_cohort_are_rate_limited_with_a_message(client, cohort, cast):
    client.force_login(cast.instructor)
    url = "/en" + reverse("cohorts:messages", kwargs={"cohort_id": cohort.pk})[3:]
    for _ in range(10):
        client.post(url, {"subject": "Hi", "body": "Text"})
    page = client.post(url, {"subject": "Hi", "body": "Text"}).content.decode()
    assert "You have sent many messages in the last hour." in page
    from courses.models import CohortMessage

    assert CohortMessage.objects.count() == 10


def test_the_api_reports_entries_that_are_not_addresses(client, cohort, cast):
    from lms.services import api_token_create

    _token, raw = api_token_create(user=cast.org_admin, name="sis")
    emails = {"emails": ["a@example.org", "nope", "A@example.org"]}
    response = client.post(
        f"/api/v1/cohorts/{cohort.pk}/members", emails,
        content_type="application/json", headers={"Authorization": f"Bearer {raw}"},
    )  # fmt: skip
    assert response.json() == {"enrolled": 0, "invited": 1, "already": 0, "invalid": ["nope"]}


def test_joining_by_link_as_a_visitor_sends_to_log_in_and_back(client, cohort):
    url = reverse("cohorts:join-invite", kwargs={"token": cohort.invite_token})
    response = client.post(url)
    assert response["Location"] == f"/ky/accounts/login/?next={url}"
