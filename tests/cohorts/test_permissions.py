"""Every cohort page, export and API endpoint for every role.

Roles: anonymous, a student of the cohort, a learner in no cohort, another organisation's
instructor, the cohort's instructor, the organisation's administrator and site staff. A cohort
one may not follow does not exist for them (404); following without managing gives 403 to
managing; a visitor is sent to log in (pages) or gets 401 (API).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses.models import CohortExport, CohortMembership, CohortUpload, Job
from lms.services import api_token_create

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "student", "outsider", "other_instructor", "instructor", "org_admin",
         "staff"]  # fmt: skip
FOLLOW = {"anonymous": "login", "student": 404, "outsider": 404, "other_instructor": 404,
          "instructor": 200, "org_admin": 200, "staff": 200}  # fmt: skip
MANAGE = {**FOLLOW, "instructor": 403}
API_FOLLOW = {**FOLLOW, "anonymous": 401}
API_MANAGE = {**MANAGE, "anonymous": 401}


def _client(client, cast, role):
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    return client


def _check(response, expected, ok=(200,)):
    if expected == "login":
        assert response.status_code == 302, response.status_code
        assert "/accounts/login/" in response["Location"]
    elif expected == 200:
        assert response.status_code in ok, (response.status_code, response.content[:300])
    else:
        assert response.status_code == expected, (response.status_code, response.content[:300])


def _pages(cohort, cast):
    student = cast.student.pk
    upload = CohortUpload.objects.create(cohort=cohort, filename="a.csv", text="x@example.org",
                                         status=Job.READY, preview={"counts": {}})  # fmt: skip
    export = CohortExport.objects.create(cohort=cohort, language="en", status=Job.DONE,
                                         content=b"\xef\xbb\xbfName\r\n")  # fmt: skip
    k = {"cohort_id": cohort.pk}
    return [
        # (method, url, expected per role, ok statuses for allowed roles)
        ("get", reverse("cohorts:detail", kwargs=k), FOLLOW, (200,)),
        ("get", reverse("cohorts:detail", kwargs=k) + "?status=inactive&sort=-progress", FOLLOW,
         (200,)),
        ("get", reverse("cohorts:member", kwargs={**k, "user_id": student}), FOLLOW, (200,)),
        ("get", reverse("cohorts:enrolment", kwargs=k), FOLLOW, (200,)),
        ("get", reverse("cohorts:messages", kwargs=k), FOLLOW, (200,)),
        ("post", reverse("cohorts:export-create", kwargs=k), FOLLOW, (200,)),
        ("get", reverse("cohorts:export", kwargs={**k, "export_id": export.pk}), FOLLOW, (200,)),
        ("get", reverse("cohorts:export-download", kwargs={**k, "export_id": export.pk}), FOLLOW,
         (200,)),
        ("get", reverse("cohorts:edit", kwargs=k), MANAGE, (200,)),
        ("post", reverse("cohorts:rotate", kwargs=k), MANAGE, (302,)),
        ("get", reverse("cohorts:upload", kwargs={**k, "upload_id": upload.pk}), MANAGE, (200,)),
        ("post", reverse("cohorts:upload-create", kwargs=k), MANAGE, (302,)),
        ("get", reverse("cohorts:create", kwargs={"organization": cohort.organization.slug}),
         {**MANAGE, "instructor": 404}, (200,)),
    ]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_every_cohort_page_answers_each_role_as_its_permissions_say(client, cohort, cast, role):
    client = _client(client, cast, role)
    for method, url, expected, ok in _pages(cohort, cast):
        response = getattr(client, method)(url)
        try:
            _check(response, expected[role], ok)
        except AssertionError as error:
            raise AssertionError(f"{role} {method.upper()} {url}: {error}") from error


@pytest.mark.parametrize("role", ROLES)
def test_removing_a_member_is_for_administrators_only(client, cohort, cast, role):
    client = _client(client, cast, role)
    url = reverse("cohorts:member-remove", kwargs={"cohort_id": cohort.pk,
                                                   "user_id": cast.student.pk})  # fmt: skip
    _check(client.post(url), MANAGE[role], (302,))
    removed = CohortMembership.objects.get(cohort=cohort, user=cast.student).removed_at
    assert (removed is not None) == (MANAGE[role] == 200)


@pytest.mark.parametrize("role", ROLES)
def test_the_cohort_list_shows_only_the_cohorts_one_follows(client, cohort, cast, role):
    response = _client(client, cast, role).get(reverse("cohorts:list"))
    if role == "anonymous":
        _check(response, "login")
        return
    page = response.content.decode()
    assert (cohort.name in page) == (FOLLOW[role] == 200)
    assert ("Other cohort" in page) == (role in ("other_instructor", "staff"))


def _api(client, cast, role, method, url, **kwargs):
    headers = {}
    if role != "anonymous":
        _token, raw = api_token_create(user=getattr(cast, role), name="matrix")
        headers["Authorization"] = f"Bearer {raw}"
    return getattr(client, method)(url, headers=headers, content_type="application/json",
                                   **kwargs)  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_every_cohort_api_endpoint_answers_each_role_as_its_permissions_say(
    client, cohort, cast, role
):
    base = f"/api/v1/cohorts/{cohort.pk}"
    endpoints = [
        ("get", base, API_FOLLOW, 200),
        ("get", f"{base}/members?sort=-progress&status=in_progress", API_FOLLOW, 200),
        ("get", f"{base}/members/{cast.student.pk}", API_FOLLOW, 200),
        ("post", f"{base}/members", API_MANAGE, 200),
        ("delete", f"{base}/members/{cast.student.pk}", API_MANAGE, 204),
    ]
    for method, url, expected, ok in endpoints:
        data = {"data": {"emails": ["new.person@example.org"]}} if method == "post" else {}
        response = _api(client, cast, role, method, url, **data)
        want = ok if expected[role] == 200 else expected[role]
        assert response.status_code == want, (role, method, url, response.content[:300])
        if response.status_code >= 400:
            assert set(response.json()) == {"code", "message"}


@pytest.mark.parametrize("role", ROLES)
def test_the_cohort_list_api_lists_only_the_cohorts_one_follows(client, cohort, cast, role):
    response = _api(client, cast, role, "get", "/api/v1/cohorts?lang=en")
    if role == "anonymous":
        assert response.status_code == 401
        return
    names = {row["name"] for row in response.json()}
    assert (cohort.name in names) == (FOLLOW[role] == 200)
    assert ("Other cohort" in names) == (role in ("other_instructor", "staff"))


def test_a_student_sees_only_their_own_data_in_the_api(client, cohort, cast):
    """A member of the cohort gets nothing about the cohort, even their own row."""
    response = _api(client, cast, "student", "get", f"/api/v1/cohorts/{cohort.pk}/members")
    assert response.status_code == 404
    own = _api(client, cast, "student", "get", "/api/v1/me/courses?lang=en")
    assert [row["slug"] for row in own.json()] == ["demo"]


def test_the_admin_is_for_site_staff_only(client, cohort, cast):
    url = reverse("admin:courses_cohort_change", args=[cohort.pk])
    client.force_login(cast.org_admin)
    assert client.get(url).status_code == 302  # to the admin's login: not staff
    client.force_login(cast.staff)
    assert client.get(url).status_code in (200, 403)  # staff without model permissions: 403
