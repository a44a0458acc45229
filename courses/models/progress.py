"""What learners did: enrolments, progress per item and quiz attempts.

Progress points at `Item` (course slug + item id), never at a revision or a language, so
re-imports and language switches keep it.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Enrollment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="enrollments",
    )
    course = models.ForeignKey(
        "courses.Course",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="enrollments",
    )
    created_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    last_item = models.ForeignKey(
        "courses.Item", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrollment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.course_id}"


class ItemProgress(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="progress")
    item = models.ForeignKey("courses.Item", on_delete=models.CASCADE, related_name="progress")
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    best_score = models.PositiveSmallIntegerField(_("best score"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), default=False)
    attempt_count = models.PositiveIntegerField(_("attempts"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "item"], name="progress_unique"),
            models.CheckConstraint(
                condition=Q(best_score__isnull=True) | Q(best_score__lte=100),
                name="progress_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id}:{self.item_id}"


class QuizAttempt(models.Model):
    """One submitted attempt, graded on the server with the answer key of its revision.

    ``number`` counts attempts per learner and quiz; with ``max_attempts`` copied from the quiz
    at submission, the database itself refuses a duplicate or an attempt over the limit.
    """

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attempts")
    item = models.ForeignKey("courses.Item", on_delete=models.CASCADE, related_name="attempts")
    revision = models.ForeignKey(
        "courses.CourseRevision", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    number = models.PositiveIntegerField(_("attempt"))
    max_attempts = models.PositiveIntegerField(_("attempts allowed"), default=0)
    answers = models.JSONField(_("answers"), default=dict)
    results = models.JSONField(_("results"), default=dict)
    score = models.PositiveSmallIntegerField(_("score"))
    passed = models.BooleanField(_("passed"))
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    # Not a field: the quiz's title, set by `courses.selectors.dashboard` for the dashboard.
    quiz_title: str

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "item", "number"], name="attempt_unique_number"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="attempt_number_positive"),
            models.CheckConstraint(
                condition=Q(max_attempts=0) | Q(number__lte=F("max_attempts")),
                name="attempt_within_limit",
            ),
            models.CheckConstraint(condition=Q(score__lte=100), name="attempt_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id}:{self.item_id}#{self.number}"
