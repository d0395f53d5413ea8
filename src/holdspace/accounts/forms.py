from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User
from holdspace.safety.resources import countries


def country_choices() -> list[tuple[str, str]]:
    return [("", _("Somewhere else, or I'd rather not say")), *countries()]


class SignUpForm(BaseUserCreationForm):
    country = forms.ChoiceField(
        label=_("Country"),
        choices=country_choices,
        required=False,
        help_text=_("So that Holdspace can show you the crisis lines where you are."),
    )
    volunteer = forms.BooleanField(
        label=_("I'd like to train as a peer supporter"),
        required=False,
        help_text=_("You can support others once you have completed the training."),
    )
    agree = forms.BooleanField(
        label=_("I have read what Holdspace is and is not, and I agree"),
        required=True,
    )

    class Meta:
        model = User
        fields = ["username", "display_name", "country"]
        help_texts = {
            "username": _("For logging in only; nobody else sees it."),
        }

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Choose a name others will see."))
        if User.objects.filter(display_name__iexact=name).exists():
            raise forms.ValidationError(_("Someone already uses this name. Try another."))
        return name
