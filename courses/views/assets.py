from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from courses.models import Asset

ONE_YEAR = 365 * 24 * 3600


@require_GET
def asset(request: HttpRequest, sha256: str, filename: str) -> HttpResponse:
    """A course file by content hash: never changes, so browsers keep it for a year.

    SVG may carry script; it is served with a sandboxing Content-Security-Policy so it only
    ever works as an image (an <img> never runs it; opened directly, it cannot run either).
    """
    etag = f'"{sha256}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    stored = get_object_or_404(Asset.objects.only("media_type", "data"), sha256=sha256)
    response = HttpResponse(bytes(stored.data), content_type=stored.media_type)
    response["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = etag
    response["Content-Disposition"] = (
        "inline" if stored.media_type.startswith("image/") else "attachment"
    )
    return response
