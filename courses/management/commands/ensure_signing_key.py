from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.credentials import keys


class Command(BaseCommand):
    help = (
        "Create the certificate signing key at CERTIFICATE_SIGNING_KEY when it is a file path "
        "that does not exist yet (development). Never overwrites a key."
    )

    def handle(self, *args, **options):
        value = settings.CERTIFICATE_SIGNING_KEY
        if value.lstrip().startswith("-----BEGIN") or not value.endswith(".pem"):
            self.stdout.write("The signing key comes from the environment; nothing to create.")
            return
        path = Path(value)
        if path.exists():
            self.stdout.write(f"Signing key: {path}")
            return
        if not settings.DEBUG:
            raise CommandError(
                f"No signing key at {path}. In production create one deliberately, keep it "
                "secret and back it up: certificates are verified against it for years."
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(keys.private_key_pem(keys.generate_private_key()))
        path.chmod(0o600)
        self.stdout.write(f"Created a development signing key: {path}")
