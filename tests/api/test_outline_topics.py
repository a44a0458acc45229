"""A course's outline in the API carries its topics and objectives in the requested language."""

import pytest

from tests.conftest import publish
from tests.content.helpers import COURSE_DIR, COURSE_YAML

pytestmark = pytest.mark.django_db

TAGS = "tags: {blockchain: {ky: Блокчейн, ru: Блокчейн, en: Blockchain}}\n"
TOPICS = """\
tags:
  wallets: {ky: "Капчыктар", ru: "Кошельки", en: "Wallets"}
  payments: {ky: "Төлөмдөр"}
objectives:
  ky: ["Капчык тандоо"]
  ru: ["Выбрать кошелёк"]
"""


def test_outline_has_topics_and_objectives_in_the_language_asked_for(repo, client):
    repo.commit({f"{COURSE_DIR}/course.yaml": COURSE_YAML.replace(TAGS, TOPICS)}, "Topics")
    publish(repo.path)
    ru = client.get("/api/v1/courses/demo?lang=ru").json()
    assert ru["topics"] == [
        {"id": "wallets", "name": "Кошельки"},
        {"id": "payments", "name": "Төлөмдөр"},
    ]
    assert ru["objectives"] == ["Выбрать кошелёк"]
    en = client.get("/api/v1/courses/demo?lang=en").json()
    assert [t["name"] for t in en["topics"]] == ["Wallets", "Төлөмдөр"]
    assert en["objectives"] == ["Капчык тандоо"]


def test_outline_of_a_course_without_objectives_has_an_empty_list(demo_course, client):
    data = client.get("/api/v1/courses/demo?lang=en").json()
    assert data["topics"] == [{"id": "blockchain", "name": "Blockchain"}]
    assert data["objectives"] == []
