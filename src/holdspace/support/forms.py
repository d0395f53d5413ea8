from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from holdspace.support.models import MAX_NOTE_CHARS, Feedback, Topic


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
