"""The certificate PDF: Kyrgyz, Russian and English text, QR code, attached credential."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
import segno
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader

from courses.credentials.credential import verify_credential
from courses.credentials.pdf import (
    ENGLISH_LABELS,
    LABEL_KEYS,
    PAGE_H,
    PAGE_W,
    QR_MASK,
    QR_SIZE,
    extract_embedded_credential,
    render_certificate_pdf,
)

LABELS = {
    "ky": {
        "title": "Курсту аяктагандыгы жөнүндө сертификат",
        "certifies": "Бул сертификат төмөнкүнү тастыктайт:",
        "completed": "курсун ийгиликтүү аяктады",
        "date": "Күнү",
        "issuer": "Берген",
        "university": "Өнөктөш",
        "revision": "Курстун версиясы",
        "verify": "Сертификатты текшерүү",
    },
    "ru": {
        "title": "Сертификат о прохождении курса",
        "certifies": "Настоящим удостоверяется, что",
        "completed": "успешно завершил(а) курс",
        "date": "Дата",
        "issuer": "Выдан",
        "university": "В партнёрстве с",
        "revision": "Версия курса",
        "verify": "Проверить сертификат",
    },
    "en": dict(ENGLISH_LABELS),
}
CASES = {
    "ky": ("Айгүл Өмүрбекова", "Блокчейндин негиздери: ң ө ү", "2026-жылдын 21-ноябры"),
    "ru": (
        "Константин Александрович Веселовский-Ңөүшкин",
        "Основы блокчейна и смарт-контрактов: консенсус, криптография и "
        "децентрализованные приложения на практике",
        "21 ноября 2026 г.",
    ),
    "en": (
        "Maximilian Alexander Montgomery-Fitzgerald Wolfeschlegelsteinhausen",
        "Blockchain Basics",
        "November 21, 2026",
    ),
}


def _render(signed: dict, language: str, **overrides) -> bytes:
    name, title, date = CASES[language]
    arguments = {
        "learner_name": name,
        "course_title": title,
        "date_text": date,
        "organisation": "Bilim Академиясы",
        "university": "Кыргыз улуттук университети",
        "commit": "0123456789abcdef0123456789abcdef01234567",
        "verify_url": f"https://academy.kg/{language}/verify/8f0c6a1e-7b4d-4c1e-9a55-0f5d3e2b1c9a/",
        "short_url": "academy.kg/v/8f0c6a1e",
        "credential": signed,
        "labels": LABELS[language],
        "language": language,
    }
    arguments.update(overrides)
    return render_certificate_pdf(**arguments)


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.mark.parametrize("language", CASES)
def test_pdf_shows_name_course_date_and_labels(signed, language):
    """The one landscape page carries every line of text, Kyrgyz letters included."""
    pdf = _render(signed, language)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = _text(pdf)
    name, title, date = CASES[language]
    for expected in (
        name,
        title,
        date,
        LABELS[language]["title"],
        "academy.kg/v/8f0c6a1e",
    ):
        assert " ".join(expected.split()) in text, expected
    assert "Кыргыз улуттук университети" in text


@pytest.mark.parametrize("language", CASES)
def test_pdf_prints_the_learner_but_not_the_commit(signed, language):
    """The learner's name is on the page; the course's Git commit stays in the credential."""
    text = _text(_render(signed, language))
    assert " ".join(CASES[language][0].split()) in text
    assert "0123456789" not in text
    assert LABELS[language]["revision"] not in text


def test_kyrgyz_letters_are_real_text_not_boxes(signed):
    """ң ө ү and their capitals come out of the PDF as the same characters."""
    pdf = _render(signed, "ky", learner_name="ҢӨҮ Жаңыбай Өмүров", course_title="Үйрөнүү ң ө ү")
    text = _text(pdf)
    assert "ҢӨҮ Жаңыбай Өмүров" in text
    assert "Үйрөнүү ң ө ү" in text


def test_embedded_credential_is_extracted_and_verifies(signed, issuer_key, method):
    """The attached credential.json is the signed credential, and it still verifies."""
    extracted = extract_embedded_credential(_render(signed, "ky"))
    assert extracted == signed
    assert verify_credential(extracted, public_keys={method: issuer_key.public_key()}).ok


def test_pdf_without_attachment_and_non_pdf_input():
    """A PDF with no credential gives None; bytes that are no PDF give a clear error."""
    blank = FPDF()
    blank.add_page()
    assert extract_embedded_credential(bytes(blank.output())) is None
    with pytest.raises(ValueError, match="not a readable PDF"):
        extract_embedded_credential(b"%PDF-1.7 this is not really a PDF")


def test_missing_labels_are_named(signed):
    """Every label must be given (translated by the caller); the missing ones are listed."""
    labels = {key: LABELS["en"][key] for key in LABEL_KEYS if key not in {"date", "verify"}}
    with pytest.raises(ValueError, match="labels missing: date, verify"):
        _render(signed, "en", labels=labels)


def test_without_university_the_partner_field_is_left_out(signed):
    """A learner outside a cohort gets no partner field."""
    text = _text(_render(signed, "en", university=None))
    assert ENGLISH_LABELS["university"].upper() not in text
    assert "Кыргыз улуттук университети" not in text


def _raster(pdf: bytes, dpi: int) -> Image.Image:
    result = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return Image.open(io.BytesIO(result.stdout)).convert("RGB")


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils")
def test_qr_code_holds_the_verify_url(signed):
    """The QR code drawn on the page has the modules segno encodes for the verify URL."""
    pdf = _render(signed, "ky")
    dpi = 300
    image = _raster(pdf, dpi=dpi).convert("L")
    matrix = segno.make(
        "https://academy.kg/ky/verify/8f0c6a1e-7b4d-4c1e-9a55-0f5d3e2b1c9a/",
        error="m",
        mask=QR_MASK,
    ).matrix
    scale = dpi / 25.4
    left, top = (PAGE_W - 24 - QR_SIZE) * scale, (PAGE_H - 22 - QR_SIZE - 4) * scale
    module = QR_SIZE * scale / len(matrix)
    seen = [
        [
            image.getpixel((int(left + (x + 0.5) * module), int(top + (y + 0.5) * module))) < 128
            for x in range(len(matrix))
        ]
        for y in range(len(matrix))
    ]
    assert seen == [[bool(value) for value in row] for row in matrix]


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")), reason="needs poppler and zbar"
)
@pytest.mark.parametrize("language", CASES)
def test_qr_code_scans_as_the_verify_url(signed, language, tmp_path):
    """An independent reader (zbar) scans the printed QR code as the verify URL."""
    image = tmp_path / "page.png"
    _raster(_render(signed, language), dpi=150).save(image)
    result = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True)
    assert result.stdout.strip() == (
        f"https://academy.kg/{language}/verify/8f0c6a1e-7b4d-4c1e-9a55-0f5d3e2b1c9a/"
    )


def test_university_logo_is_drawn_beside_its_name(signed):
    """Through a cohort, the university's logo heads the page with its name; the name stays."""
    logo = io.BytesIO()
    Image.new("RGB", (90, 60), (20, 90, 160)).save(logo, format="PNG")
    pdf = _render(signed, "ky", university_logo=logo.getvalue())
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1
    assert "Кыргыз улуттук университети" in _text(pdf)
    assert not PdfReader(io.BytesIO(_render(signed, "ky"))).pages[0].images
