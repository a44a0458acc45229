"""File access confined to a folder: no ``..`` escapes, no absolute paths, no symlinks,
no files over 5 MB and no Git LFS pointers (E009)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from courses.content import messages as M
from courses.content.diagnostics import FileReport, Where

MAX_FILE_BYTES = 5 * 1024 * 1024
LFS_POINTER = b"version https://git-lfs.github.com/spec/v1"
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class PathProblem:
    """A problem with a path, reported later at the place that named the path."""

    code: str
    template: str
    params: dict[str, object] = field(default_factory=dict)
    hint: str | None = None

    def report(self, report: FileReport, at: Where) -> None:
        report(self.code, self.template, at, hint=self.hint, **self.params)


def normalize(
    value: str, *, base: str = "", allow_parent: bool = False, code: str = "E009"
) -> tuple[str | None, PathProblem | None]:
    """Turn ``value`` (relative to ``base``, both inside a folder) into a normalised path.

    Returns the folder-relative POSIX path ("" for the folder itself) or a problem.
    ``allow_parent`` lets ``..`` through when the result stays inside the folder (links
    between lessons); paths in YAML files may not use ``..`` at all.
    """
    if value.startswith(("/", "\\")) or _DRIVE.match(value):
        hint = M.LINK_RELATIVE_HINT if code == "E013" else M.PATH_RELATIVE_HINT
        template = M.LINK_ABSOLUTE if code == "E013" else M.PATH_ABSOLUTE
        return None, PathProblem(code, template, {"path": value, "url": value}, hint)
    if "\\" in value:
        return None, PathProblem("E009", M.PATH_BACKSLASH, {"path": value})
    parts = value.split("/")
    if ".." in parts and not allow_parent:
        return None, PathProblem("E009", M.PATH_PARENT, {"path": value})
    joined = posixpath.normpath(posixpath.join(base, value)) if value else base
    if joined == ".":
        joined = ""
    if joined == ".." or joined.startswith("../"):
        return None, PathProblem("E013", M.LINK_OUTSIDE, {"url": value, "path": value})
    return joined, None


def locate(root: Path, rel: str, *, display: str) -> tuple[Path | None, PathProblem | None]:
    """Walk ``rel`` from ``root`` one part at a time; refuse symlinks and missing parts."""
    current = root
    for part in [p for p in rel.split("/") if p]:
        current = current / part
        if current.is_symlink():
            return None, PathProblem("E009", M.PATH_SYMLINK, {"path": display})
        if not current.exists():
            return None, PathProblem("E009", M.PATH_MISSING, {"path": display})
    return current, None


def read_file(path: Path, *, display: str) -> tuple[bytes | None, PathProblem | None]:
    """Read a regular file that is not a symlink, not over 5 MB and not an LFS pointer."""
    if path.is_symlink():
        return None, PathProblem("E009", M.PATH_SYMLINK, {"path": display})
    if not path.is_file():
        return None, PathProblem("E009", M.PATH_NOT_FILE, {"path": display})
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, PathProblem("E009", M.PATH_TOO_LARGE, {"path": display, "size": size})
    data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:  # grew while we looked
        return None, PathProblem("E009", M.PATH_TOO_LARGE, {"path": display, "size": len(data)})
    if data.startswith(LFS_POINTER):
        return None, PathProblem("E009", M.PATH_LFS, {"path": display}, M.PATH_LFS_HINT)
    return data, None


def join_display(*parts: str) -> str:
    """Join repository-relative POSIX path parts, skipping empty ones."""
    return "/".join(p.strip("/") for p in parts if p and p.strip("/"))
