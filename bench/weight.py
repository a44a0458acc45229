"""Page weight: what a browser downloads for a lesson page of the sample course, compressed
as the site serves it (gzip or Brotli from WhiteNoise and Django's GZipMiddleware).

Every lesson of the sample course in examples/ is read in ky, ru and en, as an anonymous
visitor whose browser sends ``Accept-Encoding: gzip, br``, twice:

- **first visit**, an empty cache: the HTML and everything it makes the browser fetch:
  stylesheets (and their ``@import``), scripts, the icon, images (``<img>``, the first
  candidate of a ``srcset``; of a ``<picture>``, its ``<img>``, as a wide screen fetches it:
  the narrow variants weigh about the same), and what the stylesheets name with ``url()``
  (fonts, backgrounds): target ≤ FIRST_VISIT;
- **the next lesson**, the cache warm from the first: its HTML, anything not fetched yet (its
  own images), and what the first visit fetched but may not keep (no ``Cache-Control:
  max-age`` or ``no-cache``): asked again, conditionally when it has an ETag or a
  Last-Modified date, as a browser asks: target ≤ NEXT_LESSON.

The heaviest lesson is the figure for each. examples/ is copied into a temporary Git
repository first, so its working tree is what is imported. If it does not import, lessons of
the generated course are weighed instead.
"""

from __future__ import annotations

import gzip
import itertools
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bench import coursegen
from bench.importing import ImportFailed, import_once
from bench.report import Row, Target, heading
from bench.server import BASE_DIR, Server, fetch
from tests.gitrepo import GitRepo, git

FIRST_VISIT = Target("≤", 60, " KB")
NEXT_LESSON = Target("≤", 10, " KB")
LANGUAGES = ("ky", "ru", "en")
HEADERS = {"Accept-Encoding": "gzip, br"}
CSS_URL = re.compile(r"""url\(\s*["']?([^"')\s]+)["']?\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+["']([^"']+)["']""")


class _Resources(HTMLParser):
    """What a page makes the browser fetch: stylesheets, scripts, icons, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.in_picture = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "picture":
            self.in_picture = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        rel = (found.get("rel") or "").lower().split()
        if tag == "picture":
            self.in_picture = True
        if tag == "script" and found.get("src"):
            self.urls.append(found["src"] or "")
        elif tag == "link" and found.get("href") and self._fetched(rel, found.get("as")):
            self.urls.append(found["href"] or "")
        elif tag == "source" and self.in_picture:
            return  # a <picture> fetches one image: its <img> stands for it
        elif tag in ("img", "source", "image"):
            source = found.get("src") or found.get("href")
            if not source and found.get("srcset"):
                source = (found["srcset"] or "").split(",")[0].split()[0]
            if source and not source.startswith("data:") and not source.startswith("#"):
                self.urls.append(source)

    @staticmethod
    def _fetched(rel: list[str], kind: str | None) -> bool:
        preloaded = "preload" in rel and kind in ("style", "script", "font", "image")
        return bool({"stylesheet", "modulepreload", "icon"} & set(rel)) or preloaded


@dataclass(frozen=True)
class Fetched:
    size: int  # body bytes as sent
    encoding: str  # Content-Encoding
    kept: bool  # the browser may keep it without asking again (max-age, not no-cache)
    validator: dict[str, str]  # what a conditional request sends back (ETag, Last-Modified)


@dataclass
class Weight:
    path: str
    html: int  # bytes as sent
    html_encoding: str
    html_gzipped: int  # what the HTML would weigh gzipped (by a proxy, say)
    assets: dict[str, Fetched] = field(default_factory=dict)  # fetched for this page

    @property
    def total(self) -> int:
        return self.html + sum(fetched.size for fetched in self.assets.values())


def _decoded(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    return body


def _kept(headers: dict[str, str]) -> bool:
    control = headers.get("cache-control", "").lower()
    if "no-store" in control or "no-cache" in control:
        return False
    found = re.search(r"max-age=(\d+)", control)
    return bool(found and int(found.group(1)) > 0)


def _fetch(server: Server, url: str, cache: dict[str, Fetched]) -> Fetched | None:
    """``url`` as a browser with ``cache`` gets it: nothing when kept, a conditional request
    when it can revalidate, else the whole body."""
    if urlsplit(url).netloc not in ("", f"127.0.0.1:{server.port}"):
        print(f"  note: {url} is on another host and not weighed")
        return None
    held = cache.get(url)
    if held is not None and held.kept:
        return None
    headers = dict(HEADERS)
    if held is not None:
        headers.update(held.validator)
    response = fetch(server.port, urlsplit(url).path, headers=headers)
    validator = {}
    if "etag" in response.headers:
        validator["If-None-Match"] = response.headers["etag"]
    if "last-modified" in response.headers:
        validator["If-Modified-Since"] = response.headers["last-modified"]
    got = Fetched(
        size=len(response.body),
        encoding=response.headers.get("content-encoding", "identity"),
        kept=response.status in (200, 304) and _kept(response.headers),
        validator=validator or (held.validator if held else {}),
    )
    if response.status == 200:
        cache[url] = got
    elif response.status != 304:
        raise RuntimeError(f"{url} answered {response.status}")
    return got


def _weigh(server: Server, path: str, cache: dict[str, Fetched]) -> Weight:
    """The page at ``path`` and what it makes a browser with ``cache`` fetch (``cache`` takes
    what it fetched)."""
    page = fetch(server.port, path, headers=HEADERS)
    if page.status != 200:
        raise RuntimeError(f"{path} answered {page.status}")
    encoding = page.headers.get("content-encoding", "identity")
    html = _decoded(page.body, encoding)
    parser = _Resources()
    parser.feed(html.decode("utf-8", "replace"))
    pending = [urljoin(path, url) for url in parser.urls]
    weight = Weight(
        path=path,
        html=len(page.body),
        html_encoding=encoding,
        html_gzipped=len(gzip.compress(html, compresslevel=6)),
    )
    seen: set[str] = set()
    while pending:
        url = pending.pop(0)
        if url in seen:
            continue
        seen.add(url)
        got = _fetch(server, url, cache)
        if got is not None:
            weight.assets[url] = got
        if url.split("?")[0].endswith(".css"):
            body = _stylesheet(server, url)
            pending += [urljoin(url, found) for found in CSS_IMPORT.findall(body)]
            pending += [urljoin(url, found) for found in CSS_URL.findall(body)
                        if not found.startswith(("data:", "#"))]  # fmt: skip
    return weight


def _stylesheet(server: Server, url: str) -> str:
    """The text of a stylesheet (read again, outside the weighing, to follow its urls)."""
    response = fetch(server.port, urlsplit(url).path, headers=HEADERS)
    encoding = response.headers.get("content-encoding", "identity")
    return _decoded(response.body, encoding).decode("utf-8", "replace")


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


def _course_lessons(paths: list[str]) -> list[tuple[str, str]]:
    """(lesson, next lesson) pairs of the same course and language, in course order."""
    pairs = []
    for first, second in itertools.pairwise(paths):
        if first.split("/")[:4] == second.split("/")[:4]:
            pairs.append((first, second))
    return pairs


def _print(title: str, weight: Weight) -> None:
    print(f"{title}: {weight.path}: {weight.total / 1024:.1f} KB")
    print(f"  HTML {weight.html / 1024:7.1f} KB  sent as {weight.html_encoding}"
          f" (gzipped it would be {weight.html_gzipped / 1024:.1f} KB)")  # fmt: skip
    for url, got in sorted(weight.assets.items()):
        kept = "kept" if got.kept else "asked again"
        print(f"  {got.size / 1024:7.1f} KB  {got.encoding:<8}  {kept:<11}  {url}")


def run(server: Server, root: Path) -> list[Row]:
    heading("Page weight: a lesson page and everything it loads, Accept-Encoding: gzip, br")
    paths, source = _sample_lessons(root)
    by_language = sorted(paths, key=lambda path: path.split("/")[1])  # keeps course order
    firsts, nexts = [], []
    for first, second in _course_lessons(by_language):
        cache: dict[str, Fetched] = {}
        firsts.append(_weigh(server, first, cache))
        nexts.append(_weigh(server, second, cache))
    heaviest = max(firsts, key=lambda weight: weight.total)
    heaviest_next = max(nexts, key=lambda weight: weight.total)
    mean = sum(w.total for w in firsts) / len(firsts)
    print(f"{len(firsts)} lessons of {source} weighed with the next lesson after each; first "
          f"visits {mean / 1024:.1f} KB on average")  # fmt: skip
    _print("heaviest first visit", heaviest)
    _print("heaviest next lesson (cache warm from the lesson before)", heaviest_next)
    first_kb, next_kb = heaviest.total / 1024, heaviest_next.total / 1024
    rows = [
        Row("weight", f"lesson, first visit ({source})", f"{first_kb:.1f} KB",
            target=FIRST_VISIT, checked=first_kb),
        Row("weight", "next lesson, warm cache", f"{next_kb:.1f} KB", target=NEXT_LESSON,
            checked=next_kb),
    ]  # fmt: skip
    for row in rows:
        print(f"{row.measure}: {row.value}; {row.target_line()}")
    return rows
