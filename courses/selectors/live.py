"""What names the content of the live courses: a key for pages kept per set of live
revisions (the site-wide glossary), read in one small query."""

from __future__ import annotations

from courses.selectors.prepared import prepared_rows

_LIVE_SQL = """
    SELECT c.slug, r.uid FROM courses_course c
    JOIN courses_courserevision r ON r.id = c.live_revision_id
    ORDER BY c.slug
"""


def live_revisions_key() -> tuple[tuple[str, str], ...]:
    """(course slug, live revision's uid) of every live course, by slug: a revision never
    changes, so the same key means the same content."""
    return tuple((slug, str(uid)) for slug, uid in prepared_rows(_LIVE_SQL, []))
