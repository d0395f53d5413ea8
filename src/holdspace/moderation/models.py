"""Escalations (a member's message screened at high or imminent) and reports of messages."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from holdspace.core.crypto import EncryptedTextField
from holdspace.messaging.models import Message, Thread


class Escalation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        CLOSED = "closed", _("closed")

    class Route(models.TextChoices):
        MODERATOR = "moderator", _("moderator on duty")
        # Signs of severe illness, risk to others, and anything imminent.
        PROFESSIONAL = "professional", _("professional and moderator on duty")

    class Outcome(models.TextChoices):
        RESOURCES_GIVEN = "resources_given", _("resources given")
        REFERRED = "referred", _("referred to professional help")
        EMERGENCY_ADVISED = "emergency_advised", _("emergency services advised")
        NO_RISK = "no_risk", _("no risk found")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="escalations")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="escalations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    level = models.PositiveSmallIntegerField()  # holdspace.safety.Level
    score = models.FloatField()
    # [{"name": ..., "level": ..., "evidence": [[start, end], ...]}], spans into the message.
    categories = models.JSONField(default=list)
    third_party = models.BooleanField(default=False)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN)
    route = models.CharField(max_length=15, choices=Route.choices, default=Route.MODERATOR)
    created_at = models.DateTimeField(auto_now_add=True)
    # When it must be acknowledged by: created_at plus the target for its level.
    due_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claimed_escalations",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # How many times it went further up the roster for want of an acknowledgement.
    escalation_steps = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-level", "-score", "created_at"]

    def __str__(self) -> str:
        return f"escalation {self.pk} ({self.get_status_display()})"


class EscalationEvent(models.Model):
    """Every step of a case, timestamped: the response-time report reads these."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        ALERTED = "alerted", _("alerted")
        CLAIMED = "claimed", _("claimed")
        NOTE = "note", _("note written")
        ESCALATED = "escalated", _("escalated for want of acknowledgement")
        CLOSED = "closed", _("closed")

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whom it went to (user ids), or the outcome: never the member's words.
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.escalation} {self.kind}"


class EscalationNote(models.Model):
    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = EncryptedTextField(_("note"))
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at"]

    def __str__(self) -> str:
        return f"note on {self.escalation}"


class DutyShift(models.Model):
    """The on-duty roster: who answers escalations when, in which order."""

    class Role(models.TextChoices):
        MODERATOR = "moderator", _("moderator")
        PROFESSIONAL = "professional", _("professional")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty_shifts"
    )
    role = models.CharField(max_length=15, choices=Role.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # Lower goes first: a case not acknowledged in time goes to the next in this order.
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["starts_at", "position"]

    def __str__(self) -> str:
        return f"{self.person} on duty {self.starts_at:%Y-%m-%d %H:%M}"


class Report(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    # A report is on a message, or on a person (the other side of a conversation).
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="reports_about"
    )
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    reason = models.CharField(_("what is wrong"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="one_report_per_person"),
            models.UniqueConstraint(
                fields=["subject", "reporter"],
                condition=models.Q(message__isnull=True, status="open"),
                name="one_open_report_on_a_person",
            ),
        ]

    def __str__(self) -> str:
        return f"report {self.pk} ({self.get_status_display()})"


class ModerationAction(models.Model):
    """What a moderator did about a person or a message, with the reason the member is shown."""

    class Kind(models.TextChoices):
        HIDE = "hide", _("message hidden")
        WARN = "warn", _("warning")
        MUTE = "mute", _("muted")
        SUSPEND = "suspend", _("suspended")
        BAN = "ban", _("banned")

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_actions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.TextField(_("reason (the member reads this)"))
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL)
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ends_at = models.DateTimeField(null=True, blank=True)  # mute and suspend; a ban does not end
    revoked_at = models.DateTimeField(null=True, blank=True)  # undone on appeal

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.subject}"


class Appeal(models.Model):
    """One appeal an action: the member says why; another moderator decides."""

    action = models.OneToOneField(ModerationAction, on_delete=models.CASCADE, related_name="appeal")
    text = EncryptedTextField(_("why you think this was wrong"))
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    upheld = models.BooleanField(null=True)  # True: the action stands; False: it was undone
    response = models.TextField(_("answer to the member"), blank=True)

    def __str__(self) -> str:
        return f"appeal on {self.action}"
