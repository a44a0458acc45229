"""Admin of universities and cohorts (site staff only, as the whole admin)."""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from courses.models import (
    Cohort,
    CohortExport,
    CohortInvitation,
    CohortMembership,
    CohortMessage,
    CohortUpload,
    Organization,
)

LOGO_MAX_BYTES = 200 * 1024
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


class OrganizationForm(forms.ModelForm):
    logo_file = forms.ImageField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, at most 200 KB; shown at 64 pixels high."),
    )

    class Meta:
        model = Organization
        fields = ["slug", "names", "admins"]

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("The logo is larger than 200 KB."))
        kind = getattr(upload, "image", None) and upload.image.format
        if kind not in LOGO_TYPES:
            raise forms.ValidationError(_("The logo must be a PNG, JPEG or WebP image."))
        upload.seek(0)
        return upload.read(), LOGO_TYPES[kind]

    def save(self, commit=True):
        organization = super().save(commit=False)
        logo = self.cleaned_data.get("logo_file")
        if logo:
            organization.logo, organization.logo_type = logo
            organization.logo_sha256 = hashlib.sha256(logo[0]).hexdigest()
        if commit:
            organization.save()
            self.save_m2m()
        return organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationForm
    list_display = ["slug", "__str__", "created_at"]
    search_fields = ["slug", "names"]
    autocomplete_fields = ["admins"]
    readonly_fields = ["logo_preview"]

    @admin.display(description=_("Current logo"))
    def logo_preview(self, obj):
        if not obj.logo_url:
            return "—"
        return format_html('<img src="{}" alt="" height="64">', obj.logo_url)


class MembershipInline(admin.TabularInline):
    model = CohortMembership
    fields = ["user", "via", "joined_at", "removed_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "course", "starts_on", "ends_on", "join_code"]
    list_filter = ["organization", "course"]
    search_fields = ["name", "join_code"]
    autocomplete_fields = ["instructors", "course"]
    readonly_fields = ["join_code", "invite_token", "created_at"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "course")


@admin.register(CohortInvitation)
class CohortInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "cohort", "created_at", "sent_at", "accepted_at"]
    list_filter = ["cohort"]
    search_fields = ["email", "name"]
    readonly_fields = ["created_at", "sent_at", "accepted_at"]


class RecordAdmin(admin.ModelAdmin):
    """What the cohort pages recorded (uploads, exports, messages): shown, never added here."""

    def has_add_permission(self, request):
        return False


@admin.register(CohortUpload)
class CohortUploadAdmin(RecordAdmin):
    list_display = ["filename", "cohort", "status", "total_rows", "created_at", "applied_at"]
    list_filter = ["status"]
    fields = ["cohort", "uploaded_by", "filename", "encoding", "status", "total_rows",
              "processed_rows", "error", "created_at", "applied_at"]  # fmt: skip
    readonly_fields = fields


@admin.register(CohortExport)
class CohortExportAdmin(RecordAdmin):
    list_display = ["__str__", "cohort", "status", "row_count", "created_at", "finished_at"]
    fields = ["cohort", "requested_by", "language", "status", "row_count", "error",
              "created_at", "finished_at"]  # fmt: skip
    readonly_fields = fields


@admin.register(CohortMessage)
class CohortMessageAdmin(RecordAdmin):
    list_display = ["subject", "cohort", "sender", "sent_count", "recipient_count", "created_at"]
    fields = ["cohort", "sender", "subject", "body", "recipient_count", "sent_count",
              "created_at", "finished_at"]  # fmt: skip
    readonly_fields = fields
