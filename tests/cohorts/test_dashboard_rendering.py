"""The members' rows, written in Python, and the charts, kept per their bars: a member's
progress shows at once, names are escaped, and each cohort shows only its own members."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from courses.services.cohorts import cohort_join
from tests.cohorts.conftest import complete_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def progress_cell(percent: int) -> str:
    return (f'<progress max="100" value="{percent}" aria-hidden="true"></progress> '
            f'<span class="pct">{percent}%</span>')  # fmt: skip


def detail(client, cohort, language: str = "en") -> str:
    with_language = f"/{language}" + reverse("cohorts:detail", kwargs={"cohort_id": cohort.pk})[3:]
    response = client.get(with_language)
    assert response.status_code == 200
    return response.content.decode()


def bar_values(html: str) -> list[str]:
    return re.findall(r'<span class="bar-value">([^<]*)</span>', html)


def test_progress_shows_in_the_rows_and_charts_at_once(client, cohort, cast):
    learner = UserFactory(name="Ann <b>Lee</b>", email="ann@example.org")
    membership, _created = cohort_join(user=learner, cohort=cohort, via="code")
    client.force_login(cast.instructor)
    before = detail(client, cohort)
    member = reverse("cohorts:member", kwargs={"cohort_id": cohort.pk, "user_id": learner.pk})
    assert f'<a href="{member}">Ann &lt;b&gt;Lee&lt;/b&gt;</a>' in before
    assert '<br><span class="meta">ann@example.org</span>' in before
    assert progress_cell(0) in before
    assert bar_values(before)[:3] == ["0 (0%)", "0 (0%)", "0 (0%)"]

    complete_course(membership.enrollment)
    after = detail(client, cohort)
    assert progress_cell(100) in after
    assert bar_values(after)[:3] == ["1 (50%)", "1 (50%)", "1 (50%)"]
    assert bar_values(detail(client, cohort, "ru"))[:3] == ["1 (50%)", "1 (50%)", "1 (50%)"]


def test_each_cohort_shows_only_its_own_members(client, cohort, cast):
    client.force_login(cast.other_instructor)
    html = detail(client, cast.other_cohort)
    assert "Студент Бакыт" not in html
    client.force_login(cast.instructor)
    assert "Студент Бакыт" in detail(client, cohort)
