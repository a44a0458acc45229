from courses.models import Certificate
from courses.models.catalog import revision_text_fields


def certificates_for_learner(*, user) -> list[Certificate]:
    """The learner's certificates, newest first, with their course (one query)."""
    return list(
        Certificate.objects.filter(user=user)
        .select_related("course__live_revision")
        .defer("pdf", "credential", *revision_text_fields("course__live_revision"))
        .order_by("-created_at")
    )
