from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.care.load import BREAK_LENGTH
from holdspace.care.models import Break, Debrief, WellbeingCheckIn
from holdspace.care.wellbeing import score
from holdspace.moderation.models import Escalation
from holdspace.safety import Level
from holdspace.support.models import Conversation


@transaction.atomic
def do_take_break(
    supporter: User, reason: str = Break.Reason.CHOSEN, now: datetime | None = None
) -> Break:
    now = now or timezone.now()
    return Break.objects.create(
        supporter=supporter, reason=reason, started_at=now, ends_at=now + BREAK_LENGTH
    )


@transaction.atomic
def do_after_conversation(conversation: Conversation) -> Debrief | None:
    """A conversation that reached high or imminent: a required break, then a debrief prompt."""
    reached_crisis = Escalation.objects.filter(
        thread_id=conversation.thread_id,
        created_at__gte=conversation.started_at,
        level__gte=int(Level.HIGH),
    ).exists()
    if not reached_crisis:
        return None
    do_take_break(conversation.supporter, Break.Reason.AFTER_CRISIS)
    debrief, _ = Debrief.objects.get_or_create(
        supporter=conversation.supporter, conversation=conversation
    )
    return debrief


@transaction.atomic
def do_debrief(supporter: User, debrief: Debrief, reflection: str, wants_to_talk: bool) -> None:
    if debrief.supporter_id != supporter.pk:
        raise PermissionDenied
    debrief.reflection = reflection.strip()
    debrief.wants_to_talk = wants_to_talk
    debrief.completed_at = timezone.now()
    debrief.save(update_fields=["reflection", "wants_to_talk", "completed_at"])


@transaction.atomic
def do_check_in(supporter: User, answers: list[int]) -> WellbeingCheckIn:
    return WellbeingCheckIn.objects.create(
        supporter=supporter, answers=answers, score=score(answers)
    )
