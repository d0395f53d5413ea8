from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from holdspace.referrals.models import MAX_FOLLOW_UP_NOTE_CHARS, Referral, Service, regions
from holdspace.support.models import Topic


def _any(label: str, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", label), *choices]


class DirectoryForm(forms.Form):
    """The directory's search: every field optional, sent by GET so a search is a link."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_any(_("Any kind"), Service.Kind.choices)
    )
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=_any(_("Any topic"), Topic.choices)
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=_any(_("Any language"), settings.LANGUAGES)
    )
    region = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=lambda: _any(_("Anywhere"), regions()),
        help_text=_("International and online services are always included."),
    )
    cost = forms.ChoiceField(
        label=_("Cost"), required=False, choices=_any(_("Any cost"), Service.Cost.choices)
    )


class ServiceAdminForm(forms.ModelForm):
    """Topics and languages as boxes to tick, and a plain word for an international service."""

    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: it helps with anything."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    region = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=lambda: _any(_("International or online"), regions()),
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "kind",
            "description",
            "topics",
            "languages",
            "region",
            "cost",
            "phone",
            "website",
            "email",
            "address",
            "hours",
            "active",
        ]


class ProposeForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.filter(active=True)
    )


class FollowUpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Did you manage to reach them?"),
        choices=Referral.FollowUp.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anything you'd like to add (optional)"),
        help_text=_("The people supporting you in this conversation can read your answer."),
        max_length=MAX_FOLLOW_UP_NOTE_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def follow_up_form(referral: Referral, data: object = None) -> FollowUpForm:
    """The check-in asks about the service by name."""
    # Several check-ins can wait on one page: each form's ids are its own.
    form = FollowUpForm(data, auto_id=f"follow-up-{referral.pk}-%s")  # type: ignore[arg-type]
    form.fields["answer"].label = _("Did you manage to reach %(service)s? How did it go?") % {
        "service": referral.service.name
    }
    return form
