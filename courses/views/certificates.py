"""Public certificate pages: verification, downloads, issuer keys and status lists."""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from courses.credentials import credential as vc
from courses.models import Certificate
from courses.selectors.certificates import (
    certificate_public,
    certificate_verified,
    status_list_credential,
)
from courses.services import signing
from courses.services.certificate_card import certificate_card_png
from courses.services.certificates import (
    CertificateLanguageUnavailable,
    certificate_language_set,
    certificate_languages,
    certificate_pdf_in,
)
from courses.services.notifications import certificate_links
from courses.templatetags.slots import page_kept

PUBLIC = [Certificate.Status.ISSUED, Certificate.Status.REVOKED]
# What verify.html shows of a certificate besides the view's context: the kept page's key.
SHOWN = (
    "public_id", "status", "revoked_at", "revoked_reason", "learner_name", "issuer_name",
    "university", "commit", "key_fingerprint", "holder_did", "language", "issued_at",
)  # fmt: skip


def _certificate(public_id) -> Certificate:
    certificate = certificate_public(public_id=public_id)
    if certificate is None:
        raise Http404
    return certificate


def _language_name(code: str) -> str:
    return str(get_language_info(code)["name_local"])


def _unavailable_message(error: CertificateLanguageUnavailable) -> str:
    return _(
        "This certificate is not available in the language “%(language)s”. "
        "It is available in: %(languages)s."
    ) % {
        "language": error.language,
        "languages": ", ".join(_language_name(code) for code in error.available),
    }


@require_GET
def verify(request: HttpRequest, public_id) -> HttpResponse:
    certificate = certificate_verified(public_id=public_id)
    if certificate is None or certificate.status == Certificate.Status.FAILED:
        return render(request, "courses/verify_unknown.html", {"public_id": public_id}, status=404)
    links = certificate_links(certificate)
    language = get_language()
    titles = signing.certificate_course_titles(certificate)
    context = {
        "certificate": certificate,
        "course_title": titles.get(language) or certificate.course_title,
        **links,
    }
    if certificate.issued_at:
        context["date_text"] = signing.certificate_date(certificate.issued_at, language)
    if certificate.status in PUBLIC and certificate.issued_at:
        available = certificate_languages(certificate)
        card_language = language if language in available else certificate.language
        image = reverse("certificate-image", kwargs={"public_id": certificate.public_id})
        context["image_url"] = f"{image}?lang={card_language}"
        context["image_absolute_url"] = settings.SITE_URL + context["image_url"]
        context["page_url"] = settings.SITE_URL + request.path
    if certificate.status in PUBLIC:
        context["pdf_languages"] = [
            {"code": code, "name": _language_name(code), "url": f"{links['pdf_url']}?lang={code}",
             "current": code == certificate.language}
            for code in certificate_languages(certificate)
        ]  # fmt: skip
        context["is_owner"] = request.user.is_authenticated and (
            request.user.pk == certificate.user_id
        )
    if certificate.status == Certificate.Status.ISSUED and certificate.issued_at:
        context["linkedin_url"] = "https://www.linkedin.com/profile/add?" + urlencode(
            {
                "startTask": "CERTIFICATION_NAME",
                "name": certificate.course_title,
                "organizationName": certificate.issuer_name,
                "issueYear": certificate.issued_at.year,
                "issueMonth": certificate.issued_at.month,
                "certUrl": links["verify_url"],
                "certId": str(certificate.public_id),
            }
        )
    # Kept whole per certificate, page language, what it shows (its status and every field:
    # a revocation or a new name is another key) and kind of reader (owner or not).
    shown = tuple(getattr(certificate, name) for name in SHOWN)
    values = sorted((name, value) for name, value in context.items() if name != "certificate")
    digest = hashlib.sha256(repr((shown, certificate.course.slug, values)).encode()).hexdigest()
    key = ("verify", language, request.path, digest)
    kept = page_kept(request, key, "courses/verify.html", lambda: context, {})
    if kept is not None:
        return HttpResponse(kept)
    return render(request, "courses/verify.html", context)


@require_GET
def certificate_pdf(request: HttpRequest, public_id) -> HttpResponse:
    """The PDF in the certificate's language, or in ``?lang=`` (a language of the course)."""
    certificate = _certificate(public_id)
    if certificate.status not in PUBLIC or not certificate.pdf:
        raise Http404
    language = request.GET.get("lang") or certificate.language
    try:
        pdf = certificate_pdf_in(certificate=certificate, language=language)
    except CertificateLanguageUnavailable as error:
        if "lang" in request.GET:
            return HttpResponseNotFound(
                _unavailable_message(error), content_type="text/plain; charset=utf-8"
            )
        pdf = bytes(certificate.pdf)  # the owner's choice is no longer offered: as issued
        language = vc.issued_language(certificate.credential or {}) or certificate.language
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="certificate-{certificate.public_id}-{language}.pdf"'
    )
    response["Content-Language"] = language
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def certificate_image(request: HttpRequest, public_id) -> HttpResponse:
    """The certificate as a PNG (``?lang=`` a language it comes in), for pages and previews."""
    certificate = _certificate(public_id)
    if certificate.status not in PUBLIC or not certificate.issued_at:
        raise Http404
    language = request.GET.get("lang") or certificate.language
    if language not in certificate_languages(certificate):
        language = certificate.language
    png = certificate_card_png(certificate=certificate, language=language)
    response = HttpResponse(png, content_type="image/png")
    response["Content-Language"] = language
    return response


@login_required
@require_POST
def certificate_language(request: HttpRequest, public_id) -> HttpResponse:
    """The owner chooses the language of their certificate's PDF."""
    certificate = _certificate(public_id)
    if certificate.user_id != request.user.pk or certificate.status not in PUBLIC:
        raise Http404  # someone else's certificate: as if it were not there
    try:
        certificate_language_set(
            certificate=certificate, user=request.user, language=request.POST.get("language", "")
        )
    except CertificateLanguageUnavailable as error:
        messages.error(request, _unavailable_message(error))
    else:
        messages.success(
            request,
            _("Your certificate's PDF is now in %(language)s.")
            % {"language": _language_name(certificate.language)},
        )
    return HttpResponseRedirect(certificate.get_absolute_url())


@require_GET
def certificate_json(request: HttpRequest, public_id) -> JsonResponse:
    certificate = _certificate(public_id)
    if certificate.status not in PUBLIC or not certificate.credential:
        raise Http404
    response = JsonResponse(certificate.credential, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/vc+ld+json"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@cache_control(public=True, max_age=300)
def did_document(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(signing.did_document(), json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/did+json"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@cache_control(public=True, max_age=300)
def status_list(request: HttpRequest, name: str) -> JsonResponse:
    credential = status_list_credential(name=name)
    if credential is None:
        raise Http404
    response = JsonResponse(credential, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/vc+ld+json"
    response["Access-Control-Allow-Origin"] = "*"
    return response
