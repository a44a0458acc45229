from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    label = "lms"
    verbose_name = _("Site")

    def ready(self):
        from lms import auth  # noqa: F401 - connects the receivers that forget cached users
