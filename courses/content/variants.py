"""Narrow variants of images: ``images/chain.narrow.svg`` beside ``images/chain.svg``.

A lesson writes ``![alt](images/chain.svg)``; when the course also has the narrow variant, the
page shows it on screens narrower than 600 px (``<picture>`` with a ``<source>``, see
`courses.content.render`). Language variants combine: ``ky.md`` prefers
``images/chain.narrow.ky.svg``, then ``images/chain.narrow.svg``, exactly as it prefers
``images/chain.ky.svg`` to ``images/chain.svg``.

A narrow file without its wide image is most likely a typo, so the course check warns (W109).
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path

from courses.content import messages as M
from courses.content.diagnostics import Report
from courses.content.languages import LANGUAGES
from courses.content.paths import join_display

NARROW_MEDIA = "(max-width: 599px)"
_NARROW_NAME = re.compile(r"^(?P<stem>.+)\.narrow(?P<lang>\.[^./]+)?(?P<suffix>\.[^./]+)$")


def narrow_path(path: str) -> str | None:
    """The narrow variant's name for an image path, in the same folder.

    ``images/chain.svg`` gives ``images/chain.narrow.svg`` and ``images/chain.ky.svg`` gives
    ``images/chain.narrow.ky.svg``; a path without an extension, with a query or fragment, or
    already narrow gives None.
    """
    if not path or any(c in path for c in "?#"):
        return None
    folder, name = posixpath.split(path)
    stem, suffix = posixpath.splitext(name)
    if not stem or not suffix or _NARROW_NAME.match(name):
        return None
    base, dot, lang = stem.rpartition(".")
    narrow = f"{base}.narrow.{lang}{suffix}" if dot and base and lang in LANGUAGES else None
    return posixpath.join(folder, narrow or f"{stem}.narrow{suffix}")


def wide_names(name: str) -> tuple[str, ...]:
    """The files a narrow file ``name`` stands beside, any of which makes it useful; empty for
    a name that is not a narrow variant or names no language between ``.narrow`` and the
    extension (`narrow_lang`)."""
    match = _NARROW_NAME.match(name)
    if match is None:
        return ()
    stem, lang, suffix = match.group("stem"), match.group("lang"), match.group("suffix")
    if lang:
        return (f"{stem}{lang}{suffix}", f"{stem}{suffix}") if lang[1:] in LANGUAGES else ()
    return (f"{stem}{suffix}", *(f"{stem}.{code}{suffix}" for code in LANGUAGES))


def narrow_lang(name: str) -> str | None:
    """What stands between ``.narrow`` and the extension (``ky`` in ``chain.narrow.ky.svg``)."""
    match = _NARROW_NAME.match(name)
    return match.group("lang")[1:] if match and match.group("lang") else None


def is_narrow(name: str) -> bool:
    return _NARROW_NAME.match(name) is not None


def check_narrow_files(root: Path, rel: str, report: Report) -> None:
    """W109 for each narrow file under the course folder ``root`` with no wide sibling."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        here = Path(folder)
        for name in sorted(files):
            if not is_narrow(name) or (here / name).is_symlink():
                continue
            wide = wide_names(name)
            if any((here / w).is_file() and not (here / w).is_symlink() for w in wide):
                continue
            warn = report.file(join_display(rel, (here / name).relative_to(root).as_posix()))
            if wide:
                warn(
                    "W109", M.NARROW_WITHOUT_WIDE, None, hint=M.NARROW_HINT, path=name, wide=wide[0]
                )
            else:
                lang = narrow_lang(name)
                warn(
                    "W109", M.NARROW_NOT_A_LANGUAGE, None, hint=M.NARROW_HINT, path=name, lang=lang
                )
