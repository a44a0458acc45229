import json
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from courses.credentials import credential as vc
from courses.credentials import holder
from courses.credentials import keys as vckeys
from courses.credentials import pdf as vcpdf
from courses.credentials import status_list as vcstatus
from courses.credentials.integrity import parse_datetime
from courses.management.cli import cli_language
from courses.models import StatusList
from courses.services import signing


class Command(BaseCommand):
    help = (
        "Verify a certificate's signed credential (.json, or a .pdf with it attached) against "
        "this site's published keys, a did.json file, or a given public key."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the credential (not with --holder-proof)")
        parser.add_argument(
            "--holder-proof",
            help="a VerifiablePresentation by the certificate's holder (certificate_holder_proof)",
        )
        parser.add_argument("--challenge", help="the challenge you gave the holder")
        parser.add_argument("--domain", help="your domain, if you gave the holder one")
        parser.add_argument("--did-document", help="verify against the keys of this did.json")
        parser.add_argument("--key", help="a public key: PEM file or multibase (z6Mk...)")
        parser.add_argument("--key-id", default="key-1", help="the id of --key (default key-1)")
        parser.add_argument(
            "--offline", action="store_true", help="do not look up the revocation status"
        )

    def _document(self, path: Path) -> dict:
        data = path.read_bytes()
        if data.startswith(b"%PDF"):
            try:
                document = vcpdf.extract_embedded_credential(data)
            except ValueError as exc:
                raise CommandError(_("Not a readable PDF: %(error)s") % {"error": exc}) from exc
            if document is None:
                raise CommandError(_("The PDF has no credential attached."))
            return document
        try:
            return json.loads(data)
        except ValueError as exc:
            raise CommandError(_("Not a JSON credential: %(error)s") % {"error": exc}) from exc

    def _keys(self, document: dict, options) -> dict:
        if options["did_document"]:
            did = json.loads(Path(options["did_document"]).read_text())
            return vckeys.public_keys_from_did_document(did)
        if options["key"]:
            issuer = vc.issuer_id(document) or ""
            domain = issuer.removeprefix("did:web:").replace("%3A", ":")
            method = vckeys.verification_method_id(domain=domain, key_id=options["key_id"])
            return {method: signing._load_public(options["key"])}
        return signing.verification_keys()

    def handle(self, *args, **options):
        with translation.override(cli_language()):
            return self._handle(*args, **options)

    def _handle(self, *args, file, **options):
        path = Path(options["holder_proof"] or file or "")
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": path})
        document = self._document(path)
        if options["holder_proof"]:
            document = self._holder_checked(document, options)
        result = vc.verify_credential(document, public_keys=self._keys(document, options))
        if not result.ok:
            raise CommandError(_("Not valid: %(reason)s") % {"reason": result.reason})
        revoked = self._revoked(document) if not options["offline"] else None
        if revoked:
            raise CommandError(_("The signature is valid, but the certificate was revoked."))
        subject = document.get("credentialSubject", {})
        names = [
            i.get("identityHash") for i in subject.get("identifier", [])
            if i.get("identityType") == "name"
        ]  # fmt: skip
        language = translation.get_language()
        titles = vc.course_titles(document)
        message = _("Valid: “%(course)s”, awarded to %(name)s by %(issuer)s on %(date)s.") % {
            "course": titles.get(language) or subject.get("achievement", {}).get("name", ""),
            "name": names[0] if names else "?",
            "issuer": (document.get("issuer") or {}).get("name", ""),
            "date": _date(document.get("validFrom", ""), language),
        }
        if message.endswith(".."):  # a date that ends with a full stop ends the sentence
            message = message[:-1]
        self.stdout.write(self.style.SUCCESS(message))
        if revoked is None and not options["offline"]:
            self.stdout.write(_("The revocation status could not be checked here."))

    def _holder_checked(self, presentation: dict, options) -> dict:
        """The presented credential, once the holder's proof over the challenge holds."""
        if not options["challenge"]:
            raise CommandError(_("Give the challenge the holder signed: --challenge."))
        result = holder.verify_presentation(
            presentation, challenge=options["challenge"], domain=options["domain"]
        )
        if not result.ok:
            raise CommandError(
                _("The holder's proof is not valid: %(reason)s") % {"reason": result.reason}
            )
        self.stdout.write(
            _("The holder proved they hold the key %(did)s.")
            % {"did": presentation.get("holder", "")}
        )
        return holder.presented_credential(presentation) or {}

    def _revoked(self, document: dict) -> bool | None:
        """Read the status list this site publishes; None when it is not this site's."""
        entry = vcstatus.credential_status_entry(document)
        if entry is None:
            return None
        url, _index = entry
        if not url.startswith(signing.settings.SITE_URL):
            return None
        name = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
        status_list = StatusList.objects.filter(name=name).first()
        if status_list is None or not status_list.credential:
            return None
        checked = vc.verify_credential(
            status_list.credential,
            public_keys=signing.verification_keys(),
            expected_type="BitstringStatusListCredential",
        )
        if not checked.ok:
            return None
        return vcstatus.credential_revoked(document, status_list=status_list.credential)


def _date(value: str, language: str) -> str:
    """``validFrom`` as the language writes a date, or as it stands if it is not a date."""
    try:
        return signing.certificate_date(parse_datetime(value), language)
    except ValueError:
        return value
