from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

DISPLAY_NAME_MAX_LENGTH = 40


class User(AbstractUser):
    """A person in the community. Others only ever see the pseudonymous display name."""

    display_name = models.CharField(
        _("display name"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text=_("The name others see. It does not need to be your real name."),
    )

    # Which crisis lines to show first. Blank: the international directory.
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        help_text=_("So that Holdspace can show you the crisis lines where you are."),
    )

    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("display_name"), name="unique_display_name_any_case"),
        ]
        # What each role may do; accounts.roles groups them. Later apps check these.
        permissions = [
            ("seek_support", "Can join rooms, ask for one-to-one support and book sessions"),
            ("offer_support", "Can answer one-to-one support requests"),
            ("facilitate_sessions", "Can schedule and run group sessions"),
            ("moderate_community", "Can act on reports and watch the escalation queue"),
            ("take_referrals", "Can take referrals and high-risk escalations"),
            ("administer_community", "Can configure rooms, resources, curriculum and policies"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username


class ConsentText(models.Model):
    """A versioned text people agree to. A new version asks everyone concerned again."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("what peer support is, its limits, and your data")
        SUPPORTER = "supporter", _("supporter code of conduct")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField()
    body = models.TextField(_("text (Markdown)"))
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="one_text_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class Consent(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="consents")
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "text"], name="consent_once")]

    def __str__(self) -> str:
        return f"{self.user} agreed to {self.text}"
