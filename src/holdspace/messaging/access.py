"""Who may read, post and be coached in a thread: asked of the room, conversation or session."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from holdspace.accounts.models import User
from holdspace.messaging.models import Thread


@dataclass(frozen=True)
class Participation:
    can_post: bool
    coached: bool  # taking part as a supporter or facilitator: their drafts go to the coach
    disclosure_invited: bool = False
    why_not: str = ""  # why posting is closed, in words for the person


READ_ONLY_ENDED = Participation(False, False, why_not="This conversation has ended.")


def participation(user: User, thread: Thread) -> Participation | None:
    """None: this person may not see the thread at all."""
    if not user.is_authenticated or not user.is_active:
        return None
    if _claimed_here(user, thread):
        # Staff who claimed an escalation join the conversation it came from until they close it.
        return Participation(can_post=True, coached=False)
    match thread.kind:
        case Thread.Kind.ROOM:
            return _in_room(user, thread)
        case Thread.Kind.SUPPORT:
            return _in_conversation(user, thread)
        case Thread.Kind.SESSION:
            return _in_session(user, thread)
    return None


def _claimed_here(user: User, thread: Thread) -> bool:
    from holdspace.moderation.queue import claimed_thread_ids, may_work_cases

    return may_work_cases(user) and thread.pk in claimed_thread_ids(user)


def _in_room(user: User, thread: Thread) -> Participation | None:
    from holdspace.community.models import Membership

    if not user.has_perm("community.view_room"):
        return None
    joined = Membership.objects.filter(room__thread=thread, user=user).exists()
    return Participation(
        can_post=joined,
        coached=user.has_perm("accounts.offer_support"),
        why_not="" if joined else _("Join the room to post."),
    )


def _in_conversation(user: User, thread: Thread) -> Participation | None:
    from holdspace.support.models import Conversation, SupportRequest

    request = SupportRequest.objects.filter(thread=thread).first()
    if request is None:
        return None
    # After a hand-over the newest conversation is the one that counts; earlier supporters
    # no longer see the thread.
    latest = Conversation.objects.filter(request=request).first()
    if user.pk == request.member_id:
        if request.status == SupportRequest.Status.WITHDRAWN:
            return Participation(False, False, why_not=_("You withdrew this request."))
        if latest is not None and not latest.is_open and not latest.handed_over:
            return READ_ONLY_ENDED
        invited = latest is not None and latest.is_open and latest.disclosure_invited
        return Participation(can_post=True, coached=False, disclosure_invited=invited)
    if latest is not None and user.pk == latest.supporter_id and not latest.handed_over:
        if not latest.is_open:
            return READ_ONLY_ENDED
        return Participation(True, coached=True, disclosure_invited=latest.disclosure_invited)
    return None


def _in_session(user: User, thread: Thread) -> Participation | None:
    from holdspace.groups.models import Booking, GroupSession

    session = GroupSession.objects.filter(thread=thread).first()
    if session is None:
        return None
    now = timezone.now()
    open_now = session.is_open_at(now)
    closed = "" if open_now else _("The session room is not open now.")
    if user.pk == session.facilitator_id:
        return Participation(can_post=open_now, coached=True, why_not=closed)
    booking = Booking.objects.filter(
        session=session, member=user, cancelled_at__isnull=True
    ).first()
    if booking is None:
        return None
    if booking.muted_at is not None:
        return Participation(False, False, why_not=_("The facilitator has muted you for now."))
    return Participation(can_post=open_now, coached=False, why_not=closed)
