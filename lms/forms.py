from django import forms
from django.utils.translation import gettext_lazy as _

from lms.models import User


class SignupForm(forms.Form):
    """Extra sign-up fields, added to allauth's email and password fields."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=_("As it should appear on your certificates."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request, user) -> None:
        user.name = self.cleaned_data["name"].strip()
        user.save(update_fields=["name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language"]
        labels = {"name": _("Full name"), "language": _("Preferred language")}
        widgets = {"name": forms.TextInput(attrs={"autocomplete": "name"})}


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Say where you will use it, for example “my university's system”."),
    )
