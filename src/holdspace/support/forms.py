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
    class Meta:
        model = Feedback
        fields = ["felt_heard", "comment"]
        widgets = {"felt_heard": forms.RadioSelect}
