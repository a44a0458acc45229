"""Connections between parts of the domain, made in CoursesConfig.ready()."""

from django.dispatch import receiver

from courses.signals import course_completed


@receiver(course_completed, dispatch_uid="certificate-on-completion")
def _request_certificate(sender, enrollment, **kwargs) -> None:
    """A completed course with a certificate asks a worker to issue it."""
    from courses.models import Enrollment
    from courses.services.certificates import certificate_request

    enrollment = Enrollment.objects.select_related("course__live_revision", "user").get(
        pk=enrollment.pk
    )
    revision = enrollment.course.live_revision
    if revision is not None and revision.certificate.get("enabled"):
        certificate_request(enrollment=enrollment)
