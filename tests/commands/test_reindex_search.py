"""The search index is written by every import, rebuilt by `manage.py reindex_search`, and
filled by migration 0007 for courses imported before it."""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from courses.models import Course, SearchEntry
from courses.selectors.search import search
from tests.conftest import publish

pytestmark = pytest.mark.django_db


def slugs(results) -> list[str]:
    by_id = dict(Course.objects.values_list("pk", "slug"))
    return [by_id[course_id] for course_id in results.course_ids]


def test_a_new_import_replaces_what_the_search_finds(repo):
    publish(repo.path)
    assert slugs(search("en", "description")) == ["demo"]
    course_yaml = repo.path / "courses/demo/course.yaml"
    changed = course_yaml.read_text().replace("A short **description**.", "A short **overview**.")
    repo.commit({"courses/demo/course.yaml": changed})
    publish(repo.path)
    assert slugs(search("en", "description")) == []
    assert slugs(search("en", "overview")) == ["demo"]


def test_reindex_search_rebuilds_the_index_of_live_revisions(repo):
    publish(repo.path)
    before = sorted(SearchEntry.objects.values_list("language", "title", "terms", "body"))
    SearchEntry.objects.all().delete()
    assert slugs(search("ru", "хеш")) == []
    out = StringIO()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LANGUAGE", "en")
        call_command("reindex_search", stdout=out)
    assert out.getvalue().strip() == "Rebuilt the search index of 1 course revision."
    assert sorted(SearchEntry.objects.values_list("language", "title", "terms", "body")) == before
    assert slugs(search("ru", "хеш")) == ["demo"]


def test_the_migration_indexes_courses_imported_before_it(repo):
    publish(repo.path)
    SearchEntry.objects.all().delete()
    migration = importlib.import_module("courses.migrations.0007_search")
    migration.index_live_revisions(apps, None)  # it needs no schema editor
    assert SearchEntry.objects.filter(item__isnull=True).count() == 3  # ky, ru, en
    assert SearchEntry.objects.filter(item__isnull=False).count() == 6  # 2 lessons x 3
    assert slugs(search("ky", "хеш")) == ["demo"]
