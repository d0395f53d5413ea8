"""How much a supporter is carrying now, and the caps that follow from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.care.models import Break, Debrief, WellbeingCheckIn
from holdspace.care.wellbeing import is_low

BREAK_LENGTH = timedelta(minutes=15)
# After this long in chats in one day, a break is offered.
TIME_BEFORE_BREAK_OFFER = timedelta(minutes=90)
CHECK_IN_EVERY = timedelta(days=7)


@dataclass(frozen=True)
class Caps:
    at_once: int
    per_day: int
    lowered: bool  # the last wellbeing check-in was low: fewer chats until the next one


@dataclass(frozen=True)
class Load:
    open_chats: int
    chats_today: int
    time_today: timedelta
    caps: Caps
    on_break_until: datetime | None
    break_offered: bool
    check_in_due: bool
    pending_debrief: Debrief | None

    @property
    def minutes_today(self) -> int:
        return int(self.time_today.total_seconds() // 60)


def local_day_start(now: datetime, time_zone: str) -> datetime:
    local = now.astimezone(_zone(time_zone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def caps_for(supporter: User, max_at_once: int, max_per_day: int) -> Caps:
    last = WellbeingCheckIn.objects.filter(supporter=supporter).first()
    if last is not None and is_low(last.score):
        return Caps(1, max(1, max_per_day // 2), lowered=True)
    return Caps(max_at_once, max_per_day, lowered=False)


def break_until(supporter: User, now: datetime) -> datetime | None:
    current = Break.objects.filter(
        supporter=supporter, started_at__lte=now, ends_at__gt=now
    ).first()
    return current.ends_at if current is not None else None


def load_of(supporter: User, now: datetime | None = None) -> Load:
    from holdspace.support.models import Boundaries, Conversation

    now = now or timezone.now()
    boundaries = Boundaries.objects.filter(supporter=supporter).first() or Boundaries()
    day_start = local_day_start(now, boundaries.time_zone)
    started_today = list(
        Conversation.objects.filter(supporter=supporter)
        .filter(started_at__gte=day_start)
        .values_list("started_at", "ended_at")
    )
    today = started_today + list(
        # Still open from before midnight: today's part counts.
        Conversation.objects.filter(
            supporter=supporter, started_at__lt=day_start, ended_at__isnull=True
        ).values_list("started_at", "ended_at")
    )
    time_today = sum(
        ((ended or now) - max(started, day_start) for started, ended in today), timedelta()
    )
    last_check_in = WellbeingCheckIn.objects.filter(supporter=supporter).first()
    until = break_until(supporter, now)
    return Load(
        open_chats=Conversation.objects.filter(supporter=supporter, ended_at__isnull=True).count(),
        chats_today=len(started_today),
        time_today=time_today,
        caps=caps_for(supporter, boundaries.max_at_once, boundaries.max_per_day),
        on_break_until=until,
        break_offered=until is None and time_today >= TIME_BEFORE_BREAK_OFFER,
        check_in_due=last_check_in is None or now - last_check_in.created_at >= CHECK_IN_EVERY,
        pending_debrief=Debrief.objects.filter(
            supporter=supporter, completed_at__isnull=True
        ).first(),
    )


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")
