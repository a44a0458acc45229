"""A demo university and cohort for development, so the cohort pages have something to show."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from courses.models import Cohort, Course, Organization
from courses.services.cohorts import CohortFields, cohort_create
from lms.models import User

DEMO_ADMIN = "admin@bilim.local"  # lms ensure_demo_admin
NAMES = {"ky": "Демо университети", "ru": "Демо-университет", "en": "Demo University"}


class Command(BaseCommand):
    help = "Create a demo university with a cohort of the first published course (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo cohort exists only in development (DEBUG=true).")
        course = Course.objects.filter(live_revision__isnull=False).order_by("pk").first()
        if course is None:
            raise CommandError("Import a course first (manage.py import_course examples/).")
        with transaction.atomic():
            university, _created = Organization.objects.get_or_create(
                slug="demo-university", defaults={"names": NAMES}
            )
            admin = User.objects.filter(email=DEMO_ADMIN).first()
            if admin is not None:
                university.admins.add(admin)
            cohort = Cohort.objects.filter(organization=university, course=course).first()
            if cohort is None:
                cohort = cohort_create(
                    organization=university,
                    fields=CohortFields(name="Demo cohort", course=course, language="ky",
                                        starts_on=timezone.localdate()),
                    instructors=[admin] if admin else [],
                )  # fmt: skip
        self.stdout.write(
            f"Demo cohort: /ky/cohorts/{cohort.pk}/ (join code {cohort.join_code}, "
            f"students join at /ky/join/)"
        )
