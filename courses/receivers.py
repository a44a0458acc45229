"""Connections between parts of the domain, made in CoursesConfig.ready()."""

from allauth.account.signals import email_confirmed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from courses.rules import certificate_offered
from courses.signals import course_completed

COHORT_ROLES_SESSION_KEY = "cohort_roles"


@receiver(course_completed, dispatch_uid="certificate-on-completion")
def _request_certificate(sender, enrollment, **kwargs) -> None:
    """A completed course with a certificate asks a worker to issue it."""
    from courses.models import Enrollment
    from courses.services.certificates import certificate_request

    enrollment = Enrollment.objects.select_related("course__live_revision", "user").get(
        pk=enrollment.pk
    )
    revision = enrollment.course.live_revision
    if revision is not None and certificate_offered(revision.certificate):
        certificate_request(enrollment=enrollment)


@receiver(email_confirmed, dispatch_uid="cohort-invitations-on-confirmation")
def _accept_invitations_on_confirmation(sender, request, email_address, **kwargs) -> None:
    """Someone confirmed an address a university invited: enrol them in its cohorts."""
    from courses.services.cohorts import cohort_invitations_accept

    cohort_invitations_accept(user=email_address.user, email=email_address.email)


@receiver(user_logged_in, dispatch_uid="cohort-roles-on-login")
def _cohort_roles_on_login(sender, request, user, **kwargs) -> None:
    """Accept invitations to any confirmed address (an invitation may arrive after the account
    was made) and remember whether the account menu should offer the cohort pages, so that
    ordinary pages need no query for it."""
    from allauth.account.models import EmailAddress

    from courses.selectors.cohort_access import cohort_roles
    from courses.services.cohorts import cohort_invitations_accept

    for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
        "email", flat=True
    ):
        cohort_invitations_accept(user=user, email=email)
    if request is not None and hasattr(request, "session"):
        request.session[COHORT_ROLES_SESSION_KEY] = cohort_roles(user=user)
