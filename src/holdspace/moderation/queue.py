"""The escalation queue: routing, the roster, claiming, notes, outcomes, and what happens when
nobody acknowledges a case in time. Every step is an EscalationEvent with its time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.messaging import events
from holdspace.moderation.models import DutyShift, Escalation, EscalationEvent, EscalationNote
from holdspace.safety import Level

# Risk to others and severe illness need a clinician, not only a moderator.
PROFESSIONAL_CATEGORIES = frozenset({"severe_mental_illness", "harm_to_others"})
# After this many steps up the roster the case stays with the admins; each step is one target.
MAX_ESCALATION_STEPS = 10


def acknowledgement_target(level: int) -> timedelta:
    targets: dict[str, int] = settings.HOLDSPACE_ACK_TARGETS
    label = "imminent" if level >= Level.IMMINENT else "high"
    return timedelta(seconds=targets[label])


def route_for(level: int, categories: list[dict[str, object]]) -> str:
    names = {str(category.get("name")) for category in categories}
    if level >= Level.IMMINENT or names & PROFESSIONAL_CATEGORIES:
        return Escalation.Route.PROFESSIONAL
    return Escalation.Route.MODERATOR


def roster(role: str, now: datetime) -> list[User]:
    """Who is on duty in a role now, in roster order."""
    shifts = DutyShift.objects.filter(
        role=role, starts_at__lte=now, ends_at__gt=now, person__is_active=True
    ).select_related("person")
    people: list[User] = []
    for shift in shifts.order_by("position", "starts_at"):
        if shift.person not in people:
            people.append(shift.person)
    return people


def roles_for(escalation: Escalation) -> list[str]:
    roles = [DutyShift.Role.MODERATOR.value]
    if escalation.route == Escalation.Route.PROFESSIONAL:
        roles.append(DutyShift.Role.PROFESSIONAL.value)
    return roles


def admins() -> list[User]:
    return list(_with_permission("administer_community"))


def responders(escalation: Escalation, step: int, now: datetime) -> list[User]:
    """Step 0: the first on duty in each role. Step n: the next on the roster, and the admins.

    With nobody on the roster, every moderator (and professional, if routed there) is alerted:
    a case must always reach someone.
    """
    chosen: list[User] = []
    for role in roles_for(escalation):
        on_duty = roster(role, now)
        if not on_duty and step == 0:
            codename = "moderate_community" if role == "moderator" else "take_referrals"
            chosen += list(_with_permission(codename))
        elif step < len(on_duty):
            chosen.append(on_duty[step])
    if step > 0:
        chosen += admins()
    unique: list[User] = []
    for person in chosen:
        if person not in unique:
            unique.append(person)
    return unique


def open_escalation(escalation: Escalation) -> None:
    """Called in the transaction that stores the escalation (the message door)."""
    from holdspace.moderation.tasks import check_acknowledgement

    now = timezone.now()
    escalation.route = route_for(escalation.level, escalation.categories)
    escalation.due_at = now + acknowledgement_target(escalation.level)
    escalation.save(update_fields=["route", "due_at"])
    EscalationEvent.objects.create(escalation=escalation, kind=EscalationEvent.Kind.CREATED)
    _alert(escalation, responders(escalation, 0, now))
    escalation_id, due = escalation.pk, escalation.due_at
    transaction.on_commit(
        lambda: check_acknowledgement.using(run_after=due).enqueue(escalation_id), robust=True
    )


@transaction.atomic
def escalate_if_unacknowledged(escalation_id: int) -> bool:
    """The background job's work: True if the case went one step further up the roster."""
    from holdspace.moderation.tasks import check_acknowledgement

    escalation = Escalation.objects.select_for_update().filter(pk=escalation_id).first()
    now = timezone.now()
    if escalation is None or escalation.status != Escalation.Status.OPEN:
        return False
    if escalation.due_at is not None and now < escalation.due_at:
        return False  # a worker running early: nothing is late yet
    escalation.escalation_steps += 1
    escalation.due_at = now + acknowledgement_target(escalation.level)
    escalation.save(update_fields=["escalation_steps", "due_at"])
    people = responders(escalation, escalation.escalation_steps, now)
    EscalationEvent.objects.create(
        escalation=escalation,
        kind=EscalationEvent.Kind.ESCALATED,
        detail={"to": [person.pk for person in people], "step": escalation.escalation_steps},
    )
    _alert(escalation, people, record=False)
    if escalation.escalation_steps < MAX_ESCALATION_STEPS:
        due = escalation.due_at
        transaction.on_commit(
            lambda: check_acknowledgement.using(run_after=due).enqueue(escalation_id), robust=True
        )
    return True


def may_work_cases(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (
            user.has_perm("accounts.moderate_community") or user.has_perm("accounts.take_referrals")
        )
    )


def queue() -> list[Escalation]:
    """Open cases, most urgent first: level, then score, then the longest waiting."""
    return list(
        Escalation.objects.filter(status=Escalation.Status.OPEN)
        .select_related("member", "message", "thread")
        .order_by("-level", "-score", "created_at")
    )


@transaction.atomic
def do_claim(user: User, escalation_id: int | None = None) -> Escalation | None:
    """Claim one case (or the most urgent one): None if someone else got there first.

    skip_locked makes two claimers racing on PostgreSQL take different cases instead of
    waiting for each other; on SQLite, writes are serialised by the database anyway.
    """
    if not may_work_cases(user):
        return None
    candidates = Escalation.objects.select_for_update(skip_locked=True).filter(
        status=Escalation.Status.OPEN
    )
    if escalation_id is not None:
        candidates = candidates.filter(pk=escalation_id)
    case = candidates.order_by("-level", "-score", "created_at").first()
    if case is None:
        return None
    case.status = Escalation.Status.ACKNOWLEDGED
    case.claimed_by = user
    case.acknowledged_at = timezone.now()
    case.save(update_fields=["status", "claimed_by", "acknowledged_at"])
    EscalationEvent.objects.create(escalation=case, kind=EscalationEvent.Kind.CLAIMED, actor=user)
    transaction.on_commit(events.broadcast_queue_changed, robust=True)
    return case


@transaction.atomic
def do_add_note(user: User, case: Escalation, body: str) -> EscalationNote:
    _require_claimer(user, case)
    note = EscalationNote.objects.create(escalation=case, author=user, body=body.strip())
    EscalationEvent.objects.create(escalation=case, kind=EscalationEvent.Kind.NOTE, actor=user)
    return note


@transaction.atomic
def do_close(user: User, case: Escalation, outcome: str) -> None:
    _require_claimer(user, case)
    if outcome not in Escalation.Outcome.values:
        raise ValueError(f"unknown outcome {outcome!r}")
    case.status = Escalation.Status.CLOSED
    case.outcome = outcome
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "outcome", "closed_at"])
    EscalationEvent.objects.create(
        escalation=case, kind=EscalationEvent.Kind.CLOSED, actor=user, detail={"outcome": outcome}
    )
    transaction.on_commit(events.broadcast_queue_changed, robust=True)


def claimed_thread_ids(user: User) -> set[int]:
    """Threads this person joined by claiming a case that is not closed yet."""
    return set(
        Escalation.objects.filter(
            claimed_by=user, status=Escalation.Status.ACKNOWLEDGED
        ).values_list("thread_id", flat=True)
    )


def _require_claimer(user: User, case: Escalation) -> None:
    from django.core.exceptions import PermissionDenied

    if case.claimed_by_id != user.pk or case.status != Escalation.Status.ACKNOWLEDGED:
        raise PermissionDenied


def _alert(escalation: Escalation, people: list[User], record: bool = True) -> None:
    if record:
        EscalationEvent.objects.create(
            escalation=escalation,
            kind=EscalationEvent.Kind.ALERTED,
            detail={"to": [person.pk for person in people]},
        )
    escalation_id, label = escalation.pk, Level(escalation.level).label
    ids = [person.pk for person in people]
    transaction.on_commit(lambda: events.broadcast_alert(escalation_id, label, ids), robust=True)


def _with_permission(codename: str) -> list[User]:
    permission = Permission.objects.get(content_type__app_label="accounts", codename=codename)
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions=permission) | Q(user_permissions=permission))
        .distinct()
        .order_by("pk")
    )
