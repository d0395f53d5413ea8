"""Threads and their messages: the one place every room, chat and session keeps what was said."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from holdspace.core.crypto import EncryptedTextField

MAX_MESSAGE_CHARS = 4_000


class Thread(models.Model):
    """The message stream of a room, a one-to-one conversation or a group session."""

    class Kind(models.TextChoices):
        ROOM = "room", _("room")
        SUPPORT = "support", _("one-to-one conversation")
        SESSION = "session", _("group session")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The sequence number of the newest message. Posting takes a row lock on the thread, so
    # numbers are given out in commit order: a client that has seen n has seen all before n.
    last_seq = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class Message(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("message")
        NOTICE = "notice", _("notice")  # Holdspace speaking: "Robin invited experience sharing"
        PROMPT = "prompt", _("prompt")  # a facilitator's check-in or check-out round

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="messages"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    body = EncryptedTextField(max_length=MAX_MESSAGE_CHARS)
    # Chosen by the sender's client: a resend after a lost acknowledgement is not a second copy.
    client_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The screening of a member's message; null where nothing was screened or screening failed.
    risk_level = models.PositiveSmallIntegerField(null=True, blank=True)
    risk_score = models.FloatField(null=True, blank=True)
    screening_failed = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ["thread", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "seq"], name="one_message_per_seq"),
            models.UniqueConstraint(
                fields=["author", "client_id"],
                condition=~Q(client_id=""),
                name="one_message_per_client_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.thread} #{self.seq}"


class Reaction(models.Model):
    """ "I hear you": the one reaction there is. A count, never a score."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="one_reaction_per_person")
        ]

    def __str__(self) -> str:
        return f"heard {self.message}"


class CoachEvent(models.Model):
    """What the coach stopped or what a supporter sent anyway. Flag codes only, never the draft."""

    class Outcome(models.TextChoices):
        HELD = "held", _("held by a block")
        SENT_ANYWAY = "sent_anyway", _("sent after a warning")
        CONTACT_HELD = "contact_held", _("contact details held back")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="coach_events")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    flag_codes = models.JSONField(default=list)
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} in {self.thread}"
