"""One-to-one support: a member's request, the conversation a supporter accepts, and feedback."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from holdspace.messaging.models import Thread

MAX_NOTE_CHARS = 500


class Topic(models.TextChoices):
    ANXIETY = "anxiety", _("Anxiety and worry")
    LOW_MOOD = "low_mood", _("Low mood")
    GRIEF = "grief", _("Grief and loss")
    LONELINESS = "loneliness", _("Loneliness")
    RELATIONSHIPS = "relationships", _("Relationships and family")
    STRESS = "stress", _("Stress: work, study, money")
    IDENTITY = "identity", _("Identity and belonging")
    OTHER = "other", _("Something else")


class SupportRequest(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting for a supporter")
        ACCEPTED = "accepted", _("accepted")
        WITHDRAWN = "withdrawn", _("withdrawn")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_requests"
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    # The member's note is the conversation's first message, screened like every other one.
    thread = models.OneToOneField(Thread, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"request {self.pk} ({self.get_status_display()})"


class Conversation(models.Model):
    request = models.OneToOneField(
        SupportRequest, on_delete=models.CASCADE, related_name="conversation"
    )
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    thread = models.OneToOneField(Thread, on_delete=models.PROTECT)
    # The member asked to hear what helped the supporter: the coach allows self-disclosure.
    disclosure_invited = models.BooleanField(default=False)
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"conversation {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class Feedback(models.Model):
    """Whether the member felt heard. Private to the supporter it is about."""

    class FeltHeard(models.TextChoices):
        YES = "yes", _("Yes, I felt heard")
        PARTLY = "partly", _("Partly")
        NO = "no", _("Not really")

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="feedback"
    )
    felt_heard = models.CharField(
        _("did you feel heard?"), max_length=10, choices=FeltHeard.choices
    )
    comment = models.CharField(
        _("anything you want them to know (optional)"), max_length=500, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"feedback on {self.conversation}"
