from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import ngettext

from courses.management.cli import cli_language
from courses.services.search_index import search_index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the catalogue's search index from the stored courses: every live revision, "
        "or every revision with --all. Imports index what they write; this is for an index "
        "made by older code."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="previews and earlier revisions too")

    def handle(self, *args, **options):
        with translation.override(cli_language()):
            count = search_index_rebuild(every_revision=options["all"])
            self.stdout.write(
                ngettext(
                    "Rebuilt the search index of %(count)d course revision.",
                    "Rebuilt the search index of %(count)d course revisions.",
                    count,
                )
                % {"count": count}
            )
