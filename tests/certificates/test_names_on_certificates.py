"""Whatever name is stored (typed before forms refused line breaks, or set by staff in the
admin), the certificate prints and signs it on one line, without control characters, at a
sensible length, and the certificate is issued: a name with a line break and a bell made
the credential's RDF canonicalisation fail, so the certificate was never issued. (Cutting an
absurdly long name is tested in tests/credentials/test_names.py: the column holds 150.)"""

from io import BytesIO

import pytest
from pypdf import PdfReader

from courses.credentials import credential as vc
from courses.models import Certificate
from courses.services import signing
from courses.services.certificates import certificate_issue, certificate_request

pytestmark = pytest.mark.django_db


def issue(enrollment) -> Certificate:
    return certificate_issue(certificate_id=certificate_request(enrollment=enrollment).pk)


def pdf_text(certificate: Certificate) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(bytes(certificate.pdf))).pages)


def signed_name(certificate: Certificate) -> str:
    [name] = [i["identityHash"] for i in certificate.credential["credentialSubject"]["identifier"]
              if i["identityType"] == "name"]  # fmt: skip
    return name


@pytest.mark.parametrize(
    ("stored", "printed"),
    [("Айгүл\r\n\r\nӨмүрбекова\x0b\x07", "Айгүл Өмүрбекова"),
     ("Айгүл\u202eавокебрүмӨ", "АйгүлавокебрүмӨ"), ("Айгүл\x1b[31m Ө.", "Айгүл[31m Ө.")],
)  # fmt: skip
def test_a_stored_name_with_line_breaks_or_control_characters_is_printed_on_one_line(
    make_completion, stored, printed
):
    certificate = issue(make_completion(name=stored))
    assert certificate.status == Certificate.Status.ISSUED
    assert certificate.learner_name == printed
    assert signed_name(certificate) == printed
    assert f"{printed}\n" in pdf_text(certificate)
    result = vc.verify_credential(certificate.credential, public_keys=signing.verification_keys())
    assert result.ok, result.reason


def test_a_name_of_nothing_printable_falls_back_to_the_email_address(make_completion):
    enrollment = make_completion(name="\u200b\x07", email="asan@example.org")
    assert issue(enrollment).learner_name == "asan@example.org"
