"""Running the git command line safely: argument lists, a timeout, no prompts, no hooks, no
configuration of the machine, and only the transports an author would use (https, ssh, git,
file). `courses.content.git` reads repositories with it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from courses.content.diagnostics import gettext_noop

TIMED_OUT = gettext_noop("Git took longer than %(seconds)s seconds; try again later.")


class GitError(Exception):
    """A repository that cannot be read, with a translatable template and its parameters."""

    def __init__(self, template: str, **params: str) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params)


def git_env() -> dict[str, str]:
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


def git_command(args: tuple[str, ...]) -> list[str]:
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


def run_git(
    args: tuple[str, ...], *, cwd: Path | None, timeout: int, input: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run git; `subprocess.CalledProcessError` (with text output) when it fails, `GitError`
    when it takes longer than ``timeout`` seconds."""
    command = git_command(args)
    try:
        result = subprocess.run(
            command, cwd=cwd, env=git_env(), capture_output=True, timeout=timeout, input=input
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


def git_text(*args: str, cwd: Path | None = None, timeout: int = 60) -> str:
    return run_git(args, cwd=cwd, timeout=timeout).stdout.decode("utf-8", "replace")


def git_bytes(*args: str, cwd: Path, input: bytes, timeout: int = 60) -> bytes:
    return run_git(args, cwd=cwd, timeout=timeout, input=input).stdout
