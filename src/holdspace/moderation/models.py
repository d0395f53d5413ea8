"""Escalations (a member's message screened at high or imminent) and reports of messages."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from holdspace.messaging.models import Message, Thread


class Escalation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        CLOSED = "closed", _("closed")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="escalations")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="escalations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    level = models.PositiveSmallIntegerField()  # holdspace.safety.Level
    score = models.FloatField()
    # [{"name": ..., "level": ..., "evidence": [[start, end], ...]}], spans into the message.
    categories = models.JSONField(default=list)
    third_party = models.BooleanField(default=False)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-level", "-score", "created_at"]

    def __str__(self) -> str:
        return f"escalation {self.pk} ({self.get_status_display()})"


class Report(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    reason = models.CharField(_("what is wrong"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="one_report_per_person")
        ]

    def __str__(self) -> str:
        return f"report {self.pk} ({self.get_status_display()})"
