"""A certificate earned through a cohort shows the university's logo beside its name."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image
from pypdf import PdfReader

from courses.models import Certificate, CohortMembership
from tests.cohorts.conftest import complete_course

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (180, 30, 40)).save(out, format="PNG")
    return out.getvalue()


def _images(certificate: Certificate) -> int:
    return len(PdfReader(io.BytesIO(bytes(certificate.pdf))).pages[0].images)


def test_the_pdf_carries_the_universitys_logo(
    cohort, cast, organization, tasks_inline, django_capture_on_commit_callbacks
):
    logo = _png()
    organization.logo, organization.logo_type = logo, "image/png"
    organization.logo_sha256 = hashlib.sha256(logo).hexdigest()
    organization.save()
    membership = CohortMembership.objects.get(cohort=cohort, user=cast.student)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(membership.enrollment)
    certificate = Certificate.objects.get(user=cast.student)
    assert certificate.university == "Кыргыз улуттук университети"
    assert _images(certificate) == 1


def test_the_certificate_picture_carries_the_universitys_logo(
    client, cohort, cast, organization, tasks_inline, django_capture_on_commit_callbacks
):
    logo = _png()
    organization.logo, organization.logo_type = logo, "image/png"
    organization.logo_sha256 = hashlib.sha256(logo).hexdigest()
    organization.save()
    membership = CohortMembership.objects.get(cohort=cohort, user=cast.student)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(membership.enrollment)
    certificate = Certificate.objects.get(user=cast.student)
    png = client.get(f"/certificates/{certificate.public_id}.png").content
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    assert picture.getpixel((1200 - 70 - 32, 92)) == (180, 30, 40)  # the logo's colour


def test_without_a_logo_the_pdf_has_no_picture(
    cohort, cast, tasks_inline, django_capture_on_commit_callbacks
):
    membership = CohortMembership.objects.get(cohort=cohort, user=cast.student)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(membership.enrollment)
    assert _images(Certificate.objects.get(user=cast.student)) == 0
