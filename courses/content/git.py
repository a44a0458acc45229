"""Reading a Git repository at a ref: a clean, detached checkout in a temporary folder.

The git command line runs with argument lists, a timeout, no prompts, no hooks and only the
transports an author would use (https, ssh, git, file). A local folder is cloned too, so the
author's working tree (uncommitted files, other branches checked out) never matters: what is
imported is exactly the commit.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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


def _git(*args: str, cwd: Path | None = None, timeout: int = 60) -> str:
    command = [
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
    try:
        result = subprocess.run(
            command, cwd=cwd, env=_git_env(), capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as exc:
        raise GitError(TIMED_OUT, seconds=str(timeout)) from exc
    if result.returncode != 0:
        raise subprocess.CalledProcessError(
            result.returncode, command, result.stdout, result.stderr
        )
    return result.stdout


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


def file_commit_times(path: Path, *, under: str = "courses") -> dict[str, dt.datetime]:
    """The time of the last commit that touched each file under ``under`` (for W106)."""
    out = _git(
        "log", "--relative", "--format=%x00%ct", "--name-only", "--no-renames", "--", under,
        cwd=path,
    )  # fmt: skip
    times: dict[str, dt.datetime] = {}
    when: dt.datetime | None = None
    for line in out.splitlines():
        if line.startswith("\x00"):
            when = dt.datetime.fromtimestamp(int(line[1:]), tz=dt.UTC)
        elif line and when is not None:
            times.setdefault(line, when)  # newest first: the first time seen is the last change
    return times


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
