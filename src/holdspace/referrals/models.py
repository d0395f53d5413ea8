"""Professional help: the directory of services, and referrals to them that a member agreed to."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from holdspace.core.crypto import EncryptedTextField
from holdspace.messaging.models import Thread
from holdspace.safety.resources import countries
from holdspace.support.models import Topic

MAX_FOLLOW_UP_NOTE_CHARS = 500


def regions() -> list[tuple[str, str]]:
    """The countries people choose from when they sign up, so a region matches their country."""
    return countries()


def validate_topics(value: object) -> None:
    if not isinstance(value, list) or any(topic not in Topic.values for topic in value):
        raise ValidationError(_("Choose topics from the list."))


def validate_languages(value: object) -> None:
    codes = {code for code, _name in settings.LANGUAGES}
    if not isinstance(value, list) or any(code not in codes for code in value):
        raise ValidationError(_("Choose languages from the list."))


class ServiceQuerySet(models.QuerySet["Service"]):
    def search(
        self,
        text: str = "",
        kind: str = "",
        topic: str = "",
        language: str = "",
        region: str = "",
        cost: str = "",
    ) -> ServiceQuerySet:
        """Active services matching every filter given; an empty filter matches everything.

        A service with no topics helps with any topic, and an international one (no region)
        serves every country.
        """
        found = self.filter(active=True)
        for word in text.split():
            found = found.filter(Q(name__icontains=word) | Q(description__icontains=word))
        if kind:
            found = found.filter(kind=kind)
        if topic:
            # Topics and languages are JSON lists of codes; matching the quoted code in the
            # stored JSON text works the same on SQLite and PostgreSQL.
            found = found.filter(Q(topics__icontains=json.dumps(topic)) | Q(topics=[]))
        if language:
            found = found.filter(languages__icontains=json.dumps(language))
        if region:
            found = found.filter(Q(region=region) | Q(region=""))
        if cost:
            found = found.filter(cost=cost)
        return found.order_by("name", "pk")


class Service(models.Model):
    """A place people can turn to for professional help. Admins keep the directory."""

    class Kind(models.TextChoices):
        CRISIS_LINE = "crisis_line", _("Crisis line")
        THERAPIST = "therapist", _("Therapist")
        CLINIC = "clinic", _("Clinic")
        HELPLINE = "helpline", _("Helpline")
        COMMUNITY = "community", _("Community service")
        ONLINE = "online", _("Online service")

    class Cost(models.TextChoices):
        FREE = "free", _("Free")
        LOW_COST = "low_cost", _("Low cost")
        PAID = "paid", _("Paid")
        INSURANCE = "insurance", _("Covered by health insurance")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    topics = models.JSONField(
        _("topics"),
        default=list,
        blank=True,
        validators=[validate_topics],
        help_text=_("None ticked: it helps with anything."),
    )
    languages = models.JSONField(_("languages"), default=list, validators=[validate_languages])
    region = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        choices=regions,
        help_text=_("Empty: international or online, open to people anywhere."),
    )
    cost = models.CharField(_("cost"), max_length=10, choices=Cost.choices)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("address"), blank=True)
    hours = models.CharField(
        _("hours"),
        max_length=200,
        blank=True,
        help_text=_("When it answers, in its own time zone, for example: every day, 24 hours."),
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Only active services are in the directory. Turn this off rather than deleting a "
            "service people were referred to."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels[code]) for code in self.topics if code in labels]

    def language_labels(self) -> list[str]:
        labels = dict(settings.LANGUAGES)
        return [str(labels[code]) for code in self.languages if code in labels]

    @property
    def has_contact(self) -> bool:
        return bool(self.phone or self.website or self.email or self.address)


class Referral(models.Model):
    """A service suggested to the member of a conversation. It is only made once they accept."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("waiting for the member's answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    class FollowUp(models.TextChoices):
        REACHED = "reached", _("Yes, I reached them")
        NOT_YET = "not_yet", _("Not yet")
        DID_NOT_HELP = "did_not_help", _("I did, but it didn't help")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="referrals")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # The member's consent: set when, and only when, they accept.
    consented_at = models.DateTimeField(null=True, blank=True)
    # Set by the background job HOLDSPACE_REFERRAL_FOLLOW_UP_DAYS after acceptance.
    follow_up_due_at = models.DateTimeField(null=True, blank=True)
    follow_up_answer = models.CharField(max_length=15, choices=FollowUp.choices, blank=True)
    follow_up_note = EncryptedTextField(max_length=MAX_FOLLOW_UP_NOTE_CHARS, blank=True)
    follow_up_answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "service"],
                condition=Q(status="proposed"),
                name="one_open_suggestion_per_service_and_thread",
            ),
            models.CheckConstraint(
                condition=Q(status="accepted", consented_at__isnull=False)
                | (~Q(status="accepted") & Q(consented_at__isnull=True)),
                name="referral_made_only_with_consent",
            ),
            models.CheckConstraint(
                condition=Q(follow_up_due_at__isnull=True) | Q(status="accepted"),
                name="follow_up_only_after_acceptance",
            ),
            models.CheckConstraint(
                condition=Q(follow_up_answered_at__isnull=True) | Q(follow_up_due_at__isnull=False),
                name="follow_up_answered_only_when_due",
            ),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk} to {self.service} ({self.get_status_display()})"

    @property
    def is_made(self) -> bool:
        """A referral counts as made only with the member's consent."""
        return self.status == self.Status.ACCEPTED and self.consented_at is not None

    @property
    def follow_up_waiting(self) -> bool:
        return self.follow_up_due_at is not None and self.follow_up_answered_at is None
