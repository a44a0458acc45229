from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from courses.api import api
from courses.views import certificates
from courses.views.assets import asset
from courses.views.cohorts import organization_logo
from courses.views.hooks import git_webhook
from lms import views

site_patterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/tokens/", views.api_tokens, name="api-tokens"),
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
    path("offline/", views.offline, name="offline"),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("i18n/setlang/", views.set_language, name="set-language"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("hooks/git/<slug:source>/", git_webhook, name="git-webhook"),
    path("certificates/<uuid:public_id>.pdf", certificates.certificate_pdf, name="certificate-pdf"),
    path(
        "certificates/<uuid:public_id>.png",
        certificates.certificate_image,
        name="certificate-image",
    ),
    path(
        "certificates/<uuid:public_id>.json", certificates.certificate_json, name="certificate-json"
    ),
    path(".well-known/did.json", certificates.did_document, name="did-document"),
    path("status/<slug:name>", certificates.status_list, name="status-list"),
    re_path(
        r"^organizations/(?P<slug>[-\w]+)/logo/(?P<sha256>[0-9a-f]{64})$",
        organization_logo,
        name="organization-logo",
    ),
    re_path(r"^assets/(?P<sha256>[0-9a-f]{64})/(?P<filename>[^/]+)$", asset, name="asset"),
]

urlpatterns += i18n_patterns(
    path("", include((site_patterns, "lms"))),
    path("accounts/logout/", views.logout),  # allauth's, clearing offline data (lms.views)
    path("accounts/", include("allauth.urls")),
    path("", include("courses.urls")),
    path("", include("courses.urls_cohorts")),
    prefix_default_language=True,
)
