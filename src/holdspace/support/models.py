"""One-to-one support: a member's request, the conversation a supporter accepts, and feedback."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from holdspace.core.crypto import EncryptedTextField
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
    # A hand-over returns the request to the queue: the next supporter's conversation shares
    # the request and its thread, and the one before loses access.
    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="conversations"
    )
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="+")
    # The member asked to hear what helped the supporter: the coach allows self-disclosure.
    disclosure_invited = models.BooleanField(default=False)
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handed_over = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_conversation_per_request",
            )
        ]

    def __str__(self) -> str:
        return f"conversation {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    def other_side(self, user_id: int) -> int | None:
        """The other party's id for one of the two; None for anyone else."""
        sides = {self.member_id: self.supporter_id, self.supporter_id: self.member_id}
        return sides.get(user_id)


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
    comment = EncryptedTextField(
        _("anything you want them to know (optional)"), max_length=500, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"feedback on {self.conversation}"


def _no_topics() -> list[str]:
    return []


class Boundaries(models.Model):
    """What a supporter takes on. Matching honours every field (support.matching)."""

    supporter = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="boundaries"
    )
    # Empty: every topic that is not avoided.
    topics = models.JSONField(_("topics I take"), default=_no_topics, blank=True)
    avoided_topics = models.JSONField(_("topics I avoid"), default=_no_topics, blank=True)
    # Empty: any language of the site.
    languages = models.JSONField(_("languages"), default=_no_topics, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # [[weekday (0 is Monday), "HH:MM", "HH:MM"], ...] in their time zone; empty: any time.
    hours = models.JSONField(_("weekly hours"), default=_no_topics, blank=True)
    max_at_once = models.PositiveSmallIntegerField(
        _("most chats at once"), default=2, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    max_per_day = models.PositiveSmallIntegerField(
        _("most chats a day"), default=4, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    # The supporter's own date on which they switched "not today" on; it lapses at their midnight.
    not_today = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"boundaries of {self.supporter}"


class Block(models.Model):
    """Either side of a conversation can block the other: they are never matched again."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_someone_once")
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocked {self.blocked}"
