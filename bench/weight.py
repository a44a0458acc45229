"""Page weight: the bytes a browser downloads for a lesson page (HTML, CSS, JS; no images).

Every lesson of the sample course in examples/ is weighed in ky, ru and en, as an anonymous
visitor whose browser sends ``Accept-Encoding: gzip, br``; the heaviest page is the figure.
examples/ is copied into a temporary Git repository first, so its working tree is what is
imported. If it does not import, a lesson of the generated course is weighed instead.
"""

from __future__ import annotations

import gzip
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bench import coursegen
from bench.importing import ImportFailed, import_once
from bench.report import Row, Target, heading
from bench.server import BASE_DIR, Server, fetch
from tests.gitrepo import GitRepo, git

TARGET = Target("<", 60, " KB")
LANGUAGES = ("ky", "ru", "en")
HEADERS = {"Accept-Encoding": "gzip, br"}
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?["']?([^"')\s;]+)""")


class _Resources(HTMLParser):
    """Stylesheets and scripts a page makes the browser fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        rel = (found.get("rel") or "").lower().split()
        if tag == "script" and found.get("src"):
            self.urls.append(found["src"] or "")
        elif tag == "link" and found.get("href") and self._fetched(rel, found.get("as")):
            self.urls.append(found["href"] or "")

    @staticmethod
    def _fetched(rel: list[str], kind: str | None) -> bool:
        preloaded = "preload" in rel and kind in ("style", "script")
        return "stylesheet" in rel or "modulepreload" in rel or preloaded


@dataclass(frozen=True)
class Weight:
    path: str
    html: int  # bytes as sent
    html_encoding: str
    html_gzipped: int  # what the HTML would weigh gzipped (by a proxy, say)
    assets: dict[str, tuple[int, str]]  # url -> (bytes as sent, Content-Encoding)

    @property
    def total(self) -> int:
        return self.html + sum(size for size, _ in self.assets.values())


def _decoded(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    return body


def _weigh(server: Server, path: str) -> Weight:
    page = fetch(server.port, path, headers=HEADERS)
    if page.status != 200:
        raise RuntimeError(f"{path} answered {page.status}")
    encoding = page.headers.get("content-encoding", "identity")
    html = _decoded(page.body, encoding)
    parser = _Resources()
    parser.feed(html.decode("utf-8", "replace"))
    pending = [urljoin(path, url) for url in parser.urls]
    assets: dict[str, tuple[int, str]] = {}
    while pending:
        url = pending.pop()
        if url in assets:
            continue
        if urlsplit(url).netloc not in ("", f"127.0.0.1:{server.port}"):
            print(f"  note: {url} is on another host and not weighed")
            continue
        response = fetch(server.port, urlsplit(url).path, headers=HEADERS)
        assets[url] = (len(response.body), response.headers.get("content-encoding", "identity"))
        if url.endswith(".css"):
            css = _decoded(response.body, assets[url][1]).decode("utf-8", "replace")
            pending += [urljoin(url, found) for found in CSS_IMPORT.findall(css)]
    return Weight(
        path=path,
        html=len(page.body),
        html_encoding=encoding,
        html_gzipped=len(gzip.compress(html, compresslevel=6)),
        assets=assets,
    )


def _sample_lessons(root: Path) -> tuple[list[str], str]:
    """Lesson page paths of the sample course, or of the generated one if it cannot import."""
    from courses.selectors.learning import course_view

    key = coursegen.lesson_id(10)
    generated = [f"/{lang}/courses/{coursegen.SLUG}/{key}/" for lang in LANGUAGES]
    fallback = "so a lesson of the generated course is weighed instead"
    if not (BASE_DIR / "examples").is_dir():
        print(f"there is no examples/ folder, {fallback}")
        return generated, "generated course"
    repo_path = root / "examples-repo"
    shutil.copytree(BASE_DIR / "examples", repo_path)
    git(repo_path, "init", "-q", "-b", "main")
    GitRepo(repo_path).commit(message="The sample course")
    try:
        import_once(str(repo_path))
    except ImportFailed as failed:
        print(f"the sample course in examples/ does not import, {fallback}:\n{failed}")
        return generated, "generated course"
    from courses.models import ImportRun

    slugs = ImportRun.objects.latest("id").summary["courses"]
    paths = []
    for slug in slugs:
        view = course_view(slug=slug, language="ky")
        keys = [entry.key for entry in view.items if not entry.is_quiz]
        paths += [f"/{lang}/courses/{slug}/{key}/" for key in keys for lang in LANGUAGES]
    return paths, "examples/ course"


def run(server: Server, root: Path) -> list[Row]:
    heading("Page weight: a lesson page with its CSS and JS, Accept-Encoding: gzip, br")
    paths, source = _sample_lessons(root)
    weights = [_weigh(server, path) for path in paths]
    heaviest = max(weights, key=lambda weight: weight.total)
    mean = sum(w.total for w in weights) / len(weights)
    print(f"{len(weights)} lesson pages of {source} weighed; mean {mean / 1024:.1f} KB")
    print(f"heaviest: {heaviest.path}")
    print(f"  HTML {heaviest.html / 1024:7.1f} KB  sent as {heaviest.html_encoding}"
          f" (gzipped it would be {heaviest.html_gzipped / 1024:.1f} KB)")  # fmt: skip
    for url, (size, encoding) in sorted(heaviest.assets.items()):
        print(f"  {size / 1024:7.1f} KB  {encoding:<8}  {url}")
    total_kb = heaviest.total / 1024
    row = Row("weight", f"lesson page ({source})", f"{total_kb:.1f} KB", target=TARGET,
              checked=total_kb)  # fmt: skip
    print(f"total {total_kb:.1f} KB; {row.target_line()}")
    return [row]
