from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_GET

from courses.selectors.assets import asset_content

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
    stored = asset_content(sha256=sha256)
    if stored is None:
        raise Http404
    media_type, data = stored
    response = HttpResponse(data, content_type=media_type)
    response["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = etag
    response["Content-Disposition"] = "inline" if media_type.startswith("image/") else "attachment"
    return response
