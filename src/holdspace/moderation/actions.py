"""Reports, moderation actions and appeals; each change in one transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.messaging import events
from holdspace.messaging.models import Message
from holdspace.moderation.models import Appeal, ModerationAction, Report

MAX_REASON_CHARS = 500
RESTRICTING = (ModerationAction.Kind.MUTE, ModerationAction.Kind.SUSPEND, ModerationAction.Kind.BAN)


class AlreadyAppealed(Exception):
    pass


@transaction.atomic
def do_report_message(reporter: User, message: Message, reason: str) -> Report:
    """One report a person and message; reporting again updates the reason."""
    report, _ = Report.objects.update_or_create(
        message=message,
        reporter=reporter,
        defaults={"reason": _clean(reason), "subject_id": message.author_id},
    )
    return report


@transaction.atomic
def do_report_person(reporter: User, subject: User, reason: str) -> Report:
    """A report on someone rather than one message; the caller checks they met (a conversation)."""
    if reporter.pk == subject.pk:
        raise PermissionDenied
    report, _ = Report.objects.update_or_create(
        message=None,
        subject=subject,
        reporter=reporter,
        status=Report.Status.OPEN,
        defaults={"reason": _clean(reason)},
    )
    return report


def _clean(reason: str) -> str:
    return " ".join(str(reason).split())[:MAX_REASON_CHARS]


def may_moderate(user: User) -> bool:
    return bool(user.is_authenticated and user.has_perm("accounts.moderate_community"))


@transaction.atomic
def do_moderate(
    moderator: User,
    subject: User,
    kind: str,
    reason: str,
    *,
    message: Message | None = None,
    report: Report | None = None,
    days: int | None = None,
) -> ModerationAction:
    if not may_moderate(moderator) or moderator.pk == subject.pk:
        raise PermissionDenied
    if not reason.strip():
        raise ValueError("a moderation action needs a reason the member can read")
    ends_at = None
    if kind in (ModerationAction.Kind.MUTE, ModerationAction.Kind.SUSPEND):
        ends_at = timezone.now() + timedelta(days=days or 1)
    action = ModerationAction.objects.create(
        subject=subject,
        kind=kind,
        reason=reason.strip(),
        message=message,
        report=report,
        moderator=moderator,
        ends_at=ends_at,
    )
    if kind == ModerationAction.Kind.HIDE and message is not None:
        _set_hidden(message, True)
    if report is not None and report.message_id is not None:
        Report.objects.filter(message=report.message_id).update(status=Report.Status.CLOSED)
    elif report is not None:
        Report.objects.filter(pk=report.pk).update(status=Report.Status.CLOSED)
    return action


@transaction.atomic
def do_dismiss_report(moderator: User, report: Report) -> None:
    if not may_moderate(moderator):
        raise PermissionDenied
    Report.objects.filter(pk=report.pk).update(status=Report.Status.CLOSED)


def restriction_of(user: User, now: datetime | None = None) -> ModerationAction | None:
    """The strongest mute, suspension or ban in force on this person, if any."""
    now = now or timezone.now()
    active = ModerationAction.objects.filter(
        subject=user, kind__in=RESTRICTING, revoked_at__isnull=True
    ).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
    order = {ModerationAction.Kind.BAN: 0, ModerationAction.Kind.SUSPEND: 1}
    return min(active, key=lambda a: order.get(a.kind, 2), default=None)  # type: ignore[arg-type]


@transaction.atomic
def do_appeal(member: User, action: ModerationAction, text: str) -> Appeal:
    if action.subject_id != member.pk:
        raise PermissionDenied
    if Appeal.objects.filter(action=action).exists():
        raise AlreadyAppealed
    return Appeal.objects.create(action=action, text=text.strip())


@transaction.atomic
def do_decide_appeal(moderator: User, appeal: Appeal, upheld: bool, response: str) -> None:
    # The one who acted does not judge the appeal against their own action.
    if not may_moderate(moderator) or appeal.action.moderator_id == moderator.pk:
        raise PermissionDenied
    appeal.decided_by = moderator
    appeal.decided_at = timezone.now()
    appeal.upheld = upheld
    appeal.response = response.strip()
    appeal.save(update_fields=["decided_by", "decided_at", "upheld", "response"])
    if not upheld:
        action = appeal.action
        action.revoked_at = timezone.now()
        action.save(update_fields=["revoked_at"])
        if action.kind == ModerationAction.Kind.HIDE and action.message is not None:
            _set_hidden(action.message, False)


def _set_hidden(message: Message, hidden: bool) -> None:
    Message.objects.filter(pk=message.pk).update(hidden=hidden)
    message_id, thread_id = message.pk, message.thread_id
    if hidden:
        transaction.on_commit(lambda: events.broadcast_hidden(thread_id, message_id), robust=True)
