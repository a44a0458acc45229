from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from courses.credentials.names import MAX_NAME_LENGTH, name_collapse, name_has_unprintable
from lms.models import User


class LearnerNameField(forms.CharField):
    """A learner's name as certificates print it: whitespace runs (line breaks and tabs
    too) become one space; a control or invisible character is refused; at most 150
    characters once collapsed."""

    default_error_messages = {
        "unprintable": _(
            "The name contains an invisible or control character. Please type it again."
        ),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", MAX_NAME_LENGTH)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "name"}))
        super().__init__(**kwargs)

    def to_python(self, value) -> str:
        text = super().to_python(value)
        assert text is not None  # None only for a field whose empty_value is None
        return name_collapse(text)

    def validate(self, value: str) -> None:
        super().validate(value)
        if name_has_unprintable(value):
            raise forms.ValidationError(self.error_messages["unprintable"], code="unprintable")


class SignupForm(forms.Form):
    """Extra sign-up fields, added to allauth's email and password fields."""

    name = LearnerNameField(
        label=_("Full name"), help_text=_("As it should appear on your certificates.")
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])


class ProfileForm(forms.ModelForm):
    name = LearnerNameField(
        label=_("Full name"), required=False, help_text=User._meta.get_field("name").help_text
    )

    class Meta:
        model = User
        fields = ["name", "language"]
        labels = {"language": _("Preferred language")}


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Say where you will use it, for example “my university's system”."),
    )
