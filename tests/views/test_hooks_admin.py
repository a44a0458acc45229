"""A course source's admin page closes the loop for staff: the webhook's full address to
paste into the Git host, the last delivery's outcome, "Re-import now", the import history,
the maintainers picked in a two-pane selector, and links to each course's translations."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from courses.models import Course, CourseSource, ImportRun
from courses.services.publishing import import_run_execute
from tests.gitrepo import make_repo
from tests.webhooks import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("staff@example.org", "pw")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the admin in English
    return client


@pytest.fixture
def source(tmp_path):
    repo = make_repo(tmp_path / "repo")
    return CourseSource.objects.create(name="basics", repository_url=repo.url, branch="main")


def test_the_source_page_shows_address_last_delivery_history_and_translations(staff_client, source):
    response = deliver(staff_client, source, host="github", commit="a" * 40, branch="draft",
                       delivery="d-1")  # fmt: skip
    run = ImportRun.objects.get(pk=response.json()["import"])
    import_run_execute(run=run)  # "a"*40 is no commit of the repository: it fails (E009)
    page = staff_client.get(reverse("admin:courses_coursesource_change", args=[source.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<code class="webhook-address">http://testserver/hooks/git/basics/</code>' in html
    assert "Preview queued" in html and "<code>refs/heads/draft</code>" in html
    assert reverse("admin:courses_importrun_change", args=[run.pk]) in html
    assert 'class="import-history"' in html and "preview of draft" in html
    assert "1 errors, 0 warnings" in html
    reimport = reverse("admin:courses_coursesource_reimport", args=[source.pk])
    assert f'action="{reimport}"' in html
    assert "selectfilter" in html  # filter_horizontal
    assert "/static/css/admin_sources" in html


def test_re_import_now_queues_an_import_of_the_branch(
    staff_client, source, django_capture_on_commit_callbacks
):
    url = reverse("admin:courses_coursesource_reimport", args=[source.pk])
    assert staff_client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:courses_coursesource_change", args=[source.pk])
    run = ImportRun.objects.get()
    assert (run.ref, run.trigger, run.requested_by) == ("main", "admin", "staff@example.org")
    assert len(callbacks) == 1


def test_re_import_needs_the_right_to_change_sources(client, source):
    user = get_user_model().objects.create_user("helper@example.org", "pw", is_staff=True)
    client.force_login(user)
    response = client.post(reverse("admin:courses_coursesource_reimport", args=[source.pk]))
    assert response.status_code == 302
    assert not ImportRun.objects.exists()


def test_a_course_links_to_its_translation_status(staff_client, source):
    course = Course.objects.create(slug="demo", source=source)
    page = staff_client.get(reverse("admin:courses_course_change", args=[course.pk]))
    assert reverse("courses:translations", kwargs={"slug": "demo"}) in page.content.decode()
    source_page = staff_client.get(reverse("admin:courses_coursesource_change", args=[source.pk]))
    assert reverse("courses:translations", kwargs={"slug": "demo"}) in source_page.content.decode()
