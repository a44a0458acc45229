"""Importing a course stores its topics with their names, its objectives and the narrow variants
of its images; each of them is part of what makes a new revision differ."""

import hashlib

import pytest

from courses.models import Asset, Course, CourseRevision, ImportRun, ItemText
from courses.services.publishing import import_run_create, import_run_execute
from tests.conftest import publish
from tests.content.helpers import COURSE_DIR, COURSE_YAML, SVG

pytestmark = pytest.mark.django_db

TAGS = "tags: {blockchain: {ky: Блокчейн, ru: Блокчейн, en: Blockchain}}\n"
TOPICS = """\
tags:
  wallets: {ky: "Капчыктар", ru: "Кошельки", en: "Wallets"}
  payments: {ky: "Төлөмдөр", ru: "Платежи"}
objectives:
  ky: ["Капчык тандоо", "Төлөм жасоо"]
  en: ["Choose a wallet", "Make a payment"]
"""
NARROW = b'<svg xmlns="http://www.w3.org/2000/svg" width="3" height="4"></svg>\n'


def with_topics(text: str = TOPICS) -> dict[str, str]:
    return {f"{COURSE_DIR}/course.yaml": COURSE_YAML.replace(TAGS, text)}


def test_import_stores_topic_ids_names_and_objectives(repo):
    repo.commit(with_topics(), "Topics and objectives")
    publish(repo.path)
    live = Course.objects.get(slug="demo").live_revision
    assert live.tags == ["wallets", "payments"]
    assert live.topic_names == {
        "wallets": {"ky": "Капчыктар", "ru": "Кошельки", "en": "Wallets"},
        "payments": {"ky": "Төлөмдөр", "ru": "Платежи"},
    }
    assert live.objectives == {
        "ky": ["Капчык тандоо", "Төлөм жасоо"],
        "en": ["Choose a wallet", "Make a payment"],
    }
    assert live.topics_in("en") == [("wallets", "Wallets"), ("payments", "Төлөмдөр")]
    assert live.objectives_in("ru") == ["Капчык тандоо", "Төлөм жасоо"]


def test_old_list_of_tags_imports_with_warnings(repo):
    repo.commit(with_topics("tags: [wallets]\n"), "Old tags")
    run = publish(repo.path)
    assert {d["code"] for d in run.diagnostics} == {"W108"}
    live = Course.objects.get(slug="demo").live_revision
    assert (live.tags, live.topic_names, live.objectives) == (["wallets"], {}, {})
    assert live.topics_in("ru") == [("wallets", "wallets")]
    assert live.objectives_in("ru") == []


def test_changing_only_topic_names_or_objectives_makes_a_new_revision(repo):
    publish(repo.path)
    first = Course.objects.get(slug="demo").live_revision
    repo.commit(with_topics(TAGS.replace("Blockchain}", "Blockchains}")), "Rename a topic")
    publish(repo.path)
    second = Course.objects.get(slug="demo").live_revision
    objectives = TAGS + "objectives: {ky: [Хешти түшүнүү]}\n"
    objectives_yaml = with_topics(objectives)[f"{COURSE_DIR}/course.yaml"]
    repo.commit({f"{COURSE_DIR}/course.yaml": objectives_yaml}, "Add objectives")
    run = import_run_create(location=str(repo.path))
    import_run_execute(run=run)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED
    third = Course.objects.get(slug="demo").live_revision
    assert len({first.content_hash, second.content_hash, third.content_hash}) == 3
    assert second.topic_names["blockchain"]["en"] == "Blockchains"
    assert third.objectives_in("en") == ["Хешти түшүнүү"]


def test_narrow_image_is_stored_and_served_like_any_image(repo, client):
    """The lesson's <picture> names two stored assets, both served from /assets/."""
    narrow_path = f"{COURSE_DIR}/lessons/02-hashes/images/chain.narrow.svg"
    repo.commit({narrow_path: NARROW}, "A narrow diagram")
    publish(repo.path)
    live = Course.objects.get(slug="demo").live_revision
    text = ItemText.objects.get(
        revision_item__revision=live, revision_item__item__key="hashes", language="en"
    )
    narrow_sha = hashlib.sha256(NARROW).hexdigest()
    wide_sha = hashlib.sha256(SVG).hexdigest()
    assert (
        f'<picture><source media="(max-width: 599px)" srcset="/assets/{narrow_sha}/'
        f'chain.narrow.svg"><img alt="chain" src="/assets/{wide_sha}/chain.svg"></picture>'
    ) in text.html
    assert bytes(Asset.objects.get(sha256=narrow_sha).data) == NARROW
    response = client.get(f"/assets/{narrow_sha}/chain.narrow.svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")


def test_topics_and_objectives_fall_back_to_the_default_language_then_the_id():
    revision = CourseRevision(
        default_language="ky",
        tags=["wallets", "defi"],
        topic_names={"wallets": {"ky": "Капчыктар", "en": "Wallets"}},
        objectives={"ky": ["Капчык тандоо"], "en": ["Choose a wallet"]},
    )
    assert revision.topics_in("en") == [("wallets", "Wallets"), ("defi", "defi")]
    assert revision.topics_in("ru") == [("wallets", "Капчыктар"), ("defi", "defi")]
    assert revision.objectives_in("en") == ["Choose a wallet"]
    assert revision.objectives_in("ru") == ["Капчык тандоо"]
    assert CourseRevision(default_language="ky").objectives_in("en") == []
