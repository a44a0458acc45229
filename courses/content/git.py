"""Reading a Git repository at a ref: a clean, detached checkout in a temporary folder.

The git command line runs with argument lists, a timeout, no prompts, no hooks and only the
transports an author would use (https, ssh, git, file). A local folder is cloned too, so the
author's working tree (uncommitted files, other branches checked out) never matters: what is
imported is exactly the commit.

`read_history` reads the history of a folder once (which commits changed which file, the
commit graph, a file at any commit) for the checks that compare translations by commit.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from courses.content.diagnostics import gettext_noop

GIT_TIMEOUT = 180  # seconds for a clone; other commands take far less

NOT_A_REPOSITORY = gettext_noop("%(source)s is not a Git repository.")
UNREACHABLE = gettext_noop("Could not read the repository %(source)s: %(reason)s")
UNKNOWN_REF = gettext_noop("The repository has no branch, tag or commit named %(ref)s.")
BAD_SOURCE = gettext_noop("%(source)s is neither a folder nor a Git URL.")
TIMED_OUT = gettext_noop("Git took longer than %(seconds)s seconds; try again later.")

_ALLOWED_SCHEMES = ("https://", "http://", "ssh://", "git://", "file://")


class GitError(Exception):
    """A repository that cannot be read, with a translatable template and its parameters."""

    def __init__(self, template: str, **params: str) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params)


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


def _git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GIT_ASKPASS="/bin/true",
        SSH_ASKPASS="/bin/true",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_SSH_COMMAND="ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new",
        LC_ALL="C",
    )
    return env


def _command(args: tuple[str, ...]) -> list[str]:
    return [
        "git",
        "-c", "core.hooksPath=/dev/null",
        "-c", "protocol.allow=never",
        "-c", "protocol.https.allow=always",
        "-c", "protocol.http.allow=always",
        "-c", "protocol.ssh.allow=always",
        "-c", "protocol.git.allow=always",
        "-c", "protocol.file.allow=always",
        "-c", "core.symlinks=true",
        "-c", "advice.detachedHead=false",
        *args,
    ]  # fmt: skip


def _run(
    args: tuple[str, ...], *, cwd: Path | None, timeout: int, input: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    command = _command(args)
    try:
        result = subprocess.run(
            command, cwd=cwd, env=_git_env(), capture_output=True, timeout=timeout, input=input
        )
    except subprocess.TimeoutExpired as exc:
        raise GitError(TIMED_OUT, seconds=str(timeout)) from exc
    if result.returncode != 0:
        raise subprocess.CalledProcessError(
            result.returncode,
            command,
            result.stdout.decode("utf-8", "replace"),
            result.stderr.decode("utf-8", "replace"),
        )
    return result


def _git(*args: str, cwd: Path | None = None, timeout: int = 60) -> str:
    return _run(args, cwd=cwd, timeout=timeout).stdout.decode("utf-8", "replace")


def _git_bytes(*args: str, cwd: Path, input: bytes, timeout: int = 60) -> bytes:
    return _run(args, cwd=cwd, timeout=timeout, input=input).stdout


def _clone_source(source: str) -> tuple[str, str]:
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
        top = _git("rev-parse", "--show-toplevel", cwd=folder).strip()
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
            return _git(
                "rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}", cwd=path
            ).strip()
        except subprocess.CalledProcessError:
            continue
    raise GitError(UNKNOWN_REF, ref=ref)


def read_commit(path: Path, sha: str = "HEAD") -> Commit:
    out = _git("show", "-s", "--format=%H%x00%an <%ae>%x00%ct%x00%s", sha, "--", cwd=path)
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
    `read_history`.

    With ``dirty`` (the files of a working tree that differ from HEAD: changed, staged or
    untracked), those files count as changed by one more commit on top of HEAD, `WORKTREE`,
    whose contents are the files on disk.
    """

    def __init__(
        self, folder: Path, *, head: str, order: list[str], parents: dict[str, tuple[str, ...]],
        commits: dict[str, Commit], touched: dict[str, list[str]], dirty: frozenset[str],
    ) -> None:  # fmt: skip
        self.folder = folder
        self.head = head
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
            out = _git_bytes("cat-file", "--batch", cwd=self.folder, input=specs)
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
        head = _git("rev-parse", "--verify", "--quiet", "HEAD^{commit}", cwd=folder).strip()
    except subprocess.CalledProcessError as exc:
        if "safe.directory" in (exc.stderr or ""):
            return NoHistory("unsafe")
        try:
            _git("rev-parse", "--git-dir", cwd=folder)
        except subprocess.CalledProcessError:
            return NoHistory("not-a-repository")
        return NoHistory("no-commits")
    except OSError:
        return NoHistory("not-a-repository")
    if _git("rev-parse", "--is-shallow-repository", cwd=folder).strip() == "true":
        return NoHistory("shallow")
    order: list[str] = []
    parents: dict[str, tuple[str, ...]] = {}
    for line in _git("rev-list", "--topo-order", "--parents", head, cwd=folder).splitlines():
        sha, *rest = line.split()
        order.append(sha)
        parents[sha] = tuple(rest)
    log = _git(
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
    dirty: frozenset[str] = frozenset()
    if worktree:
        changed = _git("diff", "--name-only", "--no-renames", "--relative", "-z", "HEAD",
                       cwd=folder)  # fmt: skip
        untracked = _git("ls-files", "--others", "--exclude-standard", "-z", cwd=folder)
        dirty = frozenset(p for p in (changed + untracked).split("\x00") if p)
    return History(
        folder, head=head, order=order, parents=parents, commits=commits, touched=touched,
        dirty=dirty,
    )  # fmt: skip


def peek(source: str, ref: str | None = None) -> Commit | None:
    """The commit that `checkout` would check out of a local repository ``source``, read in
    place without cloning it; None for a URL, which cannot be read without fetching it. The
    reference is resolved as in a clone of it: a branch of that name first, then a tag or a
    commit."""
    url, _subfolder = _clone_source(source)
    if url.startswith(_ALLOWED_SCHEMES) or not Path(url).is_dir():
        return None
    wanted = ref or "HEAD"
    if wanted.startswith("-"):
        raise GitError(UNKNOWN_REF, ref=wanted)
    candidates = ("HEAD",) if wanted == "HEAD" else (f"refs/heads/{wanted}", wanted)
    for candidate in candidates:
        try:
            sha = _git(
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
    url, subfolder = _clone_source(source)
    folder = Path(tempfile.mkdtemp(prefix="bilim-import-"))
    try:
        target = folder / "repo"
        try:
            _git("clone", "--quiet", "--no-checkout", "--", url, str(target), timeout=timeout)
        except subprocess.CalledProcessError as exc:
            raise GitError(UNREACHABLE, source=source, reason=_reason(exc)) from exc
        sha = _resolve(target, ref or "HEAD")
        try:
            _git("checkout", "--quiet", "--detach", sha, cwd=target, timeout=timeout)
        except subprocess.CalledProcessError as exc:
            raise GitError(UNREACHABLE, source=source, reason=_reason(exc)) from exc
        path = target / subfolder if subfolder else target
        yield Checkout(path=path, commit=read_commit(target, sha), ref=ref or "HEAD")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
