"""The owner binds their certificate to a key they hold (JSON endpoints for static/js)."""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.credentials import holder
from courses.selectors.certificates import certificate_public
from courses.services.holder_keys import (
    HolderBindingError,
    certificate_holder_bind,
    holder_challenge_create,
)
from lms.ratelimit import rate_limit_exceeded

RATE_LIMIT = 20  # challenges and bindings per owner and 10 minutes


def _messages() -> dict[str, str]:
    return {
        "not_owner": _("Only the learner who earned this certificate can bind it to a key."),
        "not_issued": _(
            "Only a valid certificate can be bound to a key: this one is revoked or not issued yet."
        ),
        "bad_encoding": _(
            "The public key or the signature is not valid base64 or hex of the right length."
        ),
        "used_challenge": _("This challenge was already used or is unknown. Please try again."),
        "expired_challenge": _("This challenge has expired. Please try again."),
        "bad_signature": _("The signature was not made with this key over this challenge."),
        "bad_request": _("The request could not be read."),
        "rate_limited": _("Too many attempts. Please wait a few minutes and try again."),
    }


def _refused(code: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": _messages()[code], "code": code}, status=status)


def _owned(request: HttpRequest, public_id):
    certificate = certificate_public(public_id=public_id)
    if certificate is None or certificate.user_id != request.user.pk:
        raise Http404  # someone else's certificate: as if it were not there
    return certificate


def _limited(request: HttpRequest) -> bool:
    return rate_limit_exceeded(
        scope="holder-key", key=str(request.user.pk), limit=RATE_LIMIT, period=600
    )


@login_required
@require_POST
def holder_challenge(request: HttpRequest, public_id) -> JsonResponse:
    """A fresh single-use challenge and the exact message to sign."""
    certificate = _owned(request, public_id)
    if _limited(request):
        return _refused("rate_limited", status=429)
    try:
        found = holder_challenge_create(certificate=certificate, user=request.user)
    except HolderBindingError as error:
        return _refused(error.code)
    message = holder.binding_message(
        certificate_id=str(certificate.public_id), challenge=found.challenge
    )
    return JsonResponse({"challenge": found.challenge, "message": message.decode()})


@login_required
@require_POST
def holder_bind(request: HttpRequest, public_id) -> JsonResponse:
    """Bind the certificate to the key that signed the challenge."""
    certificate = _owned(request, public_id)
    if _limited(request):
        return _refused("rate_limited", status=429)
    try:
        data = json.loads(request.body)
        fields = {name: str(data[name]) for name in ("challenge", "public_key", "signature")}
    except (ValueError, KeyError, TypeError):
        return _refused("bad_request")
    try:
        certificate = certificate_holder_bind(certificate=certificate, user=request.user, **fields)
    except HolderBindingError as error:
        return _refused(error.code)
    return JsonResponse(
        {
            "did": certificate.holder_did,
            "message": _("Your certificate now names your key: %(did)s")
            % {"did": certificate.holder_did},
        }
    )
