"""Large uploads, exports and messages go through Redis to a real worker process that shares
the PostgreSQL test database, as in production."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from courses.models import (
    CohortExport,
    CohortInvitation,
    CohortMembership,
    CohortMessageDelivery,
    CohortUpload,
    Job,
)
from courses.services import rosters
from courses.services.cohorts import cohort_message_create
from tests.certificates.test_worker_issuing import wait_for
from tests.cohorts.test_dashboard import add_members
from tests.conftest import shared_database_url

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = 10_000


@pytest.fixture
def worker(postgres, redis_url, worker_env, start_worker):
    worker_env.update(REDIS_URL=redis_url, DATABASE_URL=shared_database_url())
    return start_worker(worker_env)


def _status(model, pk) -> str:
    return model.objects.filter(pk=pk).values_list("status", flat=True).first()


@override_settings(COHORT_UPLOAD_INLINE_ROWS=500)
def test_a_10000_row_file_is_read_and_applied_by_the_worker(client, cohort, cast, worker):
    add_members(cast.other_cohort, 100)  # 100 accounts, not in this cohort
    existing = [f"bulk{n}@example.org" for n in range(100)]
    lines = ["email,name"] + existing + [f"student{n}@example.org,Студент {n}"
                                         for n in range(ROWS - 100)]  # fmt: skip
    with translation.override("en"):
        upload = rosters.upload_create(cohort=cohort, user=cast.org_admin, filename="big.csv",
                                       data="\n".join(lines).encode(), language="en")  # fmt: skip
    assert upload.status == Job.PENDING and upload.total_rows == ROWS
    client.force_login(cast.org_admin)
    page = reverse("cohorts:upload", kwargs={"cohort_id": cohort.pk, "upload_id": upload.pk})
    wait_for(lambda: _status(CohortUpload, upload.pk) == Job.READY, what="the preview")
    upload.refresh_from_db()
    assert upload.processed_rows == ROWS
    assert upload.preview["counts"] == {"existing": 100, "new": ROWS - 100, "already": 0,
                                        "invalid": 0}  # fmt: skip
    assert "9900" in client.get(page).content.decode().replace("\u00a0", "").replace(",", "")
    assert not CohortMembership.objects.filter(cohort=cohort, via="upload").exists()

    apply = reverse("cohorts:upload-apply", kwargs={"cohort_id": cohort.pk,
                                                    "upload_id": upload.pk})  # fmt: skip
    response = client.post(apply)
    assert response.status_code == 302
    wait_for(lambda: _status(CohortUpload, upload.pk) == Job.DONE, what="applying")
    assert CohortMembership.objects.filter(cohort=cohort, via="upload").count() == 100
    assert CohortInvitation.objects.filter(cohort=cohort).count() == ROWS - 100
    wait_for(lambda: not CohortInvitation.objects.filter(sent_at__isnull=True).exists(),
             timeout=180, what="the invitations to be sent")  # fmt: skip
    wait_for(lambda: not CohortMembership.objects.filter(via="upload", cohort=cohort,
                                                         notified_at__isnull=True).exists(),
             what="the enrolled students to be told")  # fmt: skip


@override_settings(COHORT_EXPORT_INLINE_MEMBERS=0)
def test_a_large_export_is_built_by_the_worker_and_downloaded(client, cohort, cast, worker):
    add_members(cohort, 50)
    client.force_login(cast.instructor)
    response = client.post(reverse("cohorts:export-create", kwargs={"cohort_id": cohort.pk}))
    export = CohortExport.objects.get()
    assert response["Location"].endswith(f"/exports/{export.pk}/")
    wait_for(lambda: _status(CohortExport, export.pk) == Job.DONE, what="the export")
    url = reverse("cohorts:export-download", kwargs={"cohort_id": cohort.pk,
                                                     "export_id": export.pk})  # fmt: skip
    download = client.get(url)
    assert download.content.startswith(b"\xef\xbb\xbf")
    assert download.content.count(b"\r\n") == 52  # header, the cast's student and 50


def test_a_message_is_sent_by_the_worker_to_every_member(cohort, cast, worker):
    add_members(cohort, 20)
    message = cohort_message_create(cohort=cohort, sender=cast.instructor, subject="Hello",
                                    body="See you on Monday.")  # fmt: skip
    assert message.recipient_count == 21
    wait_for(lambda: CohortMessageDelivery.objects.filter(message=message).count() == 21,
             what="the message to reach everyone")  # fmt: skip
