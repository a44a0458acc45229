"""Public certificate pages: verification, downloads, issuer keys and status lists."""

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from courses.models import Certificate
from courses.selectors.certificates import certificate_public, status_list_credential
from courses.services import signing
from courses.services.notifications import certificate_links

PUBLIC = [Certificate.Status.ISSUED, Certificate.Status.REVOKED]


def _certificate(public_id) -> Certificate:
    certificate = certificate_public(public_id=public_id)
    if certificate is None:
        raise Http404
    return certificate


@require_GET
def verify(request: HttpRequest, public_id) -> HttpResponse:
    certificate = certificate_public(public_id=public_id)
    if certificate is None or certificate.status == Certificate.Status.FAILED:
        return render(request, "courses/verify_unknown.html", {"public_id": public_id}, status=404)
    links = certificate_links(certificate)
    context = {"certificate": certificate, **links}
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
    return render(request, "courses/verify.html", context)


@require_GET
def certificate_pdf(request: HttpRequest, public_id) -> HttpResponse:
    certificate = _certificate(public_id)
    if certificate.status not in PUBLIC or not certificate.pdf:
        raise Http404
    response = HttpResponse(bytes(certificate.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.public_id}.pdf"'
    return response


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
