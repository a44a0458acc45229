"""``python -m courses.content PATH [--strict]``: lint a course repository."""

import sys

from courses.content.lint import main

sys.exit(main())
