#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["lint_course"]:
        # The linter is pure Python: it needs no settings, database or broker, so an author's
        # CI can run it with nothing configured.
        from courses.content.lint import main

        sys.exit(main(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
