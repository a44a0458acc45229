"""Forms of the cohort pages. Every message is translated; every field has a label."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.db.models.functions import Lower
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from courses.models import Cohort, Course
from courses.services.cohorts import CohortFields
from courses.services.roster_csv import MAX_BYTES
from lms.models import User


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Course) -> str:
        return obj.live_revision.title_in(get_language())[0] if obj.live_revision else obj.slug


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CohortForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("cohort", "Name"), max_length=200,
                           help_text=_("For example “BSc Informatics, spring 2027”."))  # fmt: skip
    course = CourseChoiceField(
        label=_("Course"),
        queryset=Course.objects.filter(live_revision__isnull=False).select_related("live_revision"),
    )
    language = forms.ChoiceField(
        label=_("Language of invitations"),
        choices=settings.LANGUAGES,
        help_text=_("People without an account are invited in this language."),
    )
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=DateInput())
    certificate_deadline = forms.DateField(
        label=_("Certificate deadline"),
        required=False,
        widget=DateInput(),
        help_text=_("Certificates of courses completed by this day carry the university's name."),
    )
    join_expires_at = forms.DateTimeField(
        label=_("Joining closes"), required=False, widget=DateTimeInput(),
        help_text=_("After this moment the join code and the invite link stop working."),
    )  # fmt: skip
    seat_limit = forms.IntegerField(
        label=_("Seats"), required=False, min_value=1, max_value=100_000,
        help_text=_("How many people may join by code or link. Empty: no limit."),
    )  # fmt: skip
    instructors = forms.CharField(
        label=_("Instructors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Their e-mail addresses, one per line. They need an account on this site."),
    )

    @classmethod
    def for_cohort(cls, cohort: Cohort, **kwargs) -> CohortForm:
        emails = "\n".join(cohort.instructors.order_by("email").values_list("email", flat=True))
        initial = {name: getattr(cohort, name) for name in CohortFields.__dataclass_fields__}
        return cls(initial={**initial, "instructors": emails}, **kwargs)

    def clean_instructors(self) -> list[User]:
        emails = [e.lower() for e in re.split(r"[\s,;]+", self.cleaned_data["instructors"]) if e]
        users = list(User.objects.annotate(lower=Lower("email")).filter(lower__in=emails))
        missing = sorted(set(emails) - {u.email.lower() for u in users})
        if missing:
            raise forms.ValidationError(
                _("No account has the address %(emails)s. Ask them to sign up first."),
                params={"emails": ", ".join(missing)},
            )
        return users

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The cohort cannot end before it starts."))
        return data

    def fields_value(self) -> CohortFields:
        data = self.cleaned_data
        return CohortFields(**{name: data[name] for name in CohortFields.__dataclass_fields__})


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Join code"),
        max_length=20,
        help_text=_("Your instructor gives you this code, for example K7M2QX4P."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One e-mail address per row; a name in the next column if you like. "
            "A header row is optional. UTF-8 is best; Windows-1251 is read too."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 2 MB. Split it into smaller files.")
            )
        return upload


class CohortMessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 8}))  # fmt: skip
