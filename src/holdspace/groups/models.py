"""Group sessions a facilitator runs: scheduling, bookings, the room while it is open."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from holdspace.messaging.models import Thread

# Booked members may come in a little early, to settle.
OPENS_EARLY = timedelta(minutes=5)


class GroupSession(models.Model):
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="facilitated_sessions"
    )
    title = models.CharField(_("title"), max_length=120)
    topic = models.CharField(_("topic"), max_length=120)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length in minutes"), validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(2), MaxValueValidator(50)]
    )
    agreement = models.TextField(
        _("group agreement"), help_text=_("What everyone agrees to, shown before joining.")
    )
    thread = models.OneToOneField(Thread, on_delete=models.PROTECT, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def is_open_at(self, now: datetime) -> bool:
        return self.ended_at is None and self.starts_at - OPENS_EARLY <= now < self.ends_at

    def has_finished_at(self, now: datetime) -> bool:
        return self.ended_at is not None or now >= self.ends_at


class Booking(models.Model):
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="bookings")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings"
    )
    booked_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended_at = models.DateTimeField(null=True, blank=True)  # first time in the open room
    muted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["booked_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="book_a_session_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} at {self.session}"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None
