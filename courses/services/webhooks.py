"""Push webhooks from GitHub, GitLab and Gitea: verify, deduplicate, enqueue an import."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from courses.models import CourseSource, ImportRun, WebhookDelivery
from courses.services.publishing import import_run_create
from lms.outbox import enqueue_on_commit

ZERO_SHA = "0" * 40
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

    @property
    def is_push(self) -> bool:
        return self.event in {"push", "Push Hook"}

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
    pusher = payload.get("pusher") or {}
    return Push(
        host=host,
        delivery_id=str(delivery)[:255],
        event=event,
        ref=str(payload.get("ref", ""))[:255],
        commit=str(commit)[:64],
        pusher=str(
            payload.get("user_username")
            or (pusher.get("name") or pusher.get("login") if isinstance(pusher, dict) else "")
            or ""
        )[:255],
    )


@transaction.atomic
def webhook_delivery_accept(*, source: CourseSource, push: Push) -> WebhookDelivery | None:
    """Record the delivery; enqueue an import of the pushed commit when it is a push to the
    source's branch. Returns None when this delivery id was seen before."""
    wanted = push.is_push and push.branch == source.branch and push.commit not in ("", ZERO_SHA)
    if wanted and not is_full_commit_sha(push.commit):  # the import would resolve any ref
        raise WebhookInvalid(f"not a full commit SHA: {push.commit[:80]!r}")
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                source=source,
                delivery_id=push.delivery_id,
                host=push.host,
                event=push.event[:64],
                ref=push.ref,
                commit=push.commit,
                outcome=WebhookDelivery.Outcome.QUEUED
                if wanted
                else WebhookDelivery.Outcome.IGNORED,
            )
    except IntegrityError:
        return None
    if wanted:
        run = import_run_create(
            location=source.repository_url,
            ref=push.commit,
            trigger=ImportRun.Trigger.WEBHOOK,
            source=source,
            requested_by=push.pusher,
        )
        delivery.import_run = run
        delivery.save(update_fields=["import_run"])
        enqueue_on_commit("courses.import_run_execute", run.pk)
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
