from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from lms import views

site_patterns = [
    path("", views.home, name="home"),
    path("accounts/profile/", views.profile, name="profile"),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set-language"),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", include((site_patterns, "lms"))),
    path("accounts/", include("allauth.urls")),
    prefix_default_language=True,
)
