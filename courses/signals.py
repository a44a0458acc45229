"""Events other parts of the site react to. Sent after the transaction commits."""

from django.dispatch import Signal

# A learner met the course's certificate requirements. Arguments: enrollment.
course_completed = Signal()
