"""Supporter self-care: breaks, debriefs after crisis conversations, wellbeing check-ins.

What a supporter writes here is private to them: coordinators see aggregates only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from holdspace.core.crypto import EncryptedTextField


class Break(models.Model):
    class Reason(models.TextChoices):
        CHOSEN = "chosen", _("taken by choice")
        LONG_TIME = "long_time", _("offered after a long time in chats")
        AFTER_CRISIS = "after_crisis", _("required after a crisis conversation")

    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="breaks"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    started_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"break of {self.supporter} until {self.ends_at:%H:%M}"


class Debrief(models.Model):
    """Prompted after a conversation that reached high or imminent risk."""

    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="debriefs"
    )
    conversation = models.ForeignKey(
        "support.Conversation", on_delete=models.CASCADE, related_name="debriefs"
    )
    prompted_at = models.DateTimeField(auto_now_add=True)
    reflection = EncryptedTextField(_("a few words on how that was for you"), blank=True)
    wants_to_talk = models.BooleanField(
        _("I'd like to talk it through with a moderator"), default=False
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-prompted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["supporter", "conversation"], name="one_debrief_per_conversation"
            )
        ]

    def __str__(self) -> str:
        return f"debrief {self.pk}"


class WellbeingCheckIn(models.Model):
    """The WHO-5 Well-Being Index: five answers from 0 to 5, a score from 0 to 100."""

    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellbeing_checkins"
    )
    answers = models.JSONField()
    score = models.PositiveSmallIntegerField()  # raw 0-25 times 4
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"check-in {self.pk}"
