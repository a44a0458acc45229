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
from courses.models.certificates import Certificate, StatusList
from courses.models.progress import Enrollment, ItemProgress, QuizAttempt
from courses.models.sources import CourseSource, ImportRun, WebhookDelivery

__all__ = [
    "Asset",
    "Certificate",
    "Course",
    "CourseRevision",
    "CourseSource",
    "Enrollment",
    "GlossaryTerm",
    "ImportRun",
    "Item",
    "ItemProgress",
    "ItemText",
    "ItemType",
    "Level",
    "Module",
    "QuizAttempt",
    "RevisionItem",
    "StatusList",
    "WebhookDelivery",
]
