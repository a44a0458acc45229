"""Push webhooks from GitHub, GitLab and Gitea: verify, deduplicate, enqueue an import.

A push to the source's branch imports the pushed commit, unless that commit is older than the
live one (an ancestor of it, as Git says) and the push was not forced: a replayed or
reordered delivery never rolls a course back. Forced is what the host says (GitHub's
``forced``) or what Git shows (the previous commit is not an ancestor of the pushed one;
GitLab and Gitea send no flag). A push to another branch builds a preview when the source
has ``previews`` on; deleting a branch removes its previews.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from courses.content.gitancestry import ZERO, source_is_ancestor
from courses.models import CourseSource, ImportRun, WebhookDelivery
from courses.selectors.sources import source_live_commit
from courses.services.publishing import OLDER_THAN_LIVE, import_run_create
from lms.outbox import enqueue_on_commit

ZERO_SHA = "0" * 40
GIT_SECONDS = 8  # to fetch the source's mirror during a delivery (hosts wait about 10 s)
_FULL_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")  # SHA-1, or SHA-256 repositories


class WebhookRejected(Exception):
    """The request is not a genuine delivery for this source."""


class WebhookInvalid(Exception):
    """A genuine delivery whose push cannot be imported (its message says why); nothing is
    recorded or queued."""


def is_full_commit_sha(value: str) -> bool:
    """40 (or 64) lower-case hex digits: a commit, never a branch, a tag or ``HEAD~1``, which
    Git would resolve to some other commit than the one pushed."""
    return _FULL_SHA.fullmatch(value) is not None


def _pushed_commit(value: object) -> str:
    commit = value.strip().lower() if isinstance(value, str) else ""
    if not is_full_commit_sha(commit):
        shown = value[:80] if isinstance(value, str) else json.dumps(value)[:80]
        raise WebhookInvalid(
            "The pushed commit must be a full commit SHA (40 hexadecimal digits, or 64 in a "
            f"SHA-256 repository), not {shown!r}."
        )
    return commit


@dataclass(frozen=True)
class Push:
    host: str
    delivery_id: str
    event: str
    ref: str
    commit: str
    pusher: str
    before: str = ""  # the branch's commit before the push ("" or zeros for a new branch)
    forced: bool = False  # the host says the push was forced (GitHub does; GitLab never)

    @property
    def is_push(self) -> bool:
        return self.event in {"push", "Push Hook"}

    @property
    def deleted(self) -> bool:
        return self.commit in ("", *ZERO)

    @property
    def branch(self) -> str | None:
        return self.ref.removeprefix("refs/heads/") if self.ref.startswith("refs/heads/") else None


def _hmac_hex(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_verify(*, source: CourseSource, headers: dict[str, str], body: bytes) -> Push:
    """Check the signature (constant time) and read the push. Raises `WebhookRejected`."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if "x-gitea-signature" in lowered:
        host, delivery = "gitea", lowered.get("x-gitea-delivery", "")
        event = lowered.get("x-gitea-event", "")
        valid = hmac.compare_digest(
            _hmac_hex(source.secret, body), lowered["x-gitea-signature"].strip()
        )
    elif "x-hub-signature-256" in lowered:
        host, delivery = "github", lowered.get("x-github-delivery", "")
        event = lowered.get("x-github-event", "")
        valid = hmac.compare_digest(
            "sha256=" + _hmac_hex(source.secret, body), lowered["x-hub-signature-256"].strip()
        )
    elif "x-gitlab-token" in lowered:
        host = "gitlab"
        delivery = lowered.get("x-gitlab-event-uuid") or lowered.get("idempotency-key", "")
        event = lowered.get("x-gitlab-event", "")
        valid = hmac.compare_digest(
            source.secret.encode(), lowered["x-gitlab-token"].strip().encode()
        )
    else:
        raise WebhookRejected("no signature header")
    if not valid:
        raise WebhookRejected(f"bad {host} signature")
    if not delivery:
        raise WebhookRejected(f"{host} delivery without an id")
    try:
        payload = json.loads(body or b"{}")
    except ValueError as exc:
        raise WebhookRejected("body is not JSON") from exc
    if not isinstance(payload, dict):
        raise WebhookRejected("body is not a JSON object")
    commit = payload.get("checkout_sha") or payload.get("after") or ""
    if event in {"push", "Push Hook"}:
        commit = _pushed_commit(commit)
    before = payload.get("before")
    before = before.strip().lower() if isinstance(before, str) else ""
    pusher = payload.get("pusher") or {}
    return Push(
        host=host,
        delivery_id=str(delivery)[:255],
        event=event,
        ref=str(payload.get("ref", ""))[:255],
        commit=str(commit)[:64],
        before=before if is_full_commit_sha(before) else "",
        forced=payload.get("forced") is True,
        pusher=str(
            payload.get("user_username")
            or (pusher.get("name") or pusher.get("login") if isinstance(pusher, dict) else "")
            or ""
        )[:255],
    )


def _older_than_live(source: CourseSource, push: Push) -> tuple[bool, str]:
    """Whether the push was forced, and why it is refused ("" to import it): its commit is an
    ancestor of the live commit and the push was not forced. When Git cannot tell in time (a
    fetch that failed or took too long) the delivery is queued and the import asks again."""
    live = source_live_commit(source=source)
    if push.forced or not live or live == push.commit:
        return push.forced, ""

    def is_ancestor(older: str, newer: str) -> bool | None:
        mirrors = settings.VAR_DIR / "git-mirrors"
        return source_is_ancestor(
            source.repository_url, older, newer, mirrors=mirrors, timeout=GIT_SECONDS
        )

    if is_ancestor(push.commit, live) is not True:
        return False, ""
    if push.before and push.before not in ZERO and is_ancestor(push.before, push.commit) is False:
        return True, ""  # the branch was moved back on purpose
    return False, OLDER_THAN_LIVE % {"commit": push.commit[:10], "live": live[:10]}


def webhook_delivery_accept(*, source: CourseSource, push: Push) -> WebhookDelivery | None:
    """Record the delivery and act on it: import a push to the source's branch (unless it is
    older than the live commit and not forced: refused, with the reason), preview a push to
    another branch, remove a deleted branch's previews. Returns None when this delivery id
    was seen before."""
    branch = push.branch if push.is_push else None
    live = branch is not None and branch == source.branch and not push.deleted
    preview = branch is not None and branch != source.branch and source.previews
    if (live or preview) and not push.deleted and not is_full_commit_sha(push.commit):
        raise WebhookInvalid(f"not a full commit SHA: {push.commit[:80]!r}")
    if WebhookDelivery.objects.filter(source=source, delivery_id=push.delivery_id).exists():
        return None
    forced, reason = _older_than_live(source, push) if live else (push.forced, "")
    if reason:
        outcome = WebhookDelivery.Outcome.REFUSED
    elif live:
        outcome = WebhookDelivery.Outcome.QUEUED
    elif preview and not push.deleted:
        outcome = WebhookDelivery.Outcome.PREVIEW
    else:
        outcome = WebhookDelivery.Outcome.IGNORED
    with transaction.atomic():
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    source=source, delivery_id=push.delivery_id, host=push.host,
                    event=push.event[:64], ref=push.ref, commit=push.commit, before=push.before,
                    forced=forced, outcome=outcome, reason=reason[:500],
                )  # fmt: skip
        except IntegrityError:
            return None
        if outcome in (WebhookDelivery.Outcome.QUEUED, WebhookDelivery.Outcome.PREVIEW):
            run = import_run_create(
                location=source.repository_url, ref=push.commit, trigger=ImportRun.Trigger.WEBHOOK,
                source=source, requested_by=push.pusher, branch=branch or "",
                preview=outcome == WebhookDelivery.Outcome.PREVIEW,
            )  # fmt: skip
            delivery.import_run = run
            delivery.save(update_fields=["import_run"])
            enqueue_on_commit("courses.import_run_execute", run.pk)
        elif branch and branch != source.branch and push.deleted:
            enqueue_on_commit("courses.previews_prune", source.pk, branch)
    return delivery


@transaction.atomic
def import_run_request(
    *, source: CourseSource, ref: str = "", preview: bool = False, requested_by: str = ""
) -> ImportRun:
    """An import asked for from the admin ("re-import now", "preview"), run by a worker."""
    run = import_run_create(
        location=source.repository_url,
        ref=ref or source.branch,
        preview=preview,
        trigger=ImportRun.Trigger.ADMIN,
        source=source,
        requested_by=requested_by,
    )
    enqueue_on_commit("courses.import_run_execute", run.pk)
    return run
