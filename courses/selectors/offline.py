"""What saving a course for offline use fetches: one list of addresses, each with the size it
takes to download, for a course's live revision in one language.

The list is the course page, every lesson, quiz and lab page, the course's glossary and its
terms, the images those pages show (course files under /assets/, immutable) and the static
files the pages use. The service worker fetches exactly this list (static/js/offline/sw.js),
and keys what it saved by the revision's ``uid``: a new revision is a new list.

Page sizes are estimates (the layout's compressed size plus the page's own text compressed):
pages differ a little per learner, and rendering every page to measure it would cost more than
the estimate is worth. Course files and static files are measured.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import zlib
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.http import Http404
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

from courses.content import pick_text
from courses.models import Asset, GlossaryTerm, ItemType, RevisionItem
from courses.selectors.catalog import course_live
from courses.selectors.outlines import cache_version, item_text, kept, revision_outline

# The layout, header, outline and footer of a page, compressed as served (measured on the
# starter courses: 1.5-2.5 KB); a page's own text is added to it.
PAGE_BYTES = 2200
# Static files every saved course needs: the layout's, a lesson page's and the offline code.
LAYOUT_STATIC = (
    "css/site.css", "favicon.svg", "img/certificate.svg", "js/site.js",
    "js/offline/boot.js", "js/offline/app.js",
)  # fmt: skip
LAB_STATIC = ("css/labs.css", "js/labs/common.js")
WIDGET_STATIC = ("css/widgets.css", "js/widgets/sha256.js")
_ASSET = re.compile(r"/assets/([0-9a-f]{64})/[^\"'\s)<>?#]+")


@dataclass(frozen=True)
class OfflineFile:
    url: str
    size: int  # bytes to download, compressed as served (pages: estimated)
    immutable: bool  # the same address never changes: kept across revisions


@dataclass(frozen=True)
class OfflineCourse:
    slug: str
    language: str
    revision: str  # the live revision's uid
    title: str
    files: tuple[OfflineFile, ...]

    @property
    def size(self) -> int:
        return sum(file.size for file in self.files)


@dataclass(frozen=True)
class _Listed:
    """The part of the list that depends on the revision only (kept with it)."""

    title: str
    pages: tuple[tuple[str, int], ...]
    assets: tuple[tuple[str, int], ...]
    lab_kinds: tuple[str, ...]
    widgets: bool


def _compressed(text: str | bytes) -> int:
    data = text.encode() if isinstance(text, str) else text
    return len(zlib.compress(data, 6)) if data else 0


def _page(url: str, text: str) -> tuple[str, int]:
    return url, PAGE_BYTES + _compressed(text)


def _read(revision, slug: str, language: str) -> _Listed:
    outline = revision_outline(f"{revision.pk}.{revision.uid}", language)
    title, _used = pick_text(revision.title, language)
    description, _used = pick_text(revision.description_html, language)
    texts = [description or ""]
    with translation.override(language):
        course_url = reverse("courses:course-detail", kwargs={"slug": slug})
        pages = [
            _page(course_url, (description or "") + " ".join(e.title for e in outline.entries))
        ]
        extra = {
            key: (quiz, lab)
            for key, quiz, lab in RevisionItem.objects.filter(revision=revision).values_list(
                "item__key", "quiz", "lab"
            )
        }
        for entry in outline.entries:
            if entry.type == ItemType.LESSON:
                text, _language = item_text(outline, entry)
                body = text.html if text else ""
            else:
                body = json.dumps(extra.get(entry.key, (None, None)), ensure_ascii=False)
            texts.append(body)
            pages.append(_page(f"{course_url}{entry.key}/", body))
        terms = list(GlossaryTerm.objects.filter(revision=revision).order_by("key"))
        definitions = [pick_text(term.definition_html, language)[0] or "" for term in terms]
        if terms:
            pages.append(_page(f"{course_url}glossary/", " ".join(definitions)))
        for term, definition in zip(terms, definitions, strict=True):
            url = reverse("courses:glossary-term", kwargs={"slug": slug, "term": term.key})
            pages.append(_page(url, definition))
            texts.append(definition)
    found = {match.group(1): match.group(0) for text in texts for match in _ASSET.finditer(text)}
    if revision.cover_id:
        found[revision.cover_id] = reverse("asset", args=[revision.cover_id, "cover"])
    assets = []
    for sha256, size, media_type, data in Asset.objects.filter(pk__in=found).values_list(
        "sha256", "size", "media_type", "data"
    ):
        textual = media_type.startswith("text/") or media_type.endswith(("+xml", "json"))
        assets.append((found[sha256], _compressed(bytes(data)) if textual else size))
    labs = sorted({(lab or {}).get("kind", "") for _quiz, lab in extra.values() if lab} - {""})
    return _Listed(
        title=title or slug,
        pages=tuple(pages),
        assets=tuple(sorted(assets)),
        lab_kinds=tuple(labs),
        widgets=any('data-widget="' in text for text in texts),
    )


@functools.cache
def _static_file(name: str) -> OfflineFile | None:
    """A static file's address and compressed size, once per process; None for a file the
    site does not have. Immutable when its name carries its content's hash (production)."""
    path = finders.find(name)
    if not path:
        return None
    with open(path, "rb") as file:
        size = _compressed(file.read())
    try:
        url = static(name)
    except ValueError:  # not collected (manifest storage): the pages cannot use it either
        return None
    return OfflineFile(url=url, size=size, immutable=not url.endswith(f"/{name}"))  # hashed


def offline_course(*, slug: str, language: str) -> OfflineCourse:
    """What saving the live revision of the course ``slug`` in ``language`` fetches (404 when
    there is no such live course)."""
    revision = course_live(slug=slug).live_revision
    if revision is None:  # course_live answers only courses with a live revision
        raise Http404
    shape = ",".join(field.name for field in dataclasses.fields(_Listed))
    key = f"offline:{cache_version()}:{shape}:{revision.pk}.{revision.uid}:{language}"
    listed: _Listed = kept(key, lambda: _read(revision, slug, language))
    names = list(LAYOUT_STATIC)
    if listed.lab_kinds:
        names += [*LAB_STATIC, *(f"js/labs/{kind}.js" for kind in listed.lab_kinds)]
    if listed.widgets:
        names += WIDGET_STATIC
    files = [OfflineFile(url=url, size=size, immutable=False) for url, size in listed.pages]
    files += [OfflineFile(url=url, size=size, immutable=True) for url, size in listed.assets]
    files += [found for found in map(_static_file, names) if found is not None]
    return OfflineCourse(
        slug=slug, language=language, revision=str(revision.uid), title=listed.title,
        files=tuple(files),
    )  # fmt: skip
