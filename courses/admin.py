from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from courses.models import (
    Certificate,
    Course,
    CourseRevision,
    CourseSource,
    ImportRun,
    StatusList,
    WebhookDelivery,
)
from courses.selectors.sources import source_last_delivery, source_recent_imports
from courses.services.certificates import certificate_retry, certificate_revoke
from courses.services.import_mail import diagnostic_text
from courses.services.webhooks import import_run_request

HISTORY_ROWS = 20  # imports shown on a source's page; the rest are a link away


class PreviewForm(forms.Form):
    ref = forms.CharField(
        label=_("Branch, tag or commit"),
        max_length=255,
        help_text=_("Imported as a preview that only staff can see; the live course stays."),
    )


@admin.register(CourseSource)
class CourseSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "repository_url", "branch", "is_active", "previews", "webhook"]
    readonly_fields = ["webhook", "last_delivery", "course_links", "import_history"]
    filter_horizontal = ["maintainers"]
    fieldsets = [
        (None, {"fields": ["name", "repository_url", "branch", "is_active", "previews"]}),
        (_("Webhook"), {"fields": ["webhook", "secret", "last_delivery"]}),
        (_("People"), {"fields": ["maintainers"]}),
        (_("Courses"), {"fields": ["course_links"]}),
        (_("Import history"), {"fields": ["import_history"]}),
    ]
    actions = ["reimport"]

    class Media:
        css = {"all": ["css/admin_sources.css"]}

    @admin.display(description=_("webhook address"))
    def webhook(self, source: CourseSource) -> str:
        if not source.pk:
            return "-"
        return format_html(
            '<code class="webhook-address">{}</code><div class="help">{}</div>',
            settings.SITE_URL + source.get_webhook_path(),
            gettext(
                "Add it in GitHub, GitLab or Gitea as a webhook for push events, with the "
                "secret below (GitHub: content type application/json)."
            ),
        )

    @admin.display(description=_("last delivery"))
    def last_delivery(self, source: CourseSource) -> str:
        delivery = source_last_delivery(source=source) if source.pk else None
        if delivery is None:
            return gettext("No push has arrived yet.")
        return render_to_string(
            "admin/courses/coursesource/_last_delivery.html",
            {"delivery": delivery, "all_url": reverse("admin:courses_webhookdelivery_changelist")
             + f"?source__id__exact={source.pk}"},
        )  # fmt: skip

    @admin.display(description=_("courses"))
    def course_links(self, source: CourseSource) -> str:
        courses = list(source.courses.order_by("slug")) if source.pk else []
        if not courses:
            return gettext("None imported yet.")
        return format_html(
            '<ul class="source-courses">{}</ul>',
            format_html_join(
                "", '<li><a href="{}">{}</a> · <a href="{}">{}</a></li>',
                ((c.get_absolute_url(), c.slug, _translations_url(c), gettext("translations"))
                 for c in courses),
            ),
        )  # fmt: skip

    @admin.display(description=_("import history"))
    def import_history(self, source: CourseSource) -> str:
        if not source.pk:
            return "-"
        return render_to_string(
            "admin/courses/coursesource/_import_history.html",
            {"runs": source_recent_imports(source=source, limit=HISTORY_ROWS),
             "all_url": reverse("admin:courses_importrun_changelist")
             + f"?source__id__exact={source.pk}"},
        )  # fmt: skip

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
            path(
                "<int:pk>/reimport/",
                self.admin_site.admin_view(require_POST(self.reimport_view)),
                name="courses_coursesource_reimport",
            ),
            *super().get_urls(),
        ]

    def reimport_view(self, request, pk: int):
        """The "Re-import now" button of a source's page: queue an import of its branch."""
        source = get_object_or_404(CourseSource, pk=pk)
        if not self.has_change_permission(request, source):
            return redirect("admin:index")
        run = import_run_request(source=source, requested_by=request.user.email)
        self.message_user(
            request,
            gettext("Import of %(branch)s queued; it appears in the history below.")
            % {"branch": run.ref},
            messages.SUCCESS,
        )
        return redirect("admin:courses_coursesource_change", source.pk)

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


def _translations_url(course: Course) -> str:
    return reverse("courses:translations", kwargs={"slug": course.slug})


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
    list_display = ["slug", "source", "live_revision", "created_at", "translations"]
    search_fields = ["slug"]
    readonly_fields = ["slug", "live_revision", "created_at", "translations"]
    inlines = [RevisionInline]

    @admin.display(description=_("translation status"))
    def translations(self, course: Course) -> str:
        if not course.pk:
            return "-"
        return format_html('<a href="{}">{}</a>', _translations_url(course),
                           gettext("Translation status"))  # fmt: skip


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["received_at", "source", "host", "event", "ref", "commit", "outcome",
                    "forced", "reason"]  # fmt: skip
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
