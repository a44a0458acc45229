"""A certificate in the learner's language, and its PDF in every language of the course."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO

import pytest
from cryptography.hazmat.primitives import serialization
from django.utils import timezone, translation
from openbadgeslib.ob3.ldp import OB3LdpVerifier
from pypdf import PdfReader

from courses.credentials import credential as vc
from courses.credentials import pdf as vcpdf
from courses.models import Certificate, CourseRevision
from courses.services import signing
from courses.services.certificates import (
    certificate_issue,
    certificate_language_choose,
    certificate_request,
)
from tests.content.helpers import ALL_RIGHT
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KY_MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
             "сентябрь", "октябрь", "ноябрь", "декабрь")  # fmt: skip
RU_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря")  # fmt: skip
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")  # fmt: skip
SENTENCE = "has successfully completed the course %(course)s"


def _translated(language: str) -> bool:
    """Whether the catalogue has the sentence yet (the lead merges new strings at the end)."""
    with translation.override(language):
        return translation.gettext(SENTENCE) != SENTENCE


needs_catalogue = pytest.mark.skipif(
    not (_translated("ky") and _translated("ru")),
    reason="the Kyrgyz and Russian catalogues do not have the new certificate sentence yet",
)


def issue(enrollment) -> Certificate:
    return certificate_issue(certificate_id=certificate_request(enrollment=enrollment).pk)


def pdf_in(client, certificate: Certificate, language: str) -> bytes:
    return client.get(f"/certificates/{certificate.public_id}.pdf?lang={language}").content


def pdf_lines(pdf: bytes) -> list[str]:
    return PdfReader(BytesIO(pdf)).pages[0].extract_text().splitlines()


def issued_day(certificate: Certificate) -> date:
    assert certificate.issued_at is not None
    return timezone.localtime(certificate.issued_at).date()


@pytest.fixture
def kyrgyz_certificate(make_completion) -> Certificate:
    return issue(make_completion(language="ky", name="Айгүл Өмүрбекова"))


def test_learner_who_prefers_kyrgyz_and_finishes_on_an_english_page_gets_a_kyrgyz_certificate(
    client, demo_course, django_capture_on_commit_callbacks, tasks_inline
):
    """The certificate's language is the profile's, not the page's the course was finished on."""
    learner = UserFactory(language="ky", name="Айгүл Өмүрбекова")
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/courses/demo/enroll/")
        for key in ("what-is", "hashes"):
            client.post(f"/en/courses/demo/{key}/complete/")
        answers = {f"q-{name}": "open" if name == "properties" else str(value).lower()
                   for name, value in ALL_RIGHT.items()}  # fmt: skip
        client.post("/en/courses/demo/check/attempts/", answers)
    certificate = Certificate.objects.get(user=learner)
    assert (certificate.status, certificate.language) == ("issued", "ky")
    assert certificate.course_title == "Демо курс"
    assert certificate.credential["credentialSubject"]["achievement"]["inLanguage"] == "ky"
    lines = pdf_lines(bytes(certificate.pdf))
    assert "Бул сертификат төмөнкүнү тастыктайт:" in lines
    assert "This certifies that" not in lines


def test_a_language_the_course_lacks_falls_back_to_the_courses_default_language():
    """A learner who prefers English finishing a Russian and Kyrgyz course: the default."""
    revision = CourseRevision(languages=["ky", "ru"], default_language="ru")
    assert certificate_language_choose(preferred="en", revision=revision) == "ru"
    assert certificate_language_choose(preferred="ky", revision=revision) == "ky"
    assert certificate_language_choose(preferred="", revision=revision) == "ru"


def test_pdf_downloads_in_every_language_of_the_course(client, kyrgyz_certificate):
    """The same certificate (number, credential) as a PDF in Russian and English too."""
    base = f"/certificates/{kyrgyz_certificate.public_id}.pdf"
    issued = client.get(base)
    assert issued.content == bytes(kyrgyz_certificate.pdf)  # the issued PDF as it was stored
    assert client.get(base + "?lang=ky").content == issued.content
    expected = {"ru": ("Настоящим подтверждается, что", "Демо курс"),
                "en": ("This certifies that", "Demo course")}  # fmt: skip
    for language, (certifies, title) in expected.items():
        response = client.get(f"{base}?lang={language}")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Language"] == language
        lines = pdf_lines(response.content)
        assert certifies in lines and title in lines and "Айгүл Өмүрбекова" in lines
        assert str(kyrgyz_certificate.public_id) in "".join(lines)
        embedded = vcpdf.extract_embedded_credential(response.content)
        assert embedded == kyrgyz_certificate.credential  # one credential in every language
    # A second download comes from the cache, byte for byte.
    assert client.get(base + "?lang=ru").content == client.get(base + "?lang=ru").content


def test_unknown_or_unavailable_language_is_a_404_that_says_which_languages_there_are(
    client, kyrgyz_certificate
):
    for asked in ("de", "xx", "<b>"):
        response = client.get(
            f"/certificates/{kyrgyz_certificate.public_id}.pdf?lang={asked}",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 404
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.decode() == (
            f"This certificate is not available in the language “{asked}”. "
            "It is available in: Кыргызча, Русский, English."
        )


def test_the_credential_carries_the_course_in_every_language_and_both_verifiers_accept_it(
    kyrgyz_certificate,
):
    """VC 2.0 language value objects in the credential's name and description; the OB 3.0
    achievement keeps its plain strings in the issued language, as OB 3.0 defines them."""
    credential = kyrgyz_certificate.credential
    assert credential["name"] == [
        {"@value": "Демо курс", "@language": "ky"},
        {"@value": "Демо курс", "@language": "ru"},
        {"@value": "Demo course", "@language": "en"},
    ]
    assert [value["@language"] for value in credential["description"]] == ["ky", "ru", "en"]
    assert "A short description." in [value["@value"] for value in credential["description"]]
    assert credential["credentialSubject"]["achievement"]["name"] == "Демо курс"
    ours = vc.verify_credential(credential, public_keys=signing.verification_keys())
    assert ours.ok, ours.reason
    pem = signing.current_key().public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    parsed = OB3LdpVerifier(pubkey_pem=pem).verify(json.dumps(credential, ensure_ascii=False))
    assert parsed.achievement.name == "Демо курс"
    changed = json.loads(json.dumps(credential))
    changed["name"][2]["@value"] = "Another course"
    assert vc.verify_credential(changed, public_keys=signing.verification_keys()).code == (
        "signature_mismatch"
    )


def test_verify_certificate_command_accepts_every_language_pdf(
    client, kyrgyz_certificate, tmp_path, capsys
):
    from django.core.management import call_command

    for language in ("ru", "en"):
        path = tmp_path / f"certificate-{language}.pdf"
        path.write_bytes(
            client.get(f"/certificates/{kyrgyz_certificate.public_id}.pdf?lang={language}").content
        )
        call_command("verify_certificate", str(path), "--offline")
        assert "valid" in capsys.readouterr().out.lower()


def test_certificate_dates_as_each_language_writes_them():
    day = date(2026, 12, 2)
    assert signing.certificate_date(day, "ky") == "2-декабрь 2026-ж."
    assert signing.certificate_date(day, "ru") == "2 декабря 2026 г."
    assert signing.certificate_date(day, "en") == "December 2, 2026"
    for month, name in enumerate(KY_MONTHS, start=1):
        assert signing.certificate_date(date(2027, month, 14), "ky") == f"14-{name} 2027-ж."


def test_the_pdf_heading_is_the_courses_own_certificate_title(client, kyrgyz_certificate):
    """course.yaml's certificate.title ({ky: Сертификат, en: Certificate, ...}) heads the PDF."""
    base = f"/certificates/{kyrgyz_certificate.public_id}.pdf"
    assert pdf_lines(bytes(kyrgyz_certificate.pdf))[1] == "Сертификат"
    assert pdf_lines(client.get(base + "?lang=en").content)[1] == "Certificate"


def test_pdf_dates_in_every_language(client, kyrgyz_certificate):
    day = issued_day(kyrgyz_certificate)
    base = f"/certificates/{kyrgyz_certificate.public_id}.pdf"
    ky = pdf_lines(bytes(kyrgyz_certificate.pdf))
    assert f"{day.day}-{KY_MONTHS[day.month - 1]} {day.year}-ж." in ky
    ru = pdf_lines(client.get(base + "?lang=ru").content)
    assert f"{day.day} {RU_MONTHS[day.month - 1]} {day.year} г." in ru
    en = pdf_lines(client.get(base + "?lang=en").content)
    assert f"{EN_MONTHS[day.month - 1]} {day.day}, {day.year}" in en


def test_english_sentence(client, kyrgyz_certificate):
    lines = pdf_lines(
        client.get(f"/certificates/{kyrgyz_certificate.public_id}.pdf?lang=en").content
    )
    start = lines.index("This certifies that")
    assert lines[start : start + 4] == [
        "This certifies that", "Айгүл Өмүрбекова",
        "has successfully completed the course", "Demo course",
    ]  # fmt: skip


@needs_catalogue
def test_kyrgyz_sentence_puts_the_course_before_its_verb(kyrgyz_certificate):
    """«… Демо курс курсун ийгиликтүү аяктады»: in Kyrgyz the course comes first."""
    lines = pdf_lines(bytes(kyrgyz_certificate.pdf))
    start = lines.index("Бул сертификат төмөнкүнү тастыктайт:")
    assert lines[start : start + 4] == [
        "Бул сертификат төмөнкүнү тастыктайт:", "Айгүл Өмүрбекова",
        "Демо курс", "курсун ийгиликтүү аяктады",
    ]  # fmt: skip


@needs_catalogue
def test_russian_sentence(client, kyrgyz_certificate):
    lines = pdf_lines(
        client.get(f"/certificates/{kyrgyz_certificate.public_id}.pdf?lang=ru").content
    )
    start = lines.index("Настоящим подтверждается, что")
    assert lines[start : start + 4] == [
        "Настоящим подтверждается, что", "Айгүл Өмүрбекова",
        "успешно завершил(а) курс", "Демо курс",
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_verify_certificate_names_the_course_and_date_in_the_operators_language(
    kyrgyz_certificate, tmp_path, capsys, monkeypatch, language
):
    """«… 2 декабря 2026 г.» ends the Russian sentence with one full stop, not two."""
    from django.core.management import call_command

    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", f"{language}.UTF-8")
    path = tmp_path / "certificate.json"
    path.write_text(json.dumps(kyrgyz_certificate.credential, ensure_ascii=False))
    call_command("verify_certificate", str(path), "--offline")
    out = capsys.readouterr().out.strip()
    date_text = signing.certificate_date(kyrgyz_certificate.issued_at, language)
    title = {"ky": "Демо курс", "ru": "Демо курс", "en": "Demo course"}[language]
    assert title in out
    assert date_text in out
    assert out.endswith(".") and ".." not in out


def test_a_certificate_signed_before_credentials_carried_every_language_comes_in_them_too(
    client, kyrgyz_certificate
):
    """Its credential names the course in Kyrgyz only: the other titles come from the course."""
    old = {
        k: v for k, v in kyrgyz_certificate.credential.items() if k not in ("proof", "description")
    }
    old["name"] = "Демо курс"
    key = signing.current_key()
    kyrgyz_certificate.credential = vc.sign_credential(
        old, private_key=key.private_key, verification_method=key.verification_method,
        created=kyrgyz_certificate.issued_at,
    )  # fmt: skip
    kyrgyz_certificate.save(update_fields=["credential"])
    html = client.get(f"/en/verify/{kyrgyz_certificate.public_id}/").content.decode()
    assert "<h1>Demo course</h1>" in html and "?lang=ru" in html
    lines = pdf_lines(pdf_in(client, kyrgyz_certificate, "en"))
    assert "Demo course" in lines and "This certifies that" in lines
