"""Whether one commit is an ancestor of another, asked of Git: the push webhook refuses a
delivery that would publish a commit older than the live one (a replayed or reordered
delivery), and the import checks again in its clone.

For a repository on a URL the question is asked of a bare mirror kept on the server and
fetched first when it lacks either commit, within a time limit; a local repository is asked
in place. None means Git could not tell (a commit it does not have, a fetch that failed or took
too long): the caller decides later, with a full clone.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from courses.content.git import clone_source
from courses.content.gitcli import GitError, git_text

ZERO = frozenset({"0" * 40, "0" * 64})  # what a host sends for "no commit" (a new branch)


def commit_is_ancestor(repository: Path, older: str, newer: str) -> bool | None:
    """Whether ``older`` is ``newer`` or one of its ancestors in the repository at
    ``repository``; None when either commit is not there."""
    for sha in (older, newer):
        if sha.startswith("-") or not _has_commit(repository, sha):
            return None
    try:
        git_text("merge-base", "--is-ancestor", older, newer, cwd=repository)
    except subprocess.CalledProcessError as exc:
        if exc.returncode == 1:
            return False
        return None
    return True


def _has_commit(repository: Path, sha: str) -> bool:
    try:
        git_text("cat-file", "-e", f"{sha}^{{commit}}", cwd=repository)
    except subprocess.CalledProcessError:
        return False
    return True


def source_is_ancestor(
    source: str, older: str, newer: str, *, mirrors: Path, timeout: int
) -> bool | None:
    """`commit_is_ancestor` for the repository ``source`` names (a folder or a Git URL), in
    place or in its mirror under ``mirrors`` (fetched when it lacks a commit)."""
    try:
        url, _subfolder = clone_source(source)
        if not url.startswith(("https://", "http://", "ssh://", "git://", "file://")) and (
            Path(url).is_dir()
        ):
            return commit_is_ancestor(Path(url), older, newer)
        mirror = mirrors / (hashlib.sha256(url.encode()).hexdigest()[:24] + ".git")
        if not mirror.is_dir():
            mirror.parent.mkdir(parents=True, exist_ok=True)
            git_text("init", "--quiet", "--bare", str(mirror))
        found = commit_is_ancestor(mirror, older, newer)
        if found is not None:
            return found
        git_text("fetch", "--quiet", "--no-tags", "--prune", "--", url,
                 "+refs/heads/*:refs/heads/*", cwd=mirror, timeout=timeout)  # fmt: skip
        return commit_is_ancestor(mirror, older, newer)
    except (GitError, subprocess.CalledProcessError, OSError):
        return None
