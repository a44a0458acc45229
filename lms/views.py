import functools

from allauth.account.views import LogoutView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language, get_language_from_path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from courses.selectors.catalog import catalog
from courses.templatetags.cards import cards_page_kept, visitor_cards
from lms.forms import ApiTokenForm, ProfileForm
from lms.health import health_check
from lms.language import set_language_cookie
from lms.models import User
from lms.selectors import api_tokens_active
from lms.services import (
    api_token_create,
    api_token_revoke,
    user_set_language,
    user_update_profile,
)


class AuthenticatedHttpRequest(HttpRequest):
    """The request a ``login_required`` view is called with: its user is signed in."""

    user: User


FEATURED_COURSES = 3


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What Bilim is, the first courses of the catalogue (with the learner's progress), the
    glossary and the university programme. A learner with a course under way is welcomed
    back and offered to continue it; a new one is welcomed."""
    cards = catalog(language=get_language(), user=request.user)
    under_way = next((card for card in cards if card.started and not card.completed), None)
    returning = any(card.started for card in cards)
    featured = cards[:FEATURED_COURSES]
    # Kept whole per set of cards and kind of reader (returning, the course under way).
    continued = (under_way.course.slug, under_way.title) if under_way else None
    kept = cards_page_kept(
        request,
        ("home", len(cards), returning, continued),
        "lms/home.html",
        featured,
        lambda: {
            "featured": visitor_cards(featured),
            "course_count": len(cards),
            "under_way": visitor_cards([under_way])[0] if under_way else None,
            "returning": returning,
        },
    )
    if kept is not None:
        return HttpResponse(kept)
    return render(
        request,
        "lms/home.html",
        {
            "featured": featured,
            "course_count": len(cards),
            "under_way": under_way,
            "returning": returning,
        },
    )


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    """A static page: what Bilim is and how courses are made. Touches no database."""
    return render(request, "lms/about.html")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (cookie + same page in the new language), remembered per user."""
    # Django translates `next` by resolving it in the active language, so activate the
    # language of the page the learner is on (its URL prefix), not the cookie's.
    page_language = get_language_from_path(request.POST.get("next", ""))
    with translation.override(page_language or translation.get_language()):
        response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_set_language(user=request.user, language=language)
    return response


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The learner's name (as printed on certificates) and preferred language."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = user_update_profile(
            user=request.user,
            name=form.cleaned_data["name"],
            language=form.cleaned_data["language"],
        )
        with translation.override(user.language or translation.get_language()):
            messages.success(request, _("Your profile has been saved."))
        target = request.path
        if user.language:
            target = translate_url(target, user.language)
        response = redirect(target)
        if user.language:
            set_language_cookie(response, user.language)
        return response
    return render(request, "lms/profile.html", {"form": form})


@login_required
@never_cache
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Personal API tokens: create (shown once), list, revoke."""
    form = ApiTokenForm(request.POST if request.POST.get("action") == "create" else None)
    new_token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            token_id = request.POST.get("token", "")
            if token_id.isdigit() and api_token_revoke(user=request.user, token_id=int(token_id)):
                messages.success(request, _("The token has been revoked."))
            return redirect("lms:api-tokens")
        if form.is_valid():
            _token, new_token = api_token_create(user=request.user, name=form.cleaned_data["name"])
            form = ApiTokenForm()
    tokens = api_tokens_active(user=request.user)
    return render(
        request, "lms/api_tokens.html", {"form": form, "tokens": tokens, "new_token": new_token}
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    health = health_check()
    return JsonResponse(health.as_dict(), status=200 if health.healthy else 503)


# Offline use (see README, "Offline"): the service worker, served from the site's root so that
# its scope is the whole site; the web app manifest in each language; the page shown for a page
# that was not saved; and a logout that clears what the browser kept of the learner.
SERVICE_WORKER = settings.BASE_DIR / "static" / "js" / "offline" / "sw.js"


@functools.cache
def _service_worker_source() -> bytes:
    return SERVICE_WORKER.read_bytes()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js: read once per process (at every request in development), revalidated by the
    browser at every update check, so a deployment reaches phones at their next visit."""
    source = SERVICE_WORKER.read_bytes() if settings.DEBUG else _service_worker_source()
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def web_manifest(request: HttpRequest) -> JsonResponse:
    """/<lang>/manifest.webmanifest: what a phone needs to install the site as an app, with
    its name and description in the page's language."""
    language = get_language()
    icon = {"type": "image/png", "purpose": "any"}
    manifest = {
        "id": "/",
        "name": _("%(site)s: blockchain courses") % {"site": settings.SITE_NAME},
        "short_name": settings.SITE_NAME,
        "description": _("Free courses about blockchain in Kyrgyz, Russian and English."),
        "lang": language,
        "dir": "ltr",
        "start_url": f"/{language}/",
        "scope": "/",
        "display": "standalone",
        "theme_color": "#0b3d3a",
        "background_color": "#0b3d3a",
        "icons": [
            {**icon, "src": static("img/icons/icon-192.png"), "sizes": "192x192"},
            {**icon, "src": static("img/icons/icon-512.png"), "sizes": "512x512"},
            {"src": static("img/icons/icon-maskable-512.png"), "sizes": "512x512",
             "type": "image/png", "purpose": "maskable"},
            {"src": static("favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }  # fmt: skip
    response = JsonResponse(manifest, content_type="application/manifest+json",
                            json_dumps_params={"ensure_ascii": False})  # fmt: skip
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """/<lang>/offline/: what the service worker shows, without a connection, for a page that
    was not saved: the courses that were, and the texts of the offline interface."""
    return render(request, "lms/offline.html")


class OfflineDataClearingLogoutView(LogoutView):
    """allauth's logout, whose response also tells the browser to drop what it keeps for the
    site (saved courses, the queue of offline work, the service worker, the HTTP cache): the
    next person on this device sees none of it. The pages' script clears it too."""

    def post(self, *args, **kwargs) -> HttpResponse:
        response = super().post(*args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


logout = OfflineDataClearingLogoutView.as_view()
