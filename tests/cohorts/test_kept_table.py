"""The members' table is kept per cohort, revision, language and the stamp of what it shows
(`cohort_reports.cohort_table`), and its page whole per version of the table
(`cohort_tables.cohort_page_kept`): kept while nothing changes, built anew by any change an
instructor would see, and the kept page is the page the templates render."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import CohortMembership, Enrollment
from courses.selectors import cohort_reports
from courses.selectors.cohort_reports import cohort_table
from courses.services.certificates import certificate_issue, certificate_request
from courses.services.cohorts import cohort_join, cohort_member_remove
from courses.services.learning import lesson_complete
from courses.templatetags import slots
from lms.services import user_update_profile
from tests.cohorts.conftest import complete_course, item
from tests.factories import UserFactory
from tests.views.test_page_caching import page, plain, without_tokens

pytestmark = pytest.mark.django_db


def _row(table, user):
    [row] = [r for r in table.rows if r.user_id == user.pk]
    return row


def test_a_table_is_kept_while_nothing_changes(cohort, cast):
    first = cohort_table(cohort=cohort, language="en")
    again = cohort_table(cohort=cohort, language="en")
    assert again.version == first.version and again.rows is first.rows
    assert again.cohort is cohort
    other_language = cohort_table(cohort=cohort, language="ky")
    assert other_language.version != first.version


def _lesson(cohort, cast):
    enrollment = Enrollment.objects.get(user=cast.student, course=cohort.course)
    lesson_complete(enrollment=enrollment, item=item(cohort.course, "what-is"))
    return lambda table: _row(table, cast.student).done == 1


def _quiz(cohort, cast):
    complete_course(Enrollment.objects.get(user=cast.student, course=cohort.course))
    return lambda table: _row(table, cast.student).scores == [100]


def _rename(cohort, cast):
    user_update_profile(user=cast.student, name="Бакыт Асанов", language="ky")
    return lambda table: _row(table, cast.student).name == "Бакыт Асанов"


def _new_address(cohort, cast):
    type(cast.student).objects.filter(pk=cast.student.pk).update(email="bakyt@new.example.org")
    return lambda table: _row(table, cast.student).email == "bakyt@new.example.org"


def _certificate(cohort, cast):
    enrollment = Enrollment.objects.get(user=cast.student, course=cohort.course)
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=timezone.now())
    enrollment.refresh_from_db()
    certificate = certificate_request(enrollment=enrollment)
    pending = lambda table: _row(table, cast.student).certificate.status == "pending"  # noqa: E731
    return pending, lambda: certificate_issue(certificate_id=certificate.pk)


def _joined(cohort, cast):
    newcomer = UserFactory(name="Жаңы Келген")
    cohort_join(user=newcomer, cohort=cohort, via=CohortMembership.Via.CODE)
    return lambda table: table.member_count == 2


def _removed(cohort, cast):
    cohort_member_remove(membership=CohortMembership.objects.get(user=cast.student))
    return lambda table: table.member_count == 0


@pytest.mark.parametrize(
    "change", [_lesson, _quiz, _rename, _new_address, _certificate, _joined, _removed]
)
def test_any_change_an_instructor_sees_builds_the_table_anew(cohort, cast, change):
    before = cohort_table(cohort=cohort, language="en")
    made = change(cohort, cast)
    if isinstance(made, tuple):  # a certificate: requested, then issued by the worker
        shows, then = made
        pending = cohort_table(cohort=cohort, language="en")
        assert pending.version != before.version and shows(pending)
        then()
        issued = cohort_table(cohort=cohort, language="en")
        assert issued.version != pending.version
        assert _row(issued, cast.student).certificate.issued
        return
    after = cohort_table(cohort=cohort, language="en")
    assert after.version != before.version
    assert made(after)


def test_a_member_turns_inactive_without_any_change(cohort, cast, monkeypatch):
    six_days = timezone.now() - datetime.timedelta(days=6, hours=23)
    CohortMembership.objects.filter(user=cast.student).update(joined_at=six_days)
    before = cohort_table(cohort=cohort, language="en")
    assert not _row(before, cast.student).inactive and before.counts["inactive"] == 0
    assert cohort_table(cohort=cohort, language="en").version == before.version
    later = timezone.now() + datetime.timedelta(hours=2)
    monkeypatch.setattr(cohort_reports.timezone, "now", lambda: later)
    after = cohort_table(cohort=cohort, language="en")
    assert after.version != before.version
    assert _row(after, cast.student).inactive and after.counts["inactive"] == 1


def _members_page(cohort, query: str = "") -> str:
    with_language = reverse("cohorts:detail", kwargs={"cohort_id": cohort.pk}).replace(
        "/ky/", "/en/"
    )
    return with_language + query


@pytest.mark.parametrize("viewer", ["instructor", "org_admin"])
@pytest.mark.parametrize("query", ["", "?sort=-progress", "?status=completed&sort=name&page=1"])
def test_a_kept_members_page_is_the_page_the_templates_render(client, cohort, cast, viewer,
                                                              query, monkeypatch):  # fmt: skip
    complete_course(Enrollment.objects.get(user=cast.student, course=cohort.course))
    client.force_login(getattr(cast, viewer))
    path = _members_page(cohort, query)
    first, again = page(client, path), page(client, path)
    assert (
        without_tokens(first)
        == without_tokens(again)
        == without_tokens(plain(client, path, monkeypatch))
    )
    assert "Студент Бакыт" in first
    assert ("/edit/" in first) == (viewer == "org_admin")  # only a manager sees Settings


def _counting_renders(monkeypatch) -> list[str]:
    rendered: list[str] = []
    render = slots.render_to_string

    def counting(template_name, context=None, *args, **kwargs):
        rendered.append(template_name)
        return render(template_name, context, *args, **kwargs)

    monkeypatch.setattr(slots, "render_to_string", counting)
    return rendered


def test_the_members_page_is_rendered_again_only_after_a_change(client, cohort, cast,
                                                                monkeypatch):  # fmt: skip
    rendered = _counting_renders(monkeypatch)
    client.force_login(cast.instructor)
    path = _members_page(cohort)
    assert '<progress max="100" value="0"' in page(client, path)
    page(client, path)
    assert rendered.count("cohorts/detail.html") == 1
    enrollment = Enrollment.objects.get(user=cast.student, course=cohort.course)
    lesson_complete(enrollment=enrollment, item=item(cohort.course, "what-is"))
    assert '<progress max="100" value="33"' in page(client, path)
    assert rendered.count("cohorts/detail.html") == 2
    cohort.name = "Informatics 2028"
    cohort.save(update_fields=["name"])
    assert "Informatics 2028" in page(client, path)
    assert rendered.count("cohorts/detail.html") == 3


def test_a_page_with_other_parameters_is_not_kept(client, cohort, cast, monkeypatch):
    rendered = _counting_renders(monkeypatch)
    client.force_login(cast.instructor)
    for _ in range(2):
        page(client, _members_page(cohort, "?utm_source=mail"))
    assert rendered.count("cohorts/detail.html") == 0  # rendered by the view each time
