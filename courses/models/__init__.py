from courses.models.catalog import (
    Asset,
    Course,
    CourseRevision,
    GlossaryTerm,
    Item,
    ItemText,
    ItemType,
    Level,
    Module,
    RevisionItem,
)
from courses.models.certificates import Certificate, HolderChallenge, StatusList
from courses.models.cohorts import (
    Cohort,
    CohortExport,
    CohortInvitation,
    CohortMembership,
    CohortMessage,
    CohortMessageDelivery,
    CohortUpload,
    Job,
    Organization,
)
from courses.models.idempotency import IdempotentRequest
from courses.models.labs import LabChallenge
from courses.models.progress import Enrollment, ItemProgress, QuizAttempt
from courses.models.search import SearchEntry
from courses.models.sources import CourseSource, ImportRun, WebhookDelivery

__all__ = [
    "Asset",
    "Certificate",
    "Cohort",
    "CohortExport",
    "CohortInvitation",
    "CohortMembership",
    "CohortMessage",
    "CohortMessageDelivery",
    "CohortUpload",
    "Course",
    "CourseRevision",
    "CourseSource",
    "Enrollment",
    "GlossaryTerm",
    "HolderChallenge",
    "IdempotentRequest",
    "ImportRun",
    "Item",
    "ItemProgress",
    "ItemText",
    "ItemType",
    "Job",
    "LabChallenge",
    "Level",
    "Module",
    "Organization",
    "QuizAttempt",
    "RevisionItem",
    "SearchEntry",
    "StatusList",
    "WebhookDelivery",
]
