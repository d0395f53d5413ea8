from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from holdspace.groups.models import GroupSession


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = GroupSession
        fields = ["title", "topic", "starts_at", "duration_minutes", "capacity", "agreement"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "agreement": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_starts_at(self) -> object:
        starts_at = self.cleaned_data["starts_at"]
        if starts_at <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future."))
        return starts_at
