import json
from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from courses.credentials import holder
from courses.credentials.keys import KeyFormatError
from courses.management.cli import cli_language


class Command(BaseCommand):
    help = (
        "Make a holder proof offline: a VerifiablePresentation of CERT.json signed with the key "
        "you saved when you bound the certificate (JWK or PEM), over a verifier's challenge. "
        "Check it with verify_certificate --holder-proof."
    )

    def add_arguments(self, parser):
        parser.add_argument("certificate", help="the bound certificate's credential (.json)")
        parser.add_argument("--key", required=True, help="your private key file (JWK or PEM)")
        parser.add_argument("--challenge", required=True, help="the verifier's challenge")
        parser.add_argument("--domain", default="", help="the verifier's domain")

    def handle(self, *args, **options):
        with translation.override(cli_language()):
            try:
                key = holder.load_holder_key(Path(options["key"]).read_bytes())
                credential = json.loads(Path(options["certificate"]).read_bytes())
            except (OSError, ValueError, KeyFormatError) as exc:
                raise CommandError(
                    _("Cannot read the key or the certificate: %(error)s") % {"error": exc}
                ) from exc
            presentation = holder.holder_presentation(
                credential,
                private_key=key,
                challenge=options["challenge"],
                domain=options["domain"],
                created=datetime.now(UTC),
            )
            self.stdout.write(json.dumps(presentation, ensure_ascii=False, indent=2))
