from django.core.management.base import BaseCommand

from courses.content.lint import add_arguments, run


class Command(BaseCommand):
    """Also runs without any configuration: manage.py hands `lint_course` to the pure linter
    before Django loads its settings (see manage.py); both print the same."""

    help = (
        "Check a course repository (or one course folder) without touching the database; "
        "inside a Git repository, also compare translations by commit as an import does. "
        "Exit 1 on errors; with --strict, 2 on warnings alone."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, path, strict, format, no_history, **options):
        code, out, err = run(path, strict=strict, format=format, no_history=no_history)
        for line in out:
            self.stdout.write(line)
        for line in err:
            self.stderr.write(line)
        if code:
            raise SystemExit(code)
