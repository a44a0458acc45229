from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lms.models import User

DEMO_EMAIL = "admin@bilim.local"
DEMO_PASSWORD = "bilim-admin"  # noqa: S105 - development only, refused unless DEBUG


class Command(BaseCommand):
    help = "Create the development administrator (DEBUG only) and print how to log in."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo administrator exists only in development (DEBUG=true).")
        with transaction.atomic():
            user, created = User.objects.get_or_create(
                email=DEMO_EMAIL,
                defaults={"name": "Bilim Admin", "is_staff": True, "is_superuser": True},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=DEMO_EMAIL, defaults={"verified": True, "primary": True}
            )
        self.stdout.write(
            f"Demo administrator: {DEMO_EMAIL} / {DEMO_PASSWORD}"
            + ("" if created else " (unchanged if you changed it)")
        )
