"""Which supporters may take a request now: certified, within every boundary they set, rested,
under their load caps, and not blocked by (or blocking) the member.
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.care.load import break_until, caps_for, local_day_start
from holdspace.support.models import Block, Boundaries, Conversation, SupportRequest
from holdspace.training.certification import certified_user_ids, is_certified


def supporters_for(request: SupportRequest, now: datetime | None = None) -> list[User]:
    now = now or timezone.now()
    offer = Permission.objects.get(content_type__app_label="accounts", codename="offer_support")
    candidates = (
        User.objects.filter(is_active=True, pk__in=certified_user_ids(now))
        .filter(Q(groups__permissions=offer) | Q(user_permissions=offer))
        .distinct()
    )
    return [supporter for supporter in candidates if may_accept(supporter, request, now)]


def may_accept(supporter: User, request: SupportRequest, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    blocked = Block.objects.filter(
        Q(blocker=request.member_id, blocked=supporter)
        | Q(blocker=supporter, blocked=request.member_id)
    )
    # Whoever handed this request over does not get it back.
    handed_over = Conversation.objects.filter(
        request=request, supporter=supporter, handed_over=True
    )
    return (
        supporter.is_active
        and supporter.pk != request.member_id
        and supporter.has_perm("accounts.offer_support")
        and is_certified(supporter, now)
        and not blocked.exists()
        and not handed_over.exists()
        and _within_boundaries(supporter, request, now)
    )


def may_facilitate(user: User, now: datetime | None = None) -> bool:
    return user.has_perm("accounts.facilitate_sessions") and user.pk in certified_user_ids(now)


def _within_boundaries(supporter: User, request: SupportRequest, now: datetime) -> bool:
    boundaries = Boundaries.objects.filter(supporter=supporter).first() or Boundaries()
    if boundaries.topics and request.topic not in boundaries.topics:
        return False
    if request.topic in boundaries.avoided_topics:
        return False
    if boundaries.languages and request.language not in boundaries.languages:
        return False
    day_start = local_day_start(now, boundaries.time_zone)
    if boundaries.not_today == day_start.date():
        return False
    if not _within_hours(boundaries.hours, now.astimezone(day_start.tzinfo)):
        return False
    if break_until(supporter, now) is not None:
        return False
    caps = caps_for(supporter, boundaries.max_at_once, boundaries.max_per_day)
    mine = Conversation.objects.filter(supporter=supporter)
    if mine.filter(ended_at__isnull=True).count() >= caps.at_once:
        return False
    return mine.filter(started_at__gte=day_start).count() < caps.per_day


def _within_hours(hours: list[list[object]], local: datetime) -> bool:
    if not hours:
        return True
    for weekday, start, end in hours:
        if weekday != local.weekday():
            continue
        if time.fromisoformat(str(start)) <= local.time() < time.fromisoformat(str(end)):
            return True
    return False
