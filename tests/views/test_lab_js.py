"""The labs' JavaScript (static/js/labs/): light, loaded on lab pages only, and every text it
shows comes from the page, translated, not from the script."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from tests.factories import UserFactory
from tests.labfiles import publish_labs

pytestmark = pytest.mark.django_db

LABS_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "labs"
KINDS = {"find-text": "hash", "mine": "mining", "repair": "chain", "peers": "ledger",
         "sign": "keys", "pay": "transactions"}  # fmt: skip
BUDGET = 30 * 1024  # bytes, gzip, all the labs' scripts together


@pytest.fixture
def learner(client, tmp_path):
    publish_labs(tmp_path / "labs")
    user = UserFactory()
    client.force_login(user)
    client.post("/en/courses/demo/sign/challenge/")  # enrols, and the keys lab has its form
    return user


def page(client, key: str, lang: str = "en") -> str:
    response = client.get(f"/{lang}/courses/demo/{key}/")
    assert response.status_code == 200
    return response.content.decode()


def test_all_the_labs_javascript_weighs_at_most_30_kb_gzipped():
    files = sorted(LABS_JS.glob("*.js"))
    assert {path.stem for path in files} == {"common", *KINDS.values()}
    sizes = {path.name: len(gzip.compress(path.read_bytes(), compresslevel=9)) for path in files}
    assert sum(sizes.values()) <= BUDGET, sizes


@pytest.mark.parametrize("key", ["what-is", "hashes", "check"])
def test_lesson_and_quiz_pages_do_not_load_the_labs_javascript(client, learner, key):
    html = page(client, key)
    assert 'id="main"' in html
    assert "js/labs/" not in html and "lab-params" not in html


@pytest.mark.parametrize("key", list(KINDS))
def test_a_lab_page_loads_the_shared_module_and_its_kinds_module(client, learner, key):
    html = page(client, key)
    kind = KINDS[key]
    assert re.search(r'<script type="module" src="/static/js/labs/common\.[0-9a-f]{12}\.js">', html)
    module = re.search(r'data-lab-module="(/static/js/labs/[a-z]+\.[0-9a-f]{12}\.js)"', html)
    assert module and module.group(1).startswith(f"/static/js/labs/{kind}.")
    assert f'<link rel="modulepreload" href="{module.group(1)}">' in html
    assert 'id="lab-live" aria-live="polite"' in html
    assert html.count("js/labs/") == 3  # common, and the kind's module named twice


@pytest.mark.parametrize("key", list(KINDS))
def test_every_text_a_widget_says_is_on_its_page_translated(client, learner, key):
    """The scripts name messages (say(box, "name")); each is a [data-m] element of the page,
    rendered from the template in the page's language."""
    script = (LABS_JS / f"{KINDS[key]}.js").read_text()
    if "mineWithButtons" in script:  # the shared mining buttons say their own messages
        script += (LABS_JS / "common.js").read_text()
    calls = re.findall(r"\bsay\(\w+, ([^)]*?)(?:, [{a-z]\w*|\))", script)
    named = {name for call in calls for name in re.findall(r'"(\w+)"', call)}
    html = page(client, key, "ru")
    shown = set(re.findall(r'data-m="(\w+)"', html))
    assert named and named <= shown, named - shown
    assert not re.search(r"\.textContent = \"[A-Za-z]", script)  # no English written by hand
