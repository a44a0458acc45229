"""Binding a certificate to a key the learner holds (a did:key), on the owner's request.

The owner's browser makes an Ed25519 key, asks for a challenge (random, single-use, expiring),
signs ``courses.credentials.holder.binding_message`` and posts the public key and signature.
The credential is then signed again with ``credentialSubject.id`` = the did:key: same public
id, same status list entry. The earlier signed credential is kept in
``Certificate.earlier_credentials``; its issuer signature still verifies, and revoking the
certificate revokes both, since they share the status entry.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone, translation

from courses.credentials import holder
from courses.models import Certificate, HolderChallenge
from courses.services import signing

if TYPE_CHECKING:
    from lms.models import User

CHALLENGE_SECONDS = 300


class HolderBindingError(Exception):
    """The binding was refused; ``code`` names why (the view says it in the user's words)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def holder_challenge_create(*, certificate: Certificate, user: User) -> HolderChallenge:
    """A new challenge for the owner of an issued certificate."""
    if certificate.user_id != user.pk:
        raise HolderBindingError("not_owner")
    if certificate.status != Certificate.Status.ISSUED:
        raise HolderBindingError("not_issued")
    # Expired challenges go: a late answer to one is refused as unknown all the same.
    HolderChallenge.objects.filter(certificate=certificate, expires_at__lt=timezone.now()).delete()
    return HolderChallenge.objects.create(
        certificate=certificate,
        challenge=secrets.token_urlsafe(32),
        expires_at=timezone.now() + timedelta(seconds=CHALLENGE_SECONDS),
    )


def _decode(value: str) -> bytes:
    """Base64 (standard or URL-safe, padding optional) or hex; ``HolderBindingError`` else."""
    text = value.strip()
    try:
        if len(text) in (64, 128) and all(c in "0123456789abcdefABCDEF" for c in text):
            return bytes.fromhex(text)
        padded = text + "=" * (-len(text) % 4)
        return base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise HolderBindingError("bad_encoding") from exc


@transaction.atomic
def certificate_holder_bind(
    *, certificate: Certificate, user: User, challenge: str, public_key: str, signature: str
) -> Certificate:
    """Check the signature over the challenge and sign the credential again for the did:key.
    Raises ``HolderBindingError``; on any error nothing is stored."""
    if certificate.user_id != user.pk:
        raise HolderBindingError("not_owner")
    raw_key, raw_signature = _decode(public_key), _decode(signature)
    found = (
        HolderChallenge.objects.select_for_update()
        .filter(certificate=certificate, challenge=challenge)
        .first()
    )
    if found is None or found.used_at is not None:
        raise HolderBindingError("used_challenge")
    now = timezone.now()
    if found.expires_at <= now:
        raise HolderBindingError("expired_challenge")
    if len(raw_key) != 32 or len(raw_signature) != 64:
        raise HolderBindingError("bad_encoding")
    did = holder.verify_binding(
        public_key=raw_key,
        signature=raw_signature,
        certificate_id=str(certificate.public_id),
        challenge=challenge,
    )
    if did is None:
        raise HolderBindingError("bad_signature")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status != Certificate.Status.ISSUED or certificate.credential is None:
        raise HolderBindingError("not_issued")
    found.used_at = now
    found.save(update_fields=["used_at"])
    certificate.earlier_credentials = [*certificate.earlier_credentials, certificate.credential]
    certificate.holder_did = did
    with translation.override(certificate.language):
        certificate.credential = signing.certificate_credential(
            certificate, key=signing.current_key(), subject_id=did
        )
        certificate.pdf = signing.certificate_pdf(
            certificate, revision=certificate.course.live_revision
        )
    certificate.save(update_fields=["earlier_credentials", "holder_did", "credential", "pdf"])
    return certificate
