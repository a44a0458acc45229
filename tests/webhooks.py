"""Signed push deliveries as GitHub, GitLab and Gitea send them."""

import hashlib
import hmac
import json
import uuid


def push_payload(*, branch: str, commit: str, host: str) -> dict:
    payload = {"ref": f"refs/heads/{branch}", "after": commit, "before": "0" * 40}
    if host == "gitlab":
        payload.update(checkout_sha=commit, user_username="aigul")
    else:
        payload["pusher"] = {"name": "aigul"}
    return payload


def signed_headers(*, host: str, secret: str, body: bytes, delivery: str | None = None,
                   event: str = "push") -> dict[str, str]:  # fmt: skip
    delivery = delivery or str(uuid.uuid4())
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if host == "github":
        return {"HTTP_X_GITHUB_EVENT": event, "HTTP_X_GITHUB_DELIVERY": delivery,
                "HTTP_X_HUB_SIGNATURE_256": f"sha256={digest}"}  # fmt: skip
    if host == "gitea":
        return {"HTTP_X_GITEA_EVENT": event, "HTTP_X_GITEA_DELIVERY": delivery,
                "HTTP_X_GITEA_SIGNATURE": digest}  # fmt: skip
    return {"HTTP_X_GITLAB_EVENT": "Push Hook" if event == "push" else event,
            "HTTP_X_GITLAB_EVENT_UUID": delivery, "HTTP_X_GITLAB_TOKEN": secret}  # fmt: skip


def deliver(
    client, source, *, host: str, commit: str, branch: str = "main",
    secret: str | None = None, delivery: str | None = None, event: str = "push",
):  # fmt: skip
    body = json.dumps(push_payload(branch=branch, commit=commit, host=host)).encode()
    headers = signed_headers(host=host, secret=secret or source.secret, body=body,
                             delivery=delivery, event=event)  # fmt: skip
    return client.post(
        f"/hooks/git/{source.name}/", body, content_type="application/json", **headers
    )
