import logging

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from courses.models import CourseSource, WebhookDelivery
from courses.services.webhooks import (
    WebhookInvalid,
    WebhookRejected,
    webhook_delivery_accept,
    webhook_verify,
)
from lms.clientip import client_address

logger = logging.getLogger(__name__)


@csrf_exempt  # authenticated by the shared secret's signature instead
@require_POST
def git_webhook(request: HttpRequest, source: str) -> JsonResponse:
    course_source = get_object_or_404(CourseSource, name=source, is_active=True)
    try:
        push = webhook_verify(source=course_source, headers=request.headers, body=request.body)
    except WebhookRejected as reason:
        logger.warning(
            "rejected webhook for %s from %s: %s",
            course_source.name,
            client_address(request),
            reason,
        )
        return JsonResponse({"code": "forbidden", "message": "invalid signature"}, status=403)
    except WebhookInvalid as problem:  # signed, but not a push that can be imported
        return JsonResponse({"code": "invalid_commit", "message": str(problem)}, status=400)
    if push.event in {"ping", "Ping Hook"}:
        return JsonResponse({"status": "pong"})
    delivery = webhook_delivery_accept(source=course_source, push=push)
    if delivery is None:
        return JsonResponse({"status": "duplicate", "delivery": push.delivery_id})
    body = {"status": delivery.outcome, "delivery": delivery.delivery_id}
    if delivery.outcome == WebhookDelivery.Outcome.REFUSED:
        # GitHub and Gitea show a 4xx in the delivery's log and never resend it by
        # themselves; GitLab counts any 4xx towards disabling the webhook, so it gets a 200.
        body["reason"] = delivery.reason
        return JsonResponse(body, status=200 if push.host == "gitlab" else 409)
    if delivery.import_run_id:
        body["import"] = delivery.import_run_id
    return JsonResponse(body, status=202)
