"""Who is certified, until when, and what is left to (re)certify. The gate matching calls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.training.models import Certification, Module, QuizAttempt

CERTIFICATION_PERIOD = timedelta(days=365)
# From this long before expiry, passing the required quizzes again renews the certification.
RENEWAL_WINDOW = timedelta(days=60)


@dataclass(frozen=True)
class CertificationStatus:
    certified: bool
    expires_at: datetime | None
    renewal_open: bool  # expiry is near (or past): the quizzes passed from now on renew it
    modules_left: list[Module]  # required modules still to pass in this round


def is_certified(user: User, at: datetime | None = None) -> bool:
    at = at or timezone.now()
    return Certification.objects.filter(user=user, certified_at__lte=at, expires_at__gt=at).exists()


def certified_user_ids(at: datetime | None = None) -> set[int]:
    at = at or timezone.now()
    return set(
        Certification.objects.filter(certified_at__lte=at, expires_at__gt=at).values_list(
            "user_id", flat=True
        )
    )


def status_of(user: User, now: datetime | None = None) -> CertificationStatus:
    now = now or timezone.now()
    latest = Certification.objects.filter(user=user).order_by("-expires_at").first()
    certified = latest is not None and latest.certified_at <= now < latest.expires_at
    renewal_open = latest is not None and now >= latest.expires_at - RENEWAL_WINDOW
    return CertificationStatus(
        certified=certified,
        expires_at=latest.expires_at if latest else None,
        renewal_open=renewal_open,
        modules_left=modules_left(user, _round_start(latest)),
    )


def modules_left(user: User, since: datetime | None) -> list[Module]:
    passed = QuizAttempt.objects.filter(user=user, passed=True)
    if since is not None:
        passed = passed.filter(submitted_at__gte=since)
    done = set(passed.values_list("module_id", flat=True))
    return [module for module in Module.objects.filter(required=True) if module.pk not in done]


def certify_if_complete(user: User, now: datetime) -> Certification | None:
    """After a pass: certify when every required module is passed in the current round."""
    latest = Certification.objects.filter(user=user).order_by("-expires_at").first()
    if latest is not None and now < latest.expires_at - RENEWAL_WINDOW:
        return None  # certified and not yet due: nothing to renew
    if not Module.objects.filter(required=True).exists():
        return None
    if modules_left(user, _round_start(latest)):
        return None
    # A renewal in time runs on from the current expiry, so renewing early loses nothing.
    start = latest.expires_at if latest is not None and latest.expires_at > now else now
    return Certification.objects.create(
        user=user, certified_at=now, expires_at=start + CERTIFICATION_PERIOD
    )


def _round_start(latest: Certification | None) -> datetime | None:
    return latest.expires_at - RENEWAL_WINDOW if latest is not None else None
