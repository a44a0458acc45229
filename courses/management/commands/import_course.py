import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from courses.management.cli import cli_language
from courses.models import ImportRun
from courses.services.publishing import import_run_create, import_run_execute

STAGES = {"checkout": 0, "read": 1, "check": 2, "publish": 3}


class Command(BaseCommand):
    help = (
        "Import every course of a Git repository (a local path or a URL) at a ref. "
        "On any error nothing changes and the errors are printed like lint_course prints them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "source", help="a local Git repository or a Git URL (file://, https://)"
        )
        parser.add_argument("--ref", default="", help="branch, tag or commit (default: HEAD)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )
        parser.add_argument(
            "--preview",
            action="store_true",
            help="import as a preview visible only to staff; the live revision stays",
        )

    def _progress_bar(self):
        if not self.stdout.isatty():
            return None
        labels = {
            "checkout": _("Checking out"),
            "read": _("Reading and rendering"),
            "check": _("Checking history"),
            "publish": _("Publishing"),
        }

        def show(stage: str, done: int, total: int) -> None:
            fraction = (STAGES[stage] + (done / total if total else 0)) / len(STAGES)
            filled = int(fraction * 30)
            bar = "#" * filled + "-" * (30 - filled)
            sys.stdout.write(f"\r[{bar}] {int(fraction * 100):3d}% {labels[stage]:<24}")
            sys.stdout.flush()

        return show

    def handle(self, *args, **options):
        with translation.override(cli_language()):
            return self._handle(*args, **options)

    def _handle(self, *args, source, ref, dry_run, preview, **options):
        run = (
            ImportRun(location=source, ref=ref, preview=preview, trigger=ImportRun.Trigger.COMMAND)
            if dry_run
            else import_run_create(location=source, ref=ref, preview=preview)
        )
        progress = self._progress_bar()
        outcome = import_run_execute(run=run, dry_run=dry_run, progress=progress)
        if progress:
            sys.stdout.write("\r" + " " * 64 + "\r")
        for diagnostic in outcome.diagnostics:
            stream = self.stderr if diagnostic.is_error else self.stdout
            stream.write(diagnostic.format())
        summary = run.summary or {}
        facts = {
            "courses": ", ".join(summary.get("courses", [])) or "-",
            "items": summary.get("items", 0),
            "languages": ", ".join(summary.get("languages", [])) or "-",
            "warnings": summary.get("warnings", 0),
            "seconds": f"{(run.duration_ms or 0) / 1000:.2f}",
            "commit": run.commit[:12] or "-",
        }
        if not outcome.ok:
            raise CommandError(
                _("Import failed at commit %(commit)s: nothing was changed.") % facts
            )
        if run.status == ImportRun.Status.UNCHANGED:
            message = _(
                "Unchanged: commit %(commit)s is already live (%(courses)s); nothing to do "
                "(%(seconds)s s)."
            )
        elif dry_run:
            message = _(
                "Dry run of commit %(commit)s: %(courses)s would be imported (%(items)s items; "
                "languages %(languages)s; %(warnings)s warnings; %(seconds)s s)."
            )
        elif preview:
            message = _(
                "Previewed commit %(commit)s: %(courses)s (%(items)s items; languages "
                "%(languages)s; %(warnings)s warnings; %(seconds)s s). "
                "The live course is unchanged."
            )
        else:
            message = _(
                "Imported commit %(commit)s: %(courses)s (%(items)s items; languages "
                "%(languages)s; %(warnings)s warnings; %(seconds)s s)."
            )
        self.stdout.write(self.style.SUCCESS(message % facts))
