from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from holdspace.support.models import MAX_NOTE_CHARS, Boundaries, Feedback, Topic


class SupportRequestForm(forms.Form):
    topic = forms.ChoiceField(label=_("What would you like to talk about?"), choices=Topic.choices)
    language = forms.ChoiceField(label=_("In which language?"), choices=settings.LANGUAGES)
    note = forms.CharField(
        label=_("A few words about how you are (the supporter reads this first)"),
        max_length=MAX_NOTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeedbackForm(forms.ModelForm):
    # No blank choice: the radio buttons are the three answers and nothing else.
    felt_heard = forms.ChoiceField(
        label=_("Did you feel heard?"), choices=Feedback.FeltHeard.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = Feedback
        fields = ["felt_heard", "comment"]


WEEKDAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]


class BoundariesForm(forms.ModelForm):
    """The supporter's limits. Hours: one optional window a weekday, in their own time zone."""

    topics = forms.MultipleChoiceField(
        label=_("Topics I take (none ticked: all that I don't avoid)"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    avoided_topics = forms.MultipleChoiceField(
        label=_("Topics I avoid"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages I support in (none ticked: all)"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    time_zone = forms.ChoiceField(label=_("My time zone"), choices=[])

    class Meta:
        model = Boundaries
        fields = [
            "topics",
            "avoided_topics",
            "languages",
            "time_zone",
            "max_at_once",
            "max_per_day",
        ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["time_zone"].choices = [(zone, zone) for zone in sorted(available_timezones())]
        windows = {day: (start, end) for day, start, end in (self.instance.hours or [])}
        for day, name in enumerate(WEEKDAYS):
            start, end = windows.get(day, (None, None))
            self.fields[f"from{day}"] = forms.TimeField(
                label=_("%(day)s from") % {"day": name},
                required=False,
                initial=start,
                widget=forms.TimeInput(attrs={"type": "time"}),
            )
            self.fields[f"to{day}"] = forms.TimeField(
                label=_("%(day)s until") % {"day": name},
                required=False,
                initial=end,
                widget=forms.TimeInput(attrs={"type": "time"}),
            )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        hours = []
        for day in range(len(WEEKDAYS)):
            start, end = cleaned.get(f"from{day}"), cleaned.get(f"to{day}")
            if start is None and end is None:
                continue
            if start is None or end is None or start >= end:
                self.add_error(f"to{day}", _("Give a start and a later end, or leave both empty."))
                continue
            hours.append([day, start.strftime("%H:%M"), end.strftime("%H:%M")])
        self.instance.hours = hours
        both = set(cleaned.get("topics") or []) & set(cleaned.get("avoided_topics") or [])
        if both:
            self.add_error("avoided_topics", _("A topic cannot be both taken and avoided."))
        return cleaned
