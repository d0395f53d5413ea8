"""Every change to group sessions, each in one transaction; events leave on commit."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from holdspace.accounts.models import User
from holdspace.groups.models import Booking, GroupSession
from holdspace.messaging import events
from holdspace.messaging.actions import do_post_notice
from holdspace.messaging.models import Message, Thread

ROUNDS = {
    "check_in": _("Check-in: in a word or a sentence, how are you arriving today?"),
    "check_out": _("Check-out: what will you take with you from today? One word is enough."),
}


class BookingRefused(Exception):
    """The text says why, to the member."""


@transaction.atomic
def do_schedule_session(
    facilitator: User,
    *,
    title: str,
    topic: str,
    starts_at: datetime,
    duration_minutes: int,
    capacity: int,
    agreement: str,
) -> GroupSession:
    from holdspace.support.matching import may_facilitate

    if not may_facilitate(facilitator):
        raise PermissionDenied
    return GroupSession.objects.create(
        facilitator=facilitator,
        title=title,
        topic=topic,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        capacity=capacity,
        agreement=agreement,
        thread=Thread.objects.create(kind=Thread.Kind.SESSION),
    )


@transaction.atomic
def do_book_session(member: User, session: GroupSession) -> Booking:
    if not member.has_perm("accounts.seek_support") or member.pk == session.facilitator_id:
        raise PermissionDenied
    # Lock the session so that two members cannot both take the last place.
    locked = GroupSession.objects.select_for_update().get(pk=session.pk)
    if locked.has_finished_at(timezone.now()):
        raise BookingRefused(_("This session has already finished."))
    booking = Booking.objects.filter(session=locked, member=member).first()
    if booking is not None and booking.is_active:
        return booking
    taken = Booking.objects.filter(session=locked, cancelled_at__isnull=True).count()
    if taken >= locked.capacity:
        raise BookingRefused(_("This session is full."))
    if booking is None:
        return Booking.objects.create(session=locked, member=member)
    booking.cancelled_at = None
    booking.save(update_fields=["cancelled_at"])
    return booking


@transaction.atomic
def do_cancel_booking(member: User, session: GroupSession) -> None:
    Booking.objects.filter(session=session, member=member, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now()
    )


@transaction.atomic
def do_record_attendance(member: User, session: GroupSession) -> None:
    """The first time a booked member is in the open room counts as attending."""
    if not session.is_open_at(timezone.now()):
        return
    Booking.objects.filter(
        session=session, member=member, cancelled_at__isnull=True, attended_at__isnull=True
    ).update(attended_at=timezone.now())


@transaction.atomic
def do_set_muted(facilitator: User, session: GroupSession, member: User, muted: bool) -> None:
    _require_facilitator(facilitator, session)
    Booking.objects.filter(session=session, member=member).update(
        muted_at=timezone.now() if muted else None
    )


@transaction.atomic
def do_start_round(facilitator: User, session: GroupSession, round_name: str) -> Message:
    _require_facilitator(facilitator, session)
    if not session.is_open_at(timezone.now()):
        raise PermissionDenied
    return do_post_notice(session.thread, str(ROUNDS[round_name]), kind=Message.Kind.PROMPT)


@transaction.atomic
def do_end_session(facilitator: User, session: GroupSession) -> None:
    _require_facilitator(facilitator, session)
    locked = GroupSession.objects.select_for_update().get(pk=session.pk)
    if locked.ended_at is not None:
        return
    locked.ended_at = timezone.now()
    locked.save(update_fields=["ended_at"])
    reason = _("The facilitator has ended the session. Thank you for being here.")
    do_post_notice(locked.thread, reason)
    thread_id = locked.thread_id
    transaction.on_commit(lambda: events.broadcast_closed(thread_id, reason), robust=True)


def _require_facilitator(user: User, session: GroupSession) -> None:
    if user.pk != session.facilitator_id:
        raise PermissionDenied
