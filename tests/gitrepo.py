"""Real Git repositories in temporary folders, for import tests."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from tests.content.helpers import valid_files, write_repo

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Aigul Author",
    "GIT_AUTHOR_EMAIL": "aigul@example.org",
    "GIT_COMMITTER_NAME": "Aigul Author",
    "GIT_COMMITTER_EMAIL": "aigul@example.org",
}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


class GitRepo:
    def __init__(self, path: Path) -> None:
        self.path = path

    def commit(
        self,
        changes: Mapping[str, str | bytes | None] | None = None,
        message: str = "Update the course",
        *,
        date: str | None = None,
    ) -> str:
        for rel, content in (changes or {}).items():
            target = self.path / rel
            if content is None:
                if target.exists():
                    target.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        git(self.path, "add", "-A")
        args = ["commit", "-q", "--allow-empty", "-m", message]
        if date:
            args += ["--date", date]
            os.environ["GIT_COMMITTER_DATE"] = date
        try:
            git(self.path, *args)
        finally:
            os.environ.pop("GIT_COMMITTER_DATE", None)
        return git(self.path, "rev-parse", "HEAD")

    @property
    def head(self) -> str:
        return git(self.path, "rev-parse", "HEAD")

    @property
    def url(self) -> str:
        return f"file://{self.path}"


def make_repo(path: Path, files: Mapping[str, str | bytes | None] | None = None) -> GitRepo:
    """A repository on branch main holding the valid demo course with ``files`` applied."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    write_repo(path, files or {}, base=valid_files())
    repo = GitRepo(path)
    repo.commit(message="Add the demo course")
    return repo
