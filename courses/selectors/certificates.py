from courses.models import Certificate


def certificates_for_learner(*, user) -> list[Certificate]:
    """The learner's certificates, newest first, with their course (one query)."""
    return list(
        Certificate.objects.filter(user=user)
        .select_related("course__live_revision")
        .defer("pdf", "credential")
        .order_by("-created_at")
    )
