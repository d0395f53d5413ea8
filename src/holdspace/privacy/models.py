from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from holdspace.messaging.models import Thread


class AccessLog(models.Model):
    """Someone opened a conversation they are not a party to: who, when, and why."""

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    thread = models.ForeignKey(Thread, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("why"), max_length=200)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.viewer} viewed {self.thread} ({self.reason})"
