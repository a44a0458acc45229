"""Offline use, measured and served: the weight of the service worker and the offline code
(at most 15 KB gzip, and a tiny script on every page), the size of a course saved in one
language (the starter course "Blockchain basics", at most 250 KB as downloaded), the list
saving fetches (everything the saved pages use, nothing else), and what the site serves for
it: /sw.js, the manifest in each language with its icons, the offline page, the policy, and
the logout that clears the learner's offline data."""

from __future__ import annotations

import gzip
import re
import struct
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils.translation import gettext, override

from tests.conftest import ROOT
from tests.factories import UserFactory

OFFLINE_JS = ROOT / "static" / "js" / "offline"
BUDGET = 15 * 1024  # the service worker and all offline code, gzip
ON_EVERY_PAGE = 1536  # boot.js, gzip
SAVED_COURSE = 250 * 1024  # a course saved in one language, as downloaded
LOCAL_URL = re.compile(r'(?:src|href)="(/(?:static|assets)/[^"]+)"')


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9))


def test_the_offline_code_weighs_at_most_15_kb_gzip_and_every_page_loads_only_a_tiny_part():
    files = sorted(OFFLINE_JS.glob("*.js"))
    assert {file.name for file in files} == {"app.js", "boot.js", "sw.js"}
    total = sum(gzipped(file) for file in files)
    print(f"offline code: {total} B gzip ({', '.join(f'{f.name} {gzipped(f)} B' for f in files)})")
    assert total <= BUDGET, total
    assert gzipped(OFFLINE_JS / "boot.js") <= ON_EVERY_PAGE


@pytest.mark.django_db
def test_a_page_links_only_the_small_script_the_rest_loads_on_demand(client, demo_course):
    html = client.get("/ky/courses/demo/what-is/").content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    offline = [tag for tag in scripts if "/offline/" in tag]
    assert len(offline) == 1 and re.search(
        r'src="/static/js/offline/boot\.[0-9a-f]{12}\.js"', offline[0]
    )
    assert 'data-app="/static/js/offline/app.' in offline[0] and " defer" in offline[0]
    assert 'rel="manifest" href="/ky/manifest.webmanifest"' in html


@pytest.fixture(scope="module")
def starter(django_db_setup, django_db_blocker):
    from tests.conftest import imported_for_module

    with imported_for_module(ROOT / "examples", django_db_blocker):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_starter_course_saved_in_one_language_is_at_most_250_kb_and_complete(starter, lang):
    """Everything saving fetches, downloaded as a browser does (gzip), by an enrolled learner
    (whose pages are the largest); every page, image, style and script those pages use is in
    the list, and the list's estimate is within a third of what is downloaded."""
    user = UserFactory()
    browser, api = Client(HTTP_ACCEPT_ENCODING="gzip"), Client()
    browser.force_login(user)
    api.force_login(user)
    api.post(f"/{lang}/courses/blockchain-basics/enroll/")
    listed = api.get(f"/api/v1/courses/blockchain-basics/offline?lang={lang}").json()
    assert "files" in listed, listed
    urls = [file["url"] for file in listed["files"]]
    assert len(urls) == len(set(urls))
    outline = api.get(f"/api/v1/courses/blockchain-basics?lang={lang}").json()
    items = [item["id"] for module in outline["modules"] for item in module["items"]]
    base = f"/{lang}/courses/blockchain-basics/"
    assert {base, f"{base}glossary/", *(f"{base}{key}/" for key in items)} <= set(urls)
    downloaded = 0
    used: set[str] = set()
    for url in urls:
        response = browser.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        downloaded += len(body)
        if response["Content-Type"].startswith("text/html"):
            html = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
            used.update(LOCAL_URL.findall(html.decode()))
    print(f"blockchain-basics in {lang}: {len(urls)} files, {downloaded / 1024:.0f} KB "
          f"downloaded (listed {listed['size'] / 1024:.0f} KB)")  # fmt: skip
    assert downloaded <= SAVED_COURSE
    assert used <= set(urls), used - set(urls)
    assert abs(listed["size"] - downloaded) <= downloaded / 3


@pytest.mark.django_db
def test_the_list_is_for_the_live_revision_and_a_404_for_an_unknown_course(demo_course, client):
    listed = client.get("/api/v1/courses/demo/offline?lang=ru").json()
    assert listed["revision"] == str(demo_course.live_revision.uid)
    assert listed["title"] == "Демо курс" and listed["language"] == "ru"
    assert listed["files"][0] == {"url": "/ru/courses/demo/", "size": listed["files"][0]["size"],
                                  "immutable": False}  # fmt: skip
    assert any(file["url"].startswith("/assets/") and file["immutable"] for file in listed["files"])
    missing = client.get("/api/v1/courses/nowhere/offline?lang=ky")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_the_service_worker_is_served_from_the_root_and_revalidated(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert response.content == (OFFLINE_JS / "sw.js").read_bytes()
    policy = response["Content-Security-Policy"]
    for directive in ("script-src 'self'", "connect-src 'self'", "worker-src 'self'",
                      "manifest-src 'self'"):  # fmt: skip
        assert directive in policy


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_manifest_names_the_app_in_the_page_language_with_its_icons(client, lang):
    response = client.get(f"/{lang}/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    with override(lang):
        name = gettext("%(site)s: blockchain courses") % {"site": settings.SITE_NAME}
    assert manifest["name"] == name and manifest["lang"] == lang
    assert manifest["short_name"] == settings.SITE_NAME
    assert manifest["start_url"] == f"/{lang}/" and manifest["display"] == "standalone"
    pngs = set()
    for icon in manifest["icons"]:
        served = client.get(icon["src"])
        assert served.status_code == 200 and served["Content-Type"] == icon["type"]
        if icon["type"] == "image/png":
            data = b"".join(served.streaming_content)
            assert data[:8] == b"\x89PNG\r\n\x1a\n"
            width, height = struct.unpack(">II", data[16:24])
            assert icon["sizes"] == f"{width}x{height}"
            pngs.add((icon["sizes"], icon["purpose"]))
    assert pngs == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_offline_page_is_translated_and_carries_the_offline_texts(client, lang):
    html = client.get(f"/{lang}/offline/").content.decode()
    with override(lang):
        title = gettext("No connection")
        waiting = gettext("Waiting to be sent: {count}")
    assert f"<h1>{title}</h1>" in html
    assert 'id="offline-texts"' in html and waiting in html and "data-offline-list" in html


@pytest.mark.django_db
def test_logging_out_tells_the_browser_to_clear_the_learners_offline_data():
    browser = Client()
    browser.force_login(UserFactory())
    response = browser.post("/ky/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in browser.session


@pytest.mark.django_db
def test_the_course_page_has_the_save_control_the_same_for_every_reader_of_a_kind(demo_course):
    pages = []
    for _ in range(2):
        browser = Client()
        browser.force_login(UserFactory())
        pages.append(browser.get("/ru/courses/demo/").content.decode())
    controls = [
        re.search(r'<div class="offline-save".*?</div>', page, re.S).group(0) for page in pages
    ]
    assert controls[0] == controls[1]
    assert 'data-offline="save"' in controls[0] and 'data-offline-course="demo"' in controls[0]
    assert 'data-offline-lang="ru"' in controls[0] and " hidden" in controls[0]
