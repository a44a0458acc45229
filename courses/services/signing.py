"""The site's side of the credentials core: keys from settings, credentials, PDFs and status
lists for stored certificates. `courses.credentials` does the cryptography and drawing."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from courses.content import pick_text
from courses.credentials import credential as vc
from courses.credentials import keys as vckeys
from courses.credentials import pdf as vcpdf
from courses.credentials import status_list as vcstatus
from courses.models import Certificate, CourseRevision, StatusList
from courses.selectors.certificates import certificate_university_logo


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    private_key: Ed25519PrivateKey
    public_key: Ed25519PublicKey
    fingerprint: str
    verification_method: str


def site_domain() -> str:
    """The host (and port) of SITE_URL: the issuer is did:web:<domain>."""
    return urlsplit(settings.SITE_URL).netloc


def _load_private(value: str) -> Ed25519PrivateKey:
    if value.lstrip().startswith("-----BEGIN"):
        return vckeys.load_private_key_pem(data=value)
    if Path(value).is_file():
        return vckeys.load_private_key_file(path=value)
    return vckeys.load_private_key_value(value=value)


def _load_public(value: str) -> Ed25519PublicKey:
    if value.startswith("z"):
        return vckeys.public_key_from_multibase(value)
    data = Path(value).read_bytes() if Path(value).is_file() else value.encode()
    if b"PRIVATE KEY" in data:
        return vckeys.load_private_key_pem(data=data).public_key()
    key = load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise vckeys.KeyFormatError("not an Ed25519 public key")
    return key


@functools.cache
def _key(value: str, key_id: str, domain: str) -> SigningKey:
    private_key = _load_private(value)
    public_key = private_key.public_key()
    return SigningKey(
        key_id=key_id,
        private_key=private_key,
        public_key=public_key,
        fingerprint=vckeys.key_fingerprint(public_key),
        verification_method=vckeys.verification_method_id(domain=domain, key_id=key_id),
    )


def current_key() -> SigningKey:
    return _key(settings.CERTIFICATE_SIGNING_KEY, settings.CERTIFICATE_KEY_ID, site_domain())


def published_keys() -> dict[str, Ed25519PublicKey]:
    """Key id to public key: the current key, then the retired ones still published."""
    keys = {settings.CERTIFICATE_KEY_ID: current_key().public_key}
    for item in settings.CERTIFICATE_RETIRED_KEYS:
        key_id, _sep, value = item.partition("=")
        keys.setdefault(key_id.strip(), _load_public(value.strip()))
    return keys


def did_document() -> dict:
    return vckeys.did_document(domain=site_domain(), keys=published_keys())


def verification_keys() -> dict[str, Ed25519PublicKey]:
    """Verification method to public key, as a verifier reads them from did.json."""
    return vckeys.public_keys_from_did_document(did_document())


def status_list_url(status_list: StatusList) -> str:
    return settings.SITE_URL + status_list.get_absolute_url()


def verify_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse(
        "courses:verify", kwargs={"public_id": certificate.public_id}
    )


def certificate_credential(
    certificate: Certificate, *, key: SigningKey, subject_id: str | None = None
) -> dict:
    """The signed Open Badges 3.0 credential, in the active (the learner's) language;
    ``subject_id`` (the holder's did:key, if they bound one) becomes credentialSubject.id."""
    revision = certificate.course.live_revision
    assert revision is not None  # certificates are issued for live courses
    # Set before signing (courses.services.certificates):
    assert certificate.issued_at is not None and certificate.status_list is not None
    assert certificate.status_index is not None
    language = get_language()
    description, _used = pick_text(revision.description_html, language)
    titles = {code: text for code in revision.languages if (text := revision.title.get(code))}
    descriptions = {
        code: strip_tags(text).strip()
        for code in revision.languages
        if (text := revision.description_html.get(code))
    }
    issuer = vc.Organisation(
        name=certificate.issuer_name, url=settings.SITE_URL, id=vckeys.did_web(site_domain())
    )
    course_url = settings.SITE_URL + certificate.course.get_absolute_url()
    unsigned = vc.build_credential(
        credential_id=f"urn:uuid:{certificate.public_id}",
        issuer=issuer,
        learner_name=certificate.learner_name,
        learner_email=certificate.user.email,
        salt=vc.new_salt(),
        achievement=vc.CourseAchievement(
            id=course_url,
            title=certificate.course_title,
            description=strip_tags(description or "").strip() or certificate.course_title,
            criteria=_("Completed every requirement of the course: %(url)s") % {"url": course_url},
            language=language,
            commit=certificate.commit,
            titles=titles,
            descriptions={code: text for code, text in descriptions.items() if text},
        ),
        valid_from=certificate.issued_at,
        status_list_url=status_list_url(certificate.status_list),
        status_list_index=certificate.status_index,
        university=vc.Organisation(name=certificate.university, url=settings.SITE_URL)
        if certificate.university
        else None,
        subject_id=subject_id or certificate.holder_did or None,
    )
    return vc.sign_credential(
        unsigned,
        private_key=key.private_key,
        verification_method=key.verification_method,
        created=certificate.issued_at,
    )


# How each language writes a date on a certificate. Django's own formats write Kyrgyz months
# capitalised and without the hyphens of «2-декабрь 2026-ж.», and English months abbreviated.
CERTIFICATE_DATE_FORMATS = {"ky": "j-F Y-ж.", "ru": "j E Y г.", "en": "F j, Y"}


def certificate_date(value: datetime | date, language: str) -> str:
    """The date as ``language`` writes it: «2-декабрь 2026-ж.», «2 декабря 2026 г.»,
    «December 2, 2026» (month names from Django's catalogues)."""
    day = timezone.localtime(value).date() if isinstance(value, datetime) else value
    with translation.override(language):
        text = date_format(day, CERTIFICATE_DATE_FORMATS.get(language, "DATE_FORMAT"))
    return text.lower() if language == "ky" else text


def pdf_labels(*, heading: str = "") -> dict[str, str]:
    """The PDF's words in the active language; ``heading`` (the course's own certificate
    title) replaces "Certificate of completion". The sentence around the course title is
    split where the title goes: before it in English and Russian, after it in Kyrgyz."""
    marker = "\x00"
    before, _sep, after = (
        _("has successfully completed the course %(course)s") % {"course": marker}
    ).partition(marker)
    return {
        "title": heading or _("Certificate of completion"),
        "certifies": _("This certifies that"),
        "completed": before.strip(),
        "completed_after": after.strip(),
        "date": _("Date"),
        "issuer": _("Issued by"),
        "university": _("In partnership with"),
        "revision": _("Course revision"),
        "verify": _("Verify this certificate"),
    }


def certificate_heading(revision: CourseRevision | None, language: str) -> str:
    """The course's own certificate title (``certificate.title`` in course.yaml) in
    ``language``, or "" when the author gave none."""
    titles = (revision.certificate or {}).get("title") if revision is not None else None
    if isinstance(titles, str):
        return titles
    if isinstance(titles, dict):
        text, _used = pick_text(titles, language)
        return text if isinstance(text, str) else ""
    return ""


def certificate_course_titles(
    certificate: Certificate, *, revision: CourseRevision | None = None
) -> dict[str, str]:
    """The course title in every language the certificate comes in, as its credential signs
    them; a certificate signed before credentials carried every language (its ``name`` a plain
    string) takes the other languages from the course revision."""
    credential = certificate.credential or {}
    titles = vc.course_titles(credential)
    revision = revision or certificate.course.live_revision
    if revision is not None and not isinstance(credential.get("name"), list):
        for code in revision.languages:
            if text := revision.title.get(code):
                titles.setdefault(code, text)
    return titles


def certificate_pdf(
    certificate: Certificate, *, language: str | None = None, revision: CourseRevision | None = None
) -> bytes:
    """The PDF in ``language`` (the active one by default), with the signed credential
    attached; the course title comes from the credential, as it was signed."""
    assert certificate.credential is not None  # signed first (courses.services.certificates)
    language = language or get_language()
    titles = certificate_course_titles(certificate, revision=revision)
    title = titles.get(language) or certificate.course_title
    with translation.override(language):  # the words, and the QR code's page, in the language
        labels = pdf_labels(heading=certificate_heading(revision, language))
        url = verify_url(certificate)
    assert certificate.issued_at is not None  # set before the PDF is drawn
    return vcpdf.render_certificate_pdf(
        learner_name=certificate.learner_name,
        course_title=title,
        date_text=certificate_date(certificate.issued_at, language),
        organisation=certificate.issuer_name,
        commit=certificate.commit[:12],
        verify_url=url,
        short_url=url.split("://", 1)[-1],
        credential=certificate.credential,
        labels=labels,
        language=language,
        university=certificate.university or None,
        university_logo=certificate_university_logo(certificate=certificate),
        created=certificate.issued_at,
    )


def status_list_credential(status_list: StatusList, *, revoked: list[int]) -> dict:
    bits = vcstatus.new_bitstring(size=status_list.size)
    for index in revoked:
        vcstatus.set_bit(bits, index=index)
    key = current_key()
    now = timezone.now()
    unsigned = vcstatus.status_list_credential(
        list_url=status_list_url(status_list),
        issuer_id=vckeys.did_web(site_domain()),
        bits=bits,
        valid_from=now,
    )
    return vc.sign_credential(
        unsigned, private_key=key.private_key, verification_method=key.verification_method,
        created=now,
    )  # fmt: skip
