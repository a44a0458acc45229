from django.core.management.base import BaseCommand

from courses.content.lint import exit_code, lint_path


class Command(BaseCommand):
    """Also runs without any configuration: manage.py hands `lint_course` to the pure linter
    before Django loads its settings (see manage.py)."""

    help = (
        "Check a course repository (or one course folder) without touching the database. "
        "Exit 1 on errors; with --strict, 2 on warnings alone."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--strict", action="store_true", help="exit 2 on warnings alone")

    def handle(self, *args, path, strict, **options):
        diagnostics = lint_path(path)
        for diagnostic in diagnostics:
            self.stdout.write(diagnostic.format())
        code = exit_code(diagnostics, strict=strict)
        if code:
            raise SystemExit(code)
