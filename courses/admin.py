from django import forms
from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.models import (
    Certificate,
    Course,
    CourseRevision,
    CourseSource,
    ImportRun,
    StatusList,
    WebhookDelivery,
)
from courses.services.certificates import certificate_retry, certificate_revoke
from courses.services.webhooks import import_run_request


def diagnostic_text(diagnostic: dict) -> str:
    """A stored diagnostic in the reader's language: PATH:LINE:COL: CODE: message (hint)."""
    template, params = diagnostic.get("template"), diagnostic.get("params") or {}
    message = gettext(template) % params if template else diagnostic.get("message", "")
    hint_template = diagnostic.get("hint_template")
    hint = gettext(hint_template) % params if hint_template else diagnostic.get("hint")
    text = f"{diagnostic['path']}:{diagnostic['line']}:{diagnostic['col']}: "
    text += f"{diagnostic['code']}: {message}"
    return f"{text} ({hint})" if hint else text


class ImportRunInline(admin.TabularInline):
    model = ImportRun
    fields = ["created_at", "status", "trigger", "ref", "commit_short", "commit_author",
              "duration_ms", "problems", "detail"]  # fmt: skip
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-created_at"]
    verbose_name_plural = _("Import history")

    @admin.display(description=_("commit"))
    def commit_short(self, run: ImportRun) -> str:
        return run.commit[:10]

    @admin.display(description=_("problems"))
    def problems(self, run: ImportRun) -> str:
        return gettext("%(errors)d errors, %(warnings)d warnings") % {
            "errors": run.error_count,
            "warnings": run.warning_count,
        }

    @admin.display(description="")
    def detail(self, run: ImportRun) -> str:
        url = reverse("admin:courses_importrun_change", args=[run.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Details"))


class PreviewForm(forms.Form):
    ref = forms.CharField(
        label=_("Branch, tag or commit"),
        max_length=255,
        help_text=_("Imported as a preview that only staff can see; the live course stays."),
    )


@admin.register(CourseSource)
class CourseSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "repository_url", "branch", "is_active", "webhook"]
    readonly_fields = ["webhook"]
    inlines = [ImportRunInline]
    actions = ["reimport"]

    @admin.display(description=_("webhook address"))
    def webhook(self, source: CourseSource) -> str:
        if not source.pk:
            return "-"
        return format_html("<code>{}</code>", source.get_webhook_path())

    @admin.action(description=_("Re-import now"))
    def reimport(self, request, queryset):
        for source in queryset:
            import_run_request(source=source, requested_by=request.user.email)
        self.message_user(
            request,
            gettext("Imports queued: %(count)d. They appear in each source's history.")
            % {"count": queryset.count()},
            messages.SUCCESS,
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="courses_coursesource_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk: int):
        source = get_object_or_404(CourseSource, pk=pk)
        if not self.has_change_permission(request, source):
            return redirect("admin:index")
        form = PreviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            run = import_run_request(
                source=source,
                ref=form.cleaned_data["ref"],
                preview=True,
                requested_by=request.user.email,
            )
            self.message_user(
                request,
                gettext("Preview of %(ref)s queued.") % {"ref": run.ref},
                messages.SUCCESS,
            )
            return redirect("admin:courses_importrun_change", run.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Preview a branch or commit of %(source)s") % {"source": source},
            "form": form,
            "source": source,
            "opts": self.model._meta,
        }
        return render(request, "admin/courses/coursesource/preview.html", context)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "source", "location", "status", "preview", "trigger",
                    "commit_short", "commit_author", "duration_ms"]  # fmt: skip
    list_filter = ["status", "preview", "trigger", "source"]
    search_fields = ["commit", "location", "commit_author", "ref"]
    readonly_fields = ["source", "location", "ref", "preview", "trigger", "status", "commit",
                       "commit_author", "commit_message", "committed_at", "requested_by",
                       "created_at", "started_at", "finished_at", "duration_ms", "summary",
                       "problem_list", "previews"]  # fmt: skip
    exclude = ["diagnostics"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("commit"))
    def commit_short(self, run: ImportRun) -> str:
        return run.commit[:10]

    @admin.display(description=_("problems"))
    def problem_list(self, run: ImportRun) -> str:
        if not run.diagnostics:
            return gettext("None")
        return format_html(
            '<ul class="import-problems">{}</ul>',
            format_html_join(
                "", "<li><strong>{}</strong> <code>{}</code></li>",
                ((d["severity"], diagnostic_text(d)) for d in run.diagnostics),
            ),
        )  # fmt: skip

    @admin.display(description=_("revisions"))
    def previews(self, run: ImportRun) -> str:
        revisions = run.revisions.select_related("course")
        if not revisions:
            return "-"
        return format_html_join(
            ", ", '<a href="{}">{}</a>',
            ((_revision_url(r), f"{r.course.slug}@{r.commit[:10]}") for r in revisions),
        )  # fmt: skip


def _revision_url(revision: CourseRevision) -> str:
    if revision.is_preview:
        return reverse(
            "courses:preview-course", kwargs={"slug": revision.course.slug, "revision": revision.pk}
        )
    return revision.course.get_absolute_url()


class RevisionInline(admin.TabularInline):
    model = CourseRevision
    fields = ["created_at", "commit", "ref", "is_preview", "content_hash", "open"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False

    @admin.display(description="")
    def open(self, revision: CourseRevision) -> str:
        label = gettext("Open preview") if revision.is_preview else gettext("Open")
        return format_html('<a href="{}">{}</a>', _revision_url(revision), label)


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["slug", "source", "live_revision", "created_at"]
    search_fields = ["slug"]
    readonly_fields = ["slug", "live_revision", "created_at"]
    inlines = [RevisionInline]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["received_at", "source", "host", "event", "ref", "commit", "outcome"]
    list_filter = ["host", "outcome", "source"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, help_text=_("Shown on the public verification page.")
    )


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["public_id", "learner_name", "course", "status", "language", "issued_at",
                    "attempts"]  # fmt: skip
    list_filter = ["status", "course", "language"]
    search_fields = ["public_id", "learner_name", "user__email"]
    readonly_fields = [f.name for f in Certificate._meta.fields if f.name != "pdf"] + ["open"]
    exclude = ["pdf"]
    actions = ["retry", "revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("verification page"))
    def open(self, certificate: Certificate) -> str:
        return format_html('<a href="{}">{}</a>', certificate.get_absolute_url(),
                           certificate.get_absolute_url())  # fmt: skip

    @admin.action(description=_("Retry issuing the selected certificates"))
    def retry(self, request, queryset):
        for certificate in queryset.filter(
            status__in=[Certificate.Status.FAILED, Certificate.Status.PENDING]
        ):
            certificate_retry(certificate=certificate)
        self.message_user(request, gettext("Issuing queued again."), messages.SUCCESS)

    @admin.action(description=_("Revoke the selected certificates"))
    def revoke(self, request, queryset):
        if "apply" in request.POST:
            form = RevokeForm(request.POST)
            if form.is_valid():
                for certificate in queryset:
                    certificate_revoke(certificate=certificate, reason=form.cleaned_data["reason"])
                self.message_user(
                    request,
                    gettext("Revoked: %(count)d.") % {"count": queryset.count()},
                    messages.SUCCESS,
                )
                return None
        else:
            form = RevokeForm()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Revoke certificates"),
            "form": form,
            "certificates": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return render(request, "admin/courses/certificate/revoke.html", context)


@admin.register(StatusList)
class StatusListAdmin(admin.ModelAdmin):
    list_display = ["name", "size", "updated_at"]
    readonly_fields = ["name", "size", "credential", "updated_at"]


from courses import admin_cohorts  # noqa: E402, F401 - registers the cohort models
