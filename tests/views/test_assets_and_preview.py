"""Course files served by hash; previews for staff only; glossary pages; the admin."""

import re

import pytest

from courses.models import Asset, Course, CourseSource, ImportRun
from courses.services.publishing import import_run_create, import_run_execute
from courses.tasks import import_run_execute_task
from tests.content.helpers import lesson
from tests.factories import UserFactory
from tests.gitrepo import make_repo

pytestmark = pytest.mark.django_db


@pytest.fixture
def repo(tmp_path):
    repo = make_repo(tmp_path / "repo")
    import_run_execute(run=import_run_create(location=str(repo.path)))
    return repo


def _image_url(client, language):
    html = client.get(f"/{language}/courses/demo/hashes/").content.decode()
    return re.search(r'<img[^>]+src="(/assets/[^"]+)"', html).group(1)


def test_images_are_served_immutably_with_the_language_variant(client, repo):
    ky, en = _image_url(client, "ky"), _image_url(client, "en")
    assert ky.endswith("/chain.ky.svg") and en.endswith("/chain.svg")
    response = client.get(ky)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "sandbox" in response["Content-Security-Policy"]
    etag = response["ETag"]
    assert client.get(ky, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_an_unknown_asset_is_not_found(client, repo):
    assert client.get("/assets/" + "0" * 64 + "/x.png").status_code == 404
    assert client.get("/assets/not-a-hash/x.png").status_code == 404


def test_non_image_assets_are_downloads(client, repo):
    Asset.objects.create(sha256="1" * 64, media_type="application/pdf", size=3, data=b"pdf")
    response = client.get("/assets/" + "1" * 64 + "/notes.pdf")
    assert response["Content-Disposition"] == "attachment"


def test_glossary_terms_have_a_page_per_language_and_lessons_link_to_them(client, repo):
    for language, term in [("ky", "Хеш"), ("ru", "Хеш"), ("en", "Hash")]:
        page = client.get(f"/{language}/courses/demo/glossary/hash/")
        assert page.status_code == 200
        assert f"<h1>{term}</h1>" in page.content.decode()
    lesson_html = client.get("/en/courses/demo/hashes/").content.decode()
    assert 'class="glossary-link" href="../glossary/hash/"' in lesson_html
    index = client.get("/en/courses/demo/glossary/")
    assert index.status_code == 200 and "/en/courses/demo/glossary/hash/" in index.content.decode()
    assert client.get("/en/courses/demo/glossary/nope/").status_code == 404


def test_preview_is_visible_to_staff_and_the_sources_maintainers_only(client, repo):
    repo.commit(lesson("\nТаслама текст.\n"), "Draft")
    run = import_run_create(location=str(repo.path), ref="main", preview=True)
    import_run_execute(run=run)
    revision = Course.objects.get(slug="demo").revisions.get(is_preview=True)
    course_url = f"/ky/courses/demo/preview/{revision.pk}/"
    item_url = f"{course_url}what-is/"
    assert client.get(course_url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(item_url).status_code == 404
    client.force_login(UserFactory(is_staff=True))
    page = client.get(item_url).content.decode()
    assert "Таслама текст." in page
    assert "preview-banner" in page
    assert "Таслама текст." not in client.get("/ky/courses/demo/what-is/").content.decode()
    # The maintainers of the course's source (who get the preview's address by e-mail).
    maintainer, stranger = UserFactory(), UserFactory()
    course = Course.objects.get(slug="demo")
    course.source = CourseSource.objects.create(name="demo", repository_url=str(repo.path))
    course.save(update_fields=["source"])
    course.source.maintainers.add(maintainer)
    CourseSource.objects.create(name="other", repository_url="x").maintainers.add(stranger)
    client.force_login(maintainer)
    assert "Таслама текст." in client.get(item_url).content.decode()
    assert client.get(course_url).status_code == 200
    client.force_login(stranger)
    assert client.get(item_url).status_code == 404


def test_admin_shows_import_history_and_queues_a_reimport(
    client, repo, django_capture_on_commit_callbacks
):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    source = CourseSource.objects.create(name="demo", repository_url=str(repo.path))
    ImportRun.objects.update(source=source)
    page = client.get(f"/admin/courses/coursesource/{source.pk}/change/")
    assert page.status_code == 200
    assert repo.head[:10] in page.content.decode()
    assert "/hooks/git/demo/" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post("/admin/courses/coursesource/",
                    {"action": "reimport", "_selected_action": [source.pk]})  # fmt: skip
    assert len(callbacks) == 1
    assert ImportRun.objects.filter(trigger=ImportRun.Trigger.ADMIN, ref="main").exists()


def test_admin_preview_form_queues_a_preview_import(
    client, repo, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    source = CourseSource.objects.create(name="demo", repository_url=str(repo.path))
    form = client.get(f"/admin/courses/coursesource/{source.pk}/preview/")
    assert form.status_code == 200
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/admin/courses/coursesource/{source.pk}/preview/", {"ref": "main"})
    assert response.status_code == 302
    assert len(callbacks) == 1
    run = ImportRun.objects.get(preview=True)
    import_run_execute_task(run.pk)  # what the worker does with the queued message
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED
    revision = run.revisions.get()
    detail = client.get(f"/admin/courses/importrun/{run.pk}/change/").content.decode()
    assert f"/courses/demo/preview/{revision.pk}/" in detail


def test_admin_lists_every_problem_of_a_failed_import(client, tmp_path):
    from tests.content.helpers import course_yaml

    repo = make_repo(tmp_path / "bad", course_yaml("level: beginner", "level: expert"))
    run = import_run_create(location=str(repo.path))
    import_run_execute(run=run)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(f"/admin/courses/importrun/{run.pk}/change/").content.decode()
    assert "courses/demo/course.yaml:10:8: E004:" in page
