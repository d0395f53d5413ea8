"""How long things are kept, and the purge that enforces it (with a dry run)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from holdspace.messaging.models import CoachEvent, Message
from holdspace.moderation.models import Escalation, Report
from holdspace.privacy.models import AccessLog


@dataclass(frozen=True)
class Purge:
    what: str
    keep_days: int
    count: int


def _plan(now: datetime) -> list[tuple[str, int, QuerySet]]:  # type: ignore[type-arg]
    days: dict[str, int] = settings.HOLDSPACE_RETENTION_DAYS
    escalation_cutoff = now - timedelta(days=days["escalations"])
    message_cutoff = now - timedelta(days=days["messages"])
    # A message an escalation points at is part of the safety record: kept as long as it is.
    kept_for_safety = Escalation.objects.filter(created_at__gte=escalation_cutoff).values(
        "message_id"
    )
    return [
        (
            "escalations (with their notes and timeline)",
            days["escalations"],
            Escalation.objects.filter(created_at__lt=escalation_cutoff),
        ),
        (
            "messages",
            days["messages"],
            Message.objects.filter(created_at__lt=message_cutoff).exclude(pk__in=kept_for_safety),
        ),
        (
            "reports",
            days["reports"],
            Report.objects.filter(created_at__lt=now - timedelta(days=days["reports"])),
        ),
        (
            "coach records",
            days["coach_events"],
            CoachEvent.objects.filter(created_at__lt=now - timedelta(days=days["coach_events"])),
        ),
        (
            "access log",
            days["access_log"],
            AccessLog.objects.filter(at__lt=now - timedelta(days=days["access_log"])),
        ),
    ]


def dry_run(now: datetime | None = None) -> list[Purge]:
    return [Purge(what, keep, query.count()) for what, keep, query in _plan(now or timezone.now())]


@transaction.atomic
def purge(now: datetime | None = None) -> list[Purge]:
    done = []
    for what, keep, query in _plan(now or timezone.now()):
        count = query.count()
        query.delete()
        done.append(Purge(what, keep, count))
    return done
