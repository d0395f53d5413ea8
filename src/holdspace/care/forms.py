from django import forms
from django.utils.translation import gettext_lazy as _

from holdspace.care.models import Debrief
from holdspace.care.wellbeing import ITEMS, SCALE


class DebriefForm(forms.ModelForm):
    class Meta:
        model = Debrief
        fields = ["reflection", "wants_to_talk"]
        widgets = {"reflection": forms.Textarea(attrs={"rows": 3})}


class WellbeingForm(forms.Form):
    """WHO-5: the five statements, each answered on the scale's six steps."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for number, item in enumerate(ITEMS):
            self.fields[f"item{number}"] = forms.TypedChoiceField(
                label=item, choices=SCALE, coerce=int, widget=forms.RadioSelect
            )

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"item{number}"] for number in range(len(ITEMS))]


class BreakForm(forms.Form):
    confirm = forms.BooleanField(label=_("Take a 15-minute break"), required=False)
