"""What reading one course needs to share: its folder, report, languages, items and assets.

Relative links and images in lessons resolve here. A target inside the course is either
another item (a lesson folder, a lesson file or a quiz file named in course.yaml), which
becomes ``item_url(item_id)``, or a file, which becomes an `Asset` published at
``asset_url(sha256, filename)``. A per-language variant wins: ``images/chain.svg`` in
``ky.md`` uses ``images/chain.ky.svg`` when that file exists.

The default hooks produce placeholder URLs, ``asset:<sha256>/<filename>`` and
``item:<item-id>``, for a caller that prefers to rewrite them itself.
"""

from __future__ import annotations

import hashlib
import mimetypes
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from courses.content import messages as M
from courses.content.diagnostics import Report
from courses.content.parsed import Asset, Rendered
from courses.content.paths import PathProblem, join_display, locate, normalize, read_file
from courses.content.scan import url_scheme
from courses.content.schema import LangContext

AssetUrl = Callable[[str, str], str]
ItemUrl = Callable[[str], str]

_MEDIA_TYPES = {
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".md": "text/markdown",
    ".yaml": "application/yaml",
    ".yml": "application/yaml",
}


def default_asset_url(sha256: str, filename: str) -> str:
    return f"asset:{sha256}/{filename}"


def default_item_url(item_id: str) -> str:
    return f"item:{item_id}"


def media_type(filename: str) -> str:
    suffix = posixpath.splitext(filename)[1].lower()
    if suffix in _MEDIA_TYPES:
        return _MEDIA_TYPES[suffix]
    guessed, _encoding = mimetypes.guess_type(filename, strict=False)
    return guessed or "application/octet-stream"


def make_asset(path: str, data: bytes) -> Asset:
    filename = posixpath.basename(path)
    return Asset(
        path=path,
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        media_type=media_type(filename),
        data=data,
    )


@dataclass(frozen=True)
class Target:
    """Where a link or image in a lesson leads."""

    url: str | None  # the URL to publish; None when the link is broken
    asset: Asset | None = None
    item_id: str | None = None
    problem: PathProblem | None = None


@dataclass
class CourseContext:
    root: Path  # the course folder on disk
    rel: str  # the course folder, relative to the repository
    report: Report
    langs: LangContext
    asset_url: AssetUrl = default_asset_url
    item_url: ItemUrl = default_item_url
    render: bool = True
    render_cache: Mapping[str, Rendered] | None = None
    pass_threshold: int = 70
    targets: dict[str, str] = field(default_factory=dict)  # course-relative path -> item id
    assets: dict[str, Asset] = field(default_factory=dict)  # repository-relative path -> Asset

    def display(self, course_path: str) -> str:
        """The repository-relative path of a course-relative path."""
        return join_display(self.rel, course_path)

    def load_asset(self, course_path: str) -> tuple[Asset | None, PathProblem | None]:
        display = self.display(course_path)
        if display in self.assets:
            return self.assets[display], None
        located, problem = locate(self.root, course_path, display=display)
        if located is None:
            return None, problem
        data, problem = read_file(located, display=display)
        if data is None:
            return None, problem
        asset = make_asset(display, data)
        self.assets[display] = asset
        return asset, None

    def resolve(self, url: str, *, base: str, language: str) -> Target:
        """Resolve ``url`` written in a file of the course folder ``base``."""
        url = url.strip()
        if not url or url.startswith(("#", "//")) or url_scheme(url) is not None:
            return Target(url=url)
        parts = urlsplit(url)
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        raw_path = unquote(parts.path)
        if not raw_path:
            return Target(url=url)
        course_path, problem = normalize(raw_path, base=base, allow_parent=True, code="E013")
        if course_path is None:
            return Target(url=None, problem=problem)
        item_id = self.targets.get(course_path)
        if item_id is not None:
            return Target(url=self.item_url(item_id) + fragment, item_id=item_id)
        stem, suffix = posixpath.splitext(course_path)
        if suffix:
            variant = f"{stem}.{language}{suffix}"
            located, _problem = locate(self.root, variant, display=variant)
            if located is not None and located.is_file():
                course_path = variant
        located, problem = locate(self.root, course_path, display=self.display(course_path))
        if located is None:
            assert problem is not None
            if problem.template == M.PATH_MISSING:
                problem = PathProblem("E013", M.LINK_BROKEN, {"url": url})
            return Target(url=None, problem=problem)
        if located.is_dir():
            return Target(url=None, problem=PathProblem("E013", M.LINK_FOLDER, {"url": url}))
        asset, problem = self.load_asset(course_path)
        if asset is None:
            return Target(url=None, problem=problem)
        return Target(url=self.asset_url(asset.sha256, asset.filename) + fragment, asset=asset)
