"""Open Badges 3.0 ``OpenBadgeCredential`` (W3C VC Data Model 2.0) for a completed course.

Where our data sits in OB3 terms, so every field is defined by the pinned contexts and signed:

- the learner: ``credentialSubject.identifier``, two ``IdentityObject``s: the e-mail as a
  salted SHA-256 (``identityType: emailAddress``, ``hashed: true``) and the name in clear
  (``identityType: name``, ``hashed: false``);
- the course: ``credentialSubject.achievement`` (``achievementType: Course``), its title and
  description in the language the certificate was issued in (OB 3.0 defines them as strings),
  that language in ``inLanguage`` and the Git commit of the course revision in ``version``;
- the course title and description in every language of the course: the credential's own
  ``name`` and ``description``, VC 2.0 language value objects
  (``[{"@value": "...", "@language": "ky"}, ...]``);
- the issuing organisation: ``issuer``, a ``Profile`` whose id is its did:web;
- a cohort's university: ``credentialSubject.source``, a ``Profile`` (OB3: "the organization
  that assessed the achievement on behalf of the issuer");
- revocation: ``credentialStatus``, a ``BitstringStatusListEntry``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from courses.credentials.canonical import OB3_CONTEXT, VC_CONTEXT
from courses.credentials.integrity import (
    Contexts,
    VerificationResult,
    add_proof,
    failure,
    format_datetime,
    parse_datetime,
    verify_proof,
)
from courses.credentials.names import printable_name
from courses.credentials.status_list import status_list_entry


@dataclass(frozen=True)
class Organisation:
    """An OB3 ``Profile``: the issuer (``id`` is its DID) or a partner university."""

    name: str
    url: str
    id: str | None = None

    def profile(self) -> dict[str, Any]:
        profile: dict[str, Any] = {"type": ["Profile"], "name": self.name, "url": self.url}
        return {"id": self.id, **profile} if self.id else profile


@dataclass(frozen=True)
class CourseAchievement:
    """The course a certificate is for, in the learner's language; ``titles`` and
    ``descriptions`` map every language of the course to its text (optional)."""

    id: str
    title: str
    description: str
    criteria: str
    language: str
    commit: str
    titles: Mapping[str, str] = field(default_factory=dict)
    descriptions: Mapping[str, str] = field(default_factory=dict)


def language_values(texts: Mapping[str, str]) -> list[dict[str, str]]:
    """VC 2.0 language value objects for the non-empty texts, in the mapping's order."""
    return [{"@value": text, "@language": code} for code, text in texts.items() if text]


def language_texts(value: Any) -> dict[str, str]:
    """Language to text from a string (no language), a value object or a list of them."""
    items = value if isinstance(value, list) else [value]
    texts: dict[str, str] = {}
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("@value"), str):
            language = item.get("@language")
            if isinstance(language, str) and language:
                texts.setdefault(language, item["@value"])
    return texts


def course_titles(credential: Mapping[str, Any]) -> dict[str, str]:
    """The course title in every language the credential carries it in: its language-tagged
    ``name``, and the achievement's own name in the language it was issued in."""
    titles = language_texts(credential.get("name"))
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if isinstance(achievement, dict):
        language, name = achievement.get("inLanguage"), achievement.get("name")
        if isinstance(language, str) and isinstance(name, str) and name:
            titles.setdefault(language, name)
    return titles


def issued_language(credential: Mapping[str, Any]) -> str | None:
    """The language the certificate was issued in (the achievement's ``inLanguage``)."""
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    language = achievement.get("inLanguage") if isinstance(achievement, dict) else None
    return language if isinstance(language, str) else None


def new_salt() -> str:
    """A random salt for the e-mail hash (store it with the certificate)."""
    return secrets.token_hex(16)


def email_identity_hash(*, email: str, salt: str) -> str:
    """OB3 ``identityHash``: ``sha256$`` + hex SHA-256 of the lower-cased e-mail and the salt."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def build_credential(
    *,
    credential_id: str,
    issuer: Organisation,
    learner_name: str,
    learner_email: str,
    salt: str,
    achievement: CourseAchievement,
    valid_from: datetime,
    status_list_url: str,
    status_list_index: int,
    university: Organisation | None = None,
    name: str | None = None,
    subject_id: str | None = None,
) -> dict[str, Any]:
    """The unsigned credential; ``subject_id`` (a holder's ``did:key``) becomes
    ``credentialSubject.id``; ``name`` defaults to the course title, in every language of
    the course when the achievement has ``titles`` (then ``description`` carries its
    ``descriptions`` too). The learner's name is taken through `printable_name`, as the PDF
    prints it."""
    if not issuer.id:
        raise ValueError("the issuer needs its DID as id")
    learner_name = printable_name(learner_name)
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": email_identity_hash(email=learner_email, salt=salt),
                "salt": salt,
            },
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": learner_name,
            },
        ],
        "achievement": {
            "id": achievement.id,
            "type": ["Achievement"],
            "achievementType": "Course",
            "name": achievement.title,
            "description": achievement.description,
            "criteria": {"narrative": achievement.criteria},
            "inLanguage": achievement.language,
            "version": achievement.commit,
        },
    }
    if subject_id:
        subject = {"id": subject_id, **subject}
    if university is not None:
        subject["source"] = university.profile()
    document: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB3_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer.profile(),
        "validFrom": format_datetime(valid_from),
        "name": name or language_values(achievement.titles) or achievement.title,
        "credentialSubject": subject,
        "credentialStatus": status_list_entry(list_url=status_list_url, index=status_list_index),
    }
    if name is None and language_values(achievement.descriptions):
        document["description"] = language_values(achievement.descriptions)
    return document


def sign_credential(
    credential: Mapping[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
    extra_contexts: Contexts = None,
) -> dict[str, Any]:
    """The credential with an ``eddsa-rdfc-2022`` Data Integrity proof.

    The key must belong to the issuer: ``verification_method`` is ``<issuer DID>#<key id>``.
    """
    if verification_method.split("#", 1)[0] != issuer_id(credential):
        raise ValueError("the verification method does not belong to the credential's issuer")
    return add_proof(
        credential,
        private_key=private_key,
        verification_method=verification_method,
        created=created,
        extra_contexts=extra_contexts,
    )


def issuer_id(credential: Mapping[str, Any]) -> str | None:
    """The issuer's id, whether ``issuer`` is a string or a profile."""
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def _types(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def verify_credential(
    document: Any,
    *,
    public_keys: Mapping[str, Ed25519PublicKey],
    now: datetime | None = None,
    expected_type: str | None = None,
    extra_contexts: Contexts = None,
) -> VerificationResult:
    """Verify a signed credential: shape, proof, that the key is the issuer's, and dates.

    ``public_keys`` maps verification method ids to trusted keys (see
    ``keys.public_keys_from_did_document``). With ``now``, ``validFrom``/``validUntil`` are
    checked too. Status (revocation) is a separate check: ``status_list.credential_revoked``.
    """
    if not isinstance(document, dict):
        return failure("not_a_credential", "the document is not a JSON object")
    contexts = _types(document.get("@context"))
    types = _types(document.get("type"))
    if not contexts or contexts[0] != VC_CONTEXT or "VerifiableCredential" not in types:
        return failure("not_a_credential", "the document is not a Verifiable Credential 2.0")
    if expected_type is not None and expected_type not in types:
        return failure("not_a_credential", f"the credential is not a {expected_type}")
    result = verify_proof(document, public_keys=public_keys, extra_contexts=extra_contexts)
    if not result.ok:
        return result
    method = document["proof"]["verificationMethod"]
    if method.split("#", 1)[0] != issuer_id(document):
        return failure(
            "issuer_mismatch", f"the signing key {method!r} does not belong to the issuer"
        )
    if now is not None:
        try:
            valid_from = parse_datetime(str(document.get("validFrom", "")))
            valid_until = document.get("validUntil")
            until = parse_datetime(str(valid_until)) if valid_until is not None else None
        except ValueError:
            return failure("invalid_dates", "the credential's validity dates are not valid dates")
        if now < valid_from:
            return failure("not_yet_valid", "the credential is not valid yet")
        if until is not None and now > until:
            return failure("expired", "the credential has expired")
    return result


def credential_for_email(credential: Mapping[str, Any], *, email: str) -> bool:
    """Whether a credential's hashed e-mail identifier matches ``email``."""
    subject = credential.get("credentialSubject")
    identifiers = subject.get("identifier", []) if isinstance(subject, dict) else []
    for item in identifiers if isinstance(identifiers, list) else []:
        if (
            isinstance(item, dict)
            and item.get("identityType") == "emailAddress"
            and item.get("hashed") is True
            and isinstance(item.get("salt"), str)
        ):
            expected = email_identity_hash(email=email, salt=item["salt"])
            if secrets.compare_digest(str(item.get("identityHash")), expected):
                return True
    return False
