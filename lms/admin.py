from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from lms.models import OutboxTask, OutgoingEmail, User, WorkerHeartbeat


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "language", "is_staff", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["name", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]}),
    ]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["hostname", "seen_at"]
    readonly_fields = ["hostname", "seen_at"]


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(_ReadOnlyAdmin):
    """What workers sent, are still trying to send, or gave up on (bodies are not shown:
    an unsent one may hold a password reset link)."""

    list_display = ["subject", "created_at", "sent_at", "failed_at", "attempts"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter),
                   ("failed_at", admin.EmptyFieldListFilter)]  # fmt: skip
    fields = ["subject", "to", "created_at", "sent_at", "failed_at", "attempts", "last_error"]


@admin.register(OutboxTask)
class OutboxTaskAdmin(_ReadOnlyAdmin):
    list_display = ["task", "args", "created_at", "published_at", "attempts"]
    list_filter = [("published_at", admin.EmptyFieldListFilter), "task"]
    fields = ["task", "args", "created_at", "published_at", "attempts", "last_error"]
