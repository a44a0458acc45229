"""Issuing a certificate in the learner's language, exactly once, verifiable offline."""

import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from courses.credentials import credential as vc
from courses.credentials import pdf as vcpdf
from courses.credentials import status_list as vcstatus
from courses.models import Certificate, Enrollment, Item, RevisionItem, StatusList
from courses.services import signing
from courses.services.certificates import (
    certificate_issue,
    certificate_request,
    certificate_revoke,
    certificates_sweep,
    status_lists_refresh,
)
from courses.services.learning import lesson_complete, quiz_attempt_submit
from tests.content.helpers import QUIZ_RIGHT_ANSWERS

pytestmark = pytest.mark.django_db


def issue(enrollment) -> Certificate:
    certificate = certificate_request(enrollment=enrollment)
    return certificate_issue(certificate_id=certificate.pk)


@pytest.mark.parametrize(
    ("language", "words"),
    [("ky", "Демо курс"), ("ru", "Демо курс"), ("en", "Demo course")],
)
def test_certificate_is_issued_in_the_learners_language_and_verifies(
    make_completion, language, words, django_capture_on_commit_callbacks, tasks_inline
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = issue(make_completion(language=language))
    assert certificate.status == Certificate.Status.ISSUED
    assert certificate.course_title == words
    result = vc.verify_credential(certificate.credential, public_keys=signing.verification_keys())
    assert result.ok, result.reason
    assert certificate.credential["issuer"]["id"] == "did:web:testserver"
    assert "aigul" not in str(certificate.credential).lower()  # the email is only hashed
    embedded = vcpdf.extract_embedded_credential(bytes(certificate.pdf))
    assert embedded == certificate.credential
    assert mail.outbox[-1].to == [certificate.user.email]
    assert str(certificate.public_id) in mail.outbox[-1].body


def test_pdf_text_is_in_the_learners_language_with_kyrgyz_letters(make_completion):
    """The learner's name comes out of the PDF letter for letter; the commit stays off the page
    (it is in the signed credential)."""
    from io import BytesIO

    from pypdf import PdfReader

    certificate = issue(make_completion(language="ky", name="Үмүт Ңаматов Өзгөчө"))
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(bytes(certificate.pdf))).pages)
    assert "Үмүт Ңаматов Өзгөчө" in text
    assert certificate.commit[:8] not in text
    assert certificate.commit in json.dumps(certificate.credential)


def test_requesting_twice_and_issuing_twice_gives_one_certificate(make_completion):
    enrollment = make_completion()
    first = issue(enrollment)
    again = issue(enrollment)
    assert first.public_id == again.public_id
    assert first.credential == Certificate.objects.get().credential
    assert Certificate.objects.count() == 1


def test_completing_the_course_through_the_services_asks_for_a_certificate(
    demo_course, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    enrollment = Enrollment.objects.create(user=UserFactory(), course=demo_course)
    revision = demo_course.live_revision
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for key in ("what-is", "hashes"):
            lesson_complete(
                enrollment=enrollment, item=Item.objects.get(course=demo_course, key=key)
            )
        quiz = RevisionItem.objects.get(revision=revision, item__key="check")
        quiz_attempt_submit(
            enrollment=enrollment,
            revision_item=quiz,
            language="en",
            answers=QUIZ_RIGHT_ANSWERS,
        )
    assert callbacks, "completion is signalled after commit"
    assert Certificate.objects.get(enrollment=enrollment).status in ("pending", "issued")


def test_sweeper_requests_certificates_that_were_never_asked_for(make_completion, settings):
    settings.CERTIFICATE_GRACE_SECONDS = 0
    enrollment = make_completion()
    assert certificates_sweep() == 1
    assert Certificate.objects.get(enrollment=enrollment).status == Certificate.Status.PENDING


def test_sweeper_leaves_completions_of_courses_without_a_certificate_alone(
    make_completion, settings
):
    """A course whose course.yaml turns certificates off (or has no certificate block) earns
    none, however late the sweeper looks: only the completion signal checked this before."""
    from courses.models import CourseRevision

    settings.CERTIFICATE_GRACE_SECONDS = 0
    enrollment = make_completion()
    revision = enrollment.course.live_revision
    for certificate in ({**revision.certificate, "enabled": False}, {}):
        CourseRevision.objects.filter(pk=revision.pk).update(certificate=certificate)
        assert certificates_sweep() == 0
        assert not Certificate.objects.exists()


def test_revocation_is_published_in_the_status_list(make_completion):
    certificate = issue(make_completion())
    certificate_revoke(certificate=certificate, reason="Academic misconduct")
    status_lists_refresh()
    status_list = StatusList.objects.get()
    checked = vc.verify_credential(
        status_list.credential, public_keys=signing.verification_keys(),
        expected_type="BitstringStatusListCredential",
    )  # fmt: skip
    assert checked.ok, checked.reason
    assert vcstatus.credential_revoked(certificate.credential, status_list=status_list.credential)


def test_verify_certificate_command_accepts_json_and_pdf_and_explains_failures(
    make_completion, tmp_path, capsys
):
    certificate = issue(make_completion())
    json_file = tmp_path / "c.json"
    json_file.write_text(__import__("json").dumps(certificate.credential, ensure_ascii=False))
    pdf_file = tmp_path / "c.pdf"
    pdf_file.write_bytes(bytes(certificate.pdf))
    call_command("verify_certificate", str(json_file))
    call_command("verify_certificate", str(pdf_file))
    assert capsys.readouterr().out.count("Valid:") == 2

    tampered = dict(certificate.credential, validFrom="2020-01-01T00:00:00Z")
    json_file.write_text(__import__("json").dumps(tampered))
    with pytest.raises(CommandError, match="proof does not match the document"):
        call_command("verify_certificate", str(json_file))

    other = tmp_path / "other.pem"
    from courses.credentials import keys

    other.write_bytes(keys.private_key_pem(keys.generate_private_key()))
    json_file.write_text(__import__("json").dumps(certificate.credential))
    with pytest.raises(CommandError, match="Not valid"):
        call_command("verify_certificate", str(json_file), "--key", str(other))

    certificate_revoke(certificate=certificate, reason="Mistake")
    status_lists_refresh()
    with pytest.raises(CommandError, match="revoked"):
        call_command("verify_certificate", str(json_file))


def test_issuing_stores_a_certificate_with_four_queries(make_completion, django_assert_num_queries):
    """Load it (with learner, course and revision), draw a free status index (one query with
    the list), one UPDATE and, in its transaction, the outbox row that queues the learner's
    e-mail; the signing and the PDF need nothing more."""
    issue(make_completion())  # creates and publishes the status list
    certificate = certificate_request(enrollment=make_completion(email="second@example.org"))
    with django_assert_num_queries(4):
        issued = certificate_issue(certificate_id=certificate.pk)
    assert issued.status == Certificate.Status.ISSUED
    stored = Certificate.objects.get(pk=certificate.pk)
    assert stored.attempts == 1
    assert stored.credential == issued.credential
    assert bytes(stored.pdf) == issued.pdf
    assert stored.status_index == issued.status_index
    assert stored.credential["credentialStatus"]["statusListIndex"] == str(stored.status_index)


def test_a_delivery_that_loses_the_race_returns_the_stored_certificate(
    make_completion, monkeypatch, django_capture_on_commit_callbacks
):
    """Two deliveries build the same certificate; the one that stores second changes nothing,
    returns what the first stored, and sends no second e-mail."""
    from courses.services import certificates

    build = certificates._certificate_build
    winners = []

    def racing_build(certificate):
        if not winners:  # another delivery finishes while this one is still building
            winners.append(None)
            winners[0] = certificate_issue(certificate_id=certificate.pk)
        build(certificate)

    monkeypatch.setattr(certificates, "_certificate_build", racing_build)
    pending = certificate_request(enrollment=make_completion())
    with django_capture_on_commit_callbacks() as callbacks:
        loser = certificate_issue(certificate_id=pending.pk)
    assert loser.credential == winners[0].credential
    assert loser.public_id == pending.public_id
    stored = Certificate.objects.get(pk=pending.pk)
    assert stored.attempts == 1
    assert stored.credential == winners[0].credential
    assert len(callbacks) == 1  # the winner's e-mail hand-off only


def test_a_taken_status_index_is_drawn_again(make_completion, monkeypatch):
    """The random index is checked against the list in the same query; a taken one is redrawn."""
    first = issue(make_completion())
    free = 1 if first.status_index == 0 else 0
    draws = iter([first.status_index, first.status_index, free])
    monkeypatch.setattr("courses.services.certificates.secrets.randbits", lambda bits: next(draws))
    second = issue(make_completion(email="second@example.org"))
    assert second.status_index == free
    assert second.credential["credentialStatus"]["statusListIndex"] == str(free)


@pytest.mark.django_db(transaction=True)
def test_an_index_taken_between_draw_and_store_is_drawn_again(make_completion, monkeypatch):
    """If another certificate takes the drawn index before this one is stored, the UPDATE fails
    on the unique constraint and the certificate is built again with a new index."""
    from courses.services import certificates

    first = issue(make_completion())
    slot = certificates._status_slot
    stale = [(first.status_list, first.status_index)]
    monkeypatch.setattr(certificates, "_status_slot", lambda: stale.pop() if stale else slot())
    second = issue(make_completion(email="second@example.org"))
    assert second.status == Certificate.Status.ISSUED
    assert second.status_index != first.status_index
    stored = Certificate.objects.get(pk=second.pk)
    assert stored.attempts == 1
    assert stored.credential["credentialStatus"]["statusListIndex"] == str(stored.status_index)
