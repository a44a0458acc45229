"""What earlier imports and learners left behind, as plain mappings for the content checks."""

from collections.abc import Iterable, Iterator, Mapping

from django.db.models import Count

from courses.content import Rendered, TocEntry
from courses.models import Course, ImportRun, Item, ItemProgress, ItemText, RevisionItem


def course_item_types(*, slug: str) -> dict[str, str]:
    """Every item id the course has ever had, with its type."""
    return dict(Item.objects.filter(course__slug=slug).values_list("key", "type"))


def course_progress_counts(*, slug: str) -> dict[str, int]:
    """How many learners have progress on each item of the course."""
    rows = (
        ItemProgress.objects.filter(item__course__slug=slug)
        .values("item__key")
        .annotate(learners=Count("enrollment", distinct=True))
    )
    return {row["item__key"]: row["learners"] for row in rows}


def course_live_answer_keys(*, slug: str) -> dict[str, dict[str, str]]:
    """Quiz id to {question id: answer key} in the live revision."""
    rows = RevisionItem.objects.filter(
        revision__live_for__slug=slug, quiz__isnull=False
    ).values_list("item__key", "quiz")
    return {
        key: dict(quiz.get("answer_keys", {}))
        for key, quiz in rows
        if quiz is not None  # as the query asks: typed as nullable all the same
    }


def import_already_live(*, location: str, commit: str, render_version: str) -> bool:
    """True when the last good import of ``location`` was this commit, rendered by this
    renderer, and every course it published still has that commit live."""
    last = (
        ImportRun.objects.filter(
            location=location, preview=False,
            status__in=[ImportRun.Status.SUCCEEDED, ImportRun.Status.UNCHANGED],
        )
        .exclude(commit="")
        .order_by("-finished_at")
        .first()
    )  # fmt: skip
    if last is None or last.commit != commit:
        return False
    if last.summary.get("render_version") != render_version:
        return False
    slugs = last.summary.get("courses") or []
    live = Course.objects.filter(slug__in=slugs, live_revision__commit=commit).count()
    return bool(slugs) and live == len(slugs)


def courses_live_commits(*, slugs: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Slug to (commit, content hash) of the live revision."""
    commits: dict[str, tuple[str, str]] = {}
    for course in Course.objects.filter(
        slug__in=list(slugs), live_revision__isnull=False
    ).select_related("live_revision"):
        revision = course.live_revision
        assert revision is not None  # only live courses are read
        commits[course.slug] = (revision.commit, revision.content_hash)
    return commits


class RenderCache(Mapping[str, Rendered]):
    """Rendered lessons already in the database, looked up by the source file's hash.

    The content reader reuses an entry only when its render key matches too, so a changed
    renderer or link target renders the file again.
    """

    def __init__(self) -> None:
        self._seen: dict[str, Rendered | None] = {}

    def __getitem__(self, source_hash: str) -> Rendered:
        if source_hash not in self._seen:
            text = (
                ItemText.objects.filter(source_hash=source_hash)
                .order_by("-id")
                .only("html", "toc", "word_count", "reading_minutes", "render_key")
                .first()
            )
            self._seen[source_hash] = (
                Rendered(
                    html=text.html,
                    toc=tuple(TocEntry(**entry) for entry in text.toc),
                    word_count=text.word_count,
                    reading_minutes=text.reading_minutes,
                    render_key=text.render_key,
                )
                if text
                else None
            )
        rendered = self._seen[source_hash]
        if rendered is None:
            raise KeyError(source_hash)
        return rendered

    def __iter__(self) -> Iterator[str]:
        return iter(key for key, value in self._seen.items() if value is not None)

    def __len__(self) -> int:
        return sum(1 for value in self._seen.values() if value is not None)

    def __bool__(self) -> bool:
        return True  # looked up lazily: empty until asked, but never "no cache"
