"""Reading a Git repository at a ref: a clean, detached checkout in a temporary folder.

The git command line runs through `courses.content.gitcli`: argument lists, a timeout, no
prompts, no hooks and only the transports an author would use (https, ssh, git, file). A
local folder is cloned too, so the author's working tree (uncommitted files, other branches
checked out) never matters: what is imported is exactly the commit.

`read_history` reads the history of a folder once (which commits changed which file, the
commit graph, a file at any commit) for the checks that compare translations by commit.
"""

from __future__ import annotations

import codecs
import datetime as dt
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from courses.content.diagnostics import gettext_noop
from courses.content.gitcli import GitError, git_bytes, git_text
from courses.content.signoffs import CHECKED, CHECKED_PATH, GREP, SignOff, signoff_parse

GIT_TIMEOUT = 180  # seconds for a clone; other commands take far less

NOT_A_REPOSITORY = gettext_noop("%(source)s is not a Git repository.")
UNREACHABLE = gettext_noop("Could not read the repository %(source)s: %(reason)s")
UNKNOWN_REF = gettext_noop("The repository has no branch, tag or commit named %(ref)s.")
BAD_SOURCE = gettext_noop("%(source)s is neither a folder nor a Git URL.")

_ALLOWED_SCHEMES = ("https://", "http://", "ssh://", "git://", "file://")


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str
    message: str
    committed_at: dt.datetime


@dataclass(frozen=True)
class Checkout:
    path: Path  # the folder to read: the clone, or the source's folder inside it
    commit: Commit
    ref: str


def clone_source(source: str) -> tuple[str, str]:
    """What to hand to `git clone` and the folder inside the clone to read: a URL as it is;
    a local folder as its repository's top folder and the path below it."""
    if source.startswith("-"):
        raise GitError(BAD_SOURCE, source=source)
    if source.startswith(_ALLOWED_SCHEMES) or (
        "@" in source and ":" in source and not Path(source).exists()
    ):
        return source, ""
    folder = Path(source).expanduser().resolve()
    if not folder.is_dir():
        raise GitError(BAD_SOURCE, source=source)
    try:
        top = git_text("rev-parse", "--show-toplevel", cwd=folder).strip()
    except subprocess.CalledProcessError as exc:
        raise GitError(NOT_A_REPOSITORY, source=source) from exc
    top_folder = Path(top).resolve()
    return str(top_folder), folder.relative_to(top_folder).as_posix().strip(".")


def _reason(exc: subprocess.CalledProcessError) -> str:
    lines = [line for line in (exc.stderr or "").splitlines() if line.strip()]
    return lines[-1].removeprefix("fatal: ").strip() if lines else f"exit {exc.returncode}"


def _resolve(path: Path, ref: str) -> str:
    if ref.startswith("-"):
        raise GitError(UNKNOWN_REF, ref=ref)
    for candidate in (f"origin/{ref}", ref) if ref != "HEAD" else ("HEAD",):
        try:
            return git_text(
                "rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}", cwd=path
            ).strip()
        except subprocess.CalledProcessError:
            continue
    raise GitError(UNKNOWN_REF, ref=ref)


def read_commit(path: Path, sha: str = "HEAD") -> Commit:
    out = git_text("show", "-s", "--format=%H%x00%an <%ae>%x00%ct%x00%s", sha, "--", cwd=path)
    full, author, timestamp, subject = out.rstrip("\n").split("\x00", 3)
    return Commit(
        sha=full,
        author=author,
        message=subject,
        committed_at=dt.datetime.fromtimestamp(int(timestamp), tz=dt.UTC),
    )


WORKTREE = "worktree"  # the uncommitted changes of a working tree, as one more commit on HEAD
_LOG_FORMAT = "%x00%H%x00%an%x00%at%x00%s"
_BATCH = 64  # file versions read by one `git cat-file --batch`


@dataclass(frozen=True)
class NoHistory:
    """Why a folder's history cannot be read: ``not-a-repository`` (or no Git), ``no-commits``,
    ``shallow`` (a shallow clone: its oldest commit seems to add every file) or ``unsafe`` (Git
    refuses a repository another user owns: see ``safe.directory``)."""

    reason: str


class History:
    """The Git history of the files under a folder, read once for all the checks of an import
    or a lint run: the commits that touched each file (newest first, in topological order),
    every commit's parents, and a file's bytes at any commit. Paths are relative to the
    folder, as diagnostics show them; a commit's ``author`` is the name alone. Made by
    `read_history`. ``signoffs`` are the commits with a `Translations-Checked` trailer, newest
    first (`courses.content.signoffs`).

    With ``dirty`` (the files of a working tree that differ from HEAD: changed, staged or
    untracked), those files count as changed by one more commit on top of HEAD, `WORKTREE`,
    whose contents are the files on disk.
    """

    def __init__(
        self, folder: Path, *, head: str, order: list[str], parents: dict[str, tuple[str, ...]],
        commits: dict[str, Commit], touched: dict[str, list[str]], dirty: frozenset[str],
        signoffs: tuple[SignOff, ...] = (),
    ) -> None:  # fmt: skip
        self.folder = folder
        self.head = head
        self.signoffs = signoffs
        self._index = {sha: i for i, sha in enumerate(order)}  # children before parents
        self._parents = parents
        self._commits = commits
        self._touched = touched
        self._dirty = dirty
        self._blobs: dict[tuple[str, str], bytes | None] = {}

    def changes(self, path: str) -> list[str]:
        """The commits that changed ``path``, newest first (`WORKTREE` first when it differs
        from HEAD on disk)."""
        shas = self._touched.get(path, [])
        return [WORKTREE, *shas] if path in self._dirty else list(shas)

    def commit(self, sha: str) -> Commit | None:
        if sha == WORKTREE:
            return Commit(sha=WORKTREE, author="", message="", committed_at=_now())
        return self._commits.get(sha)

    def parents(self, sha: str) -> tuple[str, ...]:
        return (self.head,) if sha == WORKTREE else self._parents.get(sha, ())

    def is_ancestor(self, older: str, newer: str) -> bool:
        """Whether ``older`` is ``newer`` or an ancestor of it (`WORKTREE` descends from HEAD)."""
        if older == newer:
            return True
        if older == WORKTREE or older not in self._index:
            return False
        if newer == WORKTREE:
            newer = self.head
        limit = self._index[older]  # an ancestor comes after its descendants in this order
        seen: set[str] = set()
        stack = [newer]
        while stack:
            sha = stack.pop()
            if sha == older:
                return True
            if sha in seen or self._index.get(sha, limit + 1) > limit:
                continue
            seen.add(sha)
            stack.extend(self._parents.get(sha, ()))
        return False

    def newest(self, shas: Iterable[str]) -> str:
        """The newest of ``shas`` in the topological order (`WORKTREE` before every commit)."""
        last = len(self._index)
        return min(shas, key=lambda sha: -1 if sha == WORKTREE else self._index.get(sha, last))

    def checked(self, root: str, language: str) -> list[str]:
        """The commits that sign off ``language``'s text of the item at ``root`` (a lesson's
        folder, a quiz's or lab's file), newest first."""
        return [signoff.sha for signoff in self.signoffs if signoff.covers(root, language)]

    def read(self, sha: str, path: str) -> bytes | None:
        """The bytes of ``path`` at commit ``sha``; None where it did not exist."""
        if (sha, path) not in self._blobs:
            self.prefetch([(sha, path)])
        return self._blobs.get((sha, path))

    def prefetch(self, wanted: Iterable[tuple[str, str]]) -> None:
        """Read the versions ``(sha, path)`` not read yet, a batch per `git cat-file` run."""
        missing = list(dict.fromkeys(w for w in wanted if w not in self._blobs))
        for sha, path in [w for w in missing if w[0] == WORKTREE]:
            file = self.folder / path
            self._blobs[(sha, path)] = file.read_bytes() if file.is_file() else None
        committed = [w for w in missing if w[0] != WORKTREE]
        for start in range(0, len(committed), _BATCH):
            batch = committed[start : start + _BATCH]
            specs = "".join(f"{sha}:./{path}\n" for sha, path in batch).encode()
            out = git_bytes("cat-file", "--batch", cwd=self.folder, input=specs)
            position = 0
            for key in batch:
                end = out.index(b"\n", position)
                header = out[position:end].split()
                position = end + 1
                if len(header) == 3 and header[1] == b"blob":
                    size = int(header[2])
                    self._blobs[key] = out[position : position + size]
                    position += size + 1
                else:  # "<spec> missing", or a folder
                    self._blobs[key] = None


def _now() -> dt.datetime:
    return dt.datetime.now(tz=dt.UTC)


def _unquote(path: str) -> str:
    """A path as Git prints it with core.quotePath off: C-quoted only when it holds a quote,
    a backslash or a control character."""
    if len(path) > 1 and path.startswith('"') and path.endswith('"'):
        raw = cast(bytes, codecs.escape_decode(path[1:-1].encode())[0])  # typeshed says str
        return raw.decode("utf-8", "replace")
    return path


def read_history(folder: Path, *, worktree: bool = False) -> History | NoHistory:
    """The history of the files under ``folder``, a folder of a Git work tree. With
    ``worktree``, files that differ from HEAD on disk count as a last, uncommitted change
    (`WORKTREE`), as the linter sees them; an import reads commits only."""
    try:
        head = git_text("rev-parse", "--verify", "--quiet", "HEAD^{commit}", cwd=folder).strip()
    except subprocess.CalledProcessError as exc:
        if "safe.directory" in (exc.stderr or ""):
            return NoHistory("unsafe")
        try:
            git_text("rev-parse", "--git-dir", cwd=folder)
        except subprocess.CalledProcessError:
            return NoHistory("not-a-repository")
        return NoHistory("no-commits")
    except OSError:
        return NoHistory("not-a-repository")
    if git_text("rev-parse", "--is-shallow-repository", cwd=folder).strip() == "true":
        return NoHistory("shallow")
    order: list[str] = []
    parents: dict[str, tuple[str, ...]] = {}
    for line in git_text("rev-list", "--topo-order", "--parents", head, cwd=folder).splitlines():
        sha, *rest = line.split()
        order.append(sha)
        parents[sha] = tuple(rest)
    log = git_text(
        "-c", "core.quotePath=false", "log", "--topo-order", "--no-renames", "--relative",
        "--name-only", f"--format={_LOG_FORMAT}", head, "--", ".", cwd=folder,
    )  # fmt: skip
    commits: dict[str, Commit] = {}
    touched: dict[str, list[str]] = {}
    current = ""
    for line in log.splitlines():
        if line.startswith("\x00"):
            _, current, author, timestamp, subject = line.split("\x00", 4)
            when = dt.datetime.fromtimestamp(int(timestamp), tz=dt.UTC)
            commits[current] = Commit(
                sha=current, author=author, message=subject, committed_at=when
            )
        elif line and current:
            touched.setdefault(_unquote(line), []).append(current)
    signoffs, signed = _signoffs(folder, head)
    commits = {**signed, **commits}
    dirty: frozenset[str] = frozenset()
    if worktree:
        changed = git_text("diff", "--name-only", "--no-renames", "--relative", "-z", "HEAD",
                       cwd=folder)  # fmt: skip
        untracked = git_text("ls-files", "--others", "--exclude-standard", "-z", cwd=folder)
        dirty = frozenset(p for p in (changed + untracked).split("\x00") if p)
    return History(
        folder, head=head, order=order, parents=parents, commits=commits, touched=touched,
        dirty=dirty, signoffs=signoffs,
    )  # fmt: skip


_SIGNOFF_FORMAT = (
    f"%x1e%H%x1f%an%x1f%at%x1f%s%x1f%(trailers:key={CHECKED},valueonly,unfold,separator=%x1d)"
    f"%x1f%(trailers:key={CHECKED_PATH},valueonly,unfold,separator=%x1d)"
)


def _signoffs(folder: Path, head: str) -> tuple[tuple[SignOff, ...], dict[str, Commit]]:
    """The commits up to ``head`` that sign off translations, newest first in topological
    order, and those commits. Every commit counts, also one that changed nothing (so no path
    limits the log); the files it changed are those of the whole repository, against its
    first parent for a merge."""
    prefix = git_text("rev-parse", "--show-prefix", cwd=folder).strip()
    log = git_text(
        "-c", "core.quotePath=false", "log", "--topo-order", "--regexp-ignore-case",
        "--extended-regexp", f"--grep={GREP}", f"--format={_SIGNOFF_FORMAT}", "--name-only",
        "--no-renames", "--diff-merges=first-parent", head, cwd=folder,
    )  # fmt: skip
    found: list[SignOff] = []
    commits: dict[str, Commit] = {}
    for record in log.split("\x1e")[1:]:
        header, _, files = record.partition("\n")
        sha, author, timestamp, subject, languages, paths = header.split("\x1f", 5)
        changed = [_unquote(line) for line in files.splitlines() if line]
        signoff = signoff_parse(sha=sha, languages=languages, paths=paths, changed=changed,
                                prefix=prefix)  # fmt: skip
        if signoff is not None:
            found.append(signoff)
            when = dt.datetime.fromtimestamp(int(timestamp), tz=dt.UTC)
            commits[sha] = Commit(sha=sha, author=author, message=subject, committed_at=when)
    return tuple(found), commits


def peek(source: str, ref: str | None = None) -> Commit | None:
    """The commit that `checkout` would check out of a local repository ``source``, read in
    place without cloning it; None for a URL, which cannot be read without fetching it. The
    reference is resolved as in a clone of it: a branch of that name first, then a tag or a
    commit."""
    url, _subfolder = clone_source(source)
    if url.startswith(_ALLOWED_SCHEMES) or not Path(url).is_dir():
        return None
    wanted = ref or "HEAD"
    if wanted.startswith("-"):
        raise GitError(UNKNOWN_REF, ref=wanted)
    candidates = ("HEAD",) if wanted == "HEAD" else (f"refs/heads/{wanted}", wanted)
    for candidate in candidates:
        try:
            sha = git_text(
                "rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}", cwd=Path(url)
            ).strip()
        except subprocess.CalledProcessError:
            continue
        return read_commit(Path(url), sha)
    return None


@contextmanager
def checkout(
    source: str, ref: str | None = None, *, timeout: int = GIT_TIMEOUT
) -> Iterator[Checkout]:
    """A detached checkout of ``source`` at ``ref`` (default: its HEAD), removed afterwards."""
    url, subfolder = clone_source(source)
    folder = Path(tempfile.mkdtemp(prefix="bilim-import-"))
    try:
        target = folder / "repo"
        try:
            git_text("clone", "--quiet", "--no-checkout", "--", url, str(target), timeout=timeout)
        except subprocess.CalledProcessError as exc:
            raise GitError(UNREACHABLE, source=source, reason=_reason(exc)) from exc
        sha = _resolve(target, ref or "HEAD")
        try:
            git_text("checkout", "--quiet", "--detach", sha, cwd=target, timeout=timeout)
        except subprocess.CalledProcessError as exc:
            raise GitError(UNREACHABLE, source=source, reason=_reason(exc)) from exc
        path = target / subfolder if subfolder else target
        yield Checkout(path=path, commit=read_commit(target, sha), ref=ref or "HEAD")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
