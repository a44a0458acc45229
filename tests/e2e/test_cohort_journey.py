"""A university's cohort in a real browser: the organisation's administrator creates a cohort
and uploads a CSV of students; a student joins by code and completes the course; the
instructor sees 100% and downloads the table as CSV. Every cohort page passes axe-core.

Clicks use stable hooks (form actions, input names, classes) rather than interface texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone

from courses.models import Cohort, CohortInvitation, CohortMembership, Course, Organization
from courses.services.publishing import import_run_create, import_run_execute
from tests.e2e.axe import describe, preload_axe, run_axe
from tests.e2e.test_accessibility import log_in
from tests.factories import PASSWORD, UserFactory
from tests.gitrepo import make_repo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def course(tmp_path) -> Course:
    repo = make_repo(tmp_path / "repo")
    import_run_execute(run=import_run_create(location=str(repo.path)))
    return Course.objects.get(slug="demo")


def test_admin_creates_a_cohort_student_joins_by_code_instructor_downloads_100_percent(
    live_server, browser, course, tmp_path
):
    url = live_server.url
    university = Organization.objects.create(
        slug="knu", names={"ky": "Кыргыз улуттук университети", "en": "Kyrgyz National University"}
    )
    admin = UserFactory(email="admin@knu.kg", name="Айнура Админ", language="ky")
    university.admins.add(admin)
    instructor = UserFactory(email="teacher@knu.kg", name="Мугалим Токон", language="ky")
    student = UserFactory(email="student@knu.kg", name="Студент Бакыт", language="ky")
    UserFactory(email="listed@knu.kg", name="Тизмедеги Студент")
    findings: list[str] = []
    shot = iter(range(1, 100))

    def check(page, name: str) -> None:
        page.screenshot(path=str(tmp_path / f"{next(shot):02d}-{name}.png"), full_page=True)
        if violations := run_axe(page):
            findings.append(describe(violations, where=f"{name} ({page.url}): "))

    # The administrator logs in with the form; the account menu then offers the cohorts.
    context = browser.new_context(locale="ky-KG", viewport={"width": 1280, "height": 900})
    preload_axe(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{url}/ky/accounts/login/")
    page.locator("input[name=login]").fill(admin.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{url}/ky/")
    page.locator(".site-menu summary").click()
    page.locator(".site-menu a[href='/ky/cohorts/']").click()
    page.wait_for_url(f"{url}/ky/cohorts/")
    check(page, "cohort-list")

    page.locator("a[href='/ky/cohorts/new/knu/']").click()
    page.locator("input[name=name]").fill("Информатика-2027")
    page.locator("select[name=course]").select_option(label="Демо курс")
    page.locator("select[name=language]").select_option("ky")
    page.locator("input[name=starts_on]").fill(timezone.localdate().isoformat())
    page.locator("textarea[name=instructors]").fill(instructor.email)
    check(page, "cohort-new")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ky/cohorts/\d+/enrolment/$"))
    cohort = Cohort.objects.get(name="Информатика-2027")
    code = page.locator(".join-code").inner_text().strip()
    assert code == cohort.join_code
    check(page, "enrolment")

    # A CSV with an existing account, a new address and a broken row: preview, then apply.
    csv = "email,name\nlisted@knu.kg,Тизмедеги Студент\nnew@knu.kg,Жаңы Студент\nnope,Nope\n"
    page.locator("input[name=file]").set_input_files(
        files=[{"name": "students.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    page.locator(f"form[action='/ky/cohorts/{cohort.pk}/uploads/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/uploads/\d+/$"))
    summary = page.locator("ul.summary strong").all_inner_texts()
    assert summary == ["1", "1", "0", "1"]
    assert page.get_by_role("cell", name="nope Nope").is_visible()
    assert not CohortMembership.objects.filter(cohort=cohort).exists()  # nothing yet
    check(page, "upload-preview")
    page.locator("form[action$='/apply/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".message-success").is_visible()
    assert CohortMembership.objects.filter(cohort=cohort, user__email="listed@knu.kg").exists()
    assert CohortInvitation.objects.filter(cohort=cohort, email="new@knu.kg").exists()
    context.close()

    # The student joins by typing the code, then completes the course.
    context = browser.new_context(locale="ky-KG", viewport={"width": 390, "height": 844})
    preload_axe(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(context, live_server, student)
    page.goto(f"{url}/ky/join/")
    check(page, "join")
    page.locator("input[name=code]").fill(code.lower())
    page.locator("main form button[type=submit]").click()
    assert page.locator(".join-page h2").inner_text() == "Информатика-2027"
    check(page, "join-confirm")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(f"{url}/ky/courses/demo/")
    page.goto(f"{url}/ky/courses/demo/what-is/")
    page.locator(".item-nav form button.next").click()
    page.wait_for_url(f"{url}/ky/courses/demo/hashes/")
    page.locator(".item-nav form button.next").click()
    page.wait_for_url(f"{url}/ky/courses/demo/check/")
    quiz = page.locator("form.quiz")
    quiz.locator("input[name=q-block-stores][value=prev-hash]").check()
    quiz.locator("input[name=q-properties][value=open]").check()
    quiz.locator("input[name=q-hash-changes][value=true]").check()
    quiz.locator("input[name=q-sha-length]").fill("64")
    quiz.locator("input[name=q-term]").fill("хеш")
    quiz.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ky/courses/demo/check/\?attempt=1#result"))
    assert page.locator("section.quiz-result.passed").is_visible()
    context.close()

    # The instructor sees 100% for the student and downloads the table.
    context = browser.new_context(locale="ky-KG", viewport={"width": 1280, "height": 900})
    preload_axe(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(context, live_server, instructor)
    page.goto(f"{url}/ky/cohorts/{cohort.pk}/")
    row = page.locator("table.members tbody tr").filter(has_text="Студент Бакыт")
    assert "100%" in row.inner_text()
    check(page, "cohort-dashboard")
    page.locator("table.members tbody tr th a").filter(has_text="Студент Бакыт").click()
    page.wait_for_url(re.compile(rf"/ky/cohorts/{cohort.pk}/members/\d+/$"))
    check(page, "member")
    page.go_back()
    with page.expect_download() as download:
        page.locator(f"form[action='/ky/cohorts/{cohort.pk}/export/'] button").click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert any(line.startswith("Студент Бакыт,student@knu.kg,") and ",100," in line
               for line in lines), lines  # fmt: skip
    page.goto(f"{url}/ky/cohorts/{cohort.pk}/messages/")
    check(page, "messages")
    context.close()
    assert not findings, "\n".join(findings)
