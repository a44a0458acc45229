"""Reading a local repository's commit in place gives the commit a checkout would give."""

from pathlib import Path

from courses.content.git import checkout, peek
from tests.gitrepo import git, make_repo


def checked_out(source: str, ref: str | None = None) -> str:
    with checkout(source, ref) as found:
        return found.commit.sha


def test_peek_finds_the_commit_a_checkout_checks_out(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    first = git(repo.path, "rev-parse", "HEAD").strip()
    git(repo.path, "tag", "release", first)
    git(repo.path, "branch", "draft")
    git(repo.path, "tag", "draft", first)  # a tag with a branch's name: the branch wins
    repo.commit({"courses/notes.md": "later"}, "A later commit")
    git(repo.path, "checkout", "--quiet", "draft")
    repo.commit({"courses/draft.md": "draft"}, "On the draft branch")
    git(repo.path, "checkout", "--quiet", "-")

    for ref in (None, "HEAD", "release", "draft", first):
        commit = peek(str(repo.path), ref)
        assert commit is not None and commit.sha == checked_out(str(repo.path), ref), ref
    assert peek(str(repo.path), "draft").message == "On the draft branch"
    assert peek(str(repo.path / "courses"), None).sha == checked_out(str(repo.path))


def test_peek_leaves_unknown_references_and_urls_to_the_checkout(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    assert peek(str(repo.path), "no-such-branch") is None
    assert peek("https://example.org/course.git") is None
    assert peek(f"file://{repo.path}") is None
