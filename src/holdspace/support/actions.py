"""Every change to one-to-one support, each in one transaction; events leave on commit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from holdspace.accounts.models import User
from holdspace.care.actions import do_after_conversation
from holdspace.care.load import local_day_start
from holdspace.messaging import events
from holdspace.messaging.actions import Held, Posted, do_post_message, do_post_notice
from holdspace.messaging.models import Thread
from holdspace.support.forms import BoundariesForm
from holdspace.support.matching import may_accept
from holdspace.support.models import Block, Boundaries, Conversation, Feedback, SupportRequest


class RequestTaken(Exception):
    """Another supporter accepted first, or the member withdrew."""


@transaction.atomic
def do_request_support(
    member: User, topic: str, language: str, note: str
) -> tuple[SupportRequest | None, Posted | Held]:
    """The note is the conversation's first message: screened, and held back if it must be."""
    thread = Thread.objects.create(kind=Thread.Kind.SUPPORT)
    request = SupportRequest.objects.create(
        member=member, topic=topic, language=language, thread=thread
    )
    result = do_post_message(member, thread, note)
    if isinstance(result, Held):
        transaction.set_rollback(True)
        return None, result
    return request, result


def waiting_request_of(member: User) -> SupportRequest | None:
    return SupportRequest.objects.filter(
        member=member, status=SupportRequest.Status.WAITING
    ).first()


@transaction.atomic
def do_withdraw_request(member: User, request: SupportRequest) -> None:
    locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if locked.member_id != member.pk:
        raise PermissionDenied
    if locked.status != SupportRequest.Status.WAITING:
        raise RequestTaken(_("A supporter has already accepted this request."))
    locked.status = SupportRequest.Status.WITHDRAWN
    locked.save(update_fields=["status"])
    thread_id = locked.thread_id
    transaction.on_commit(
        lambda: events.broadcast_closed(thread_id, _("You withdrew this request.")), robust=True
    )


@transaction.atomic
def do_accept_request(supporter: User, request: SupportRequest) -> Conversation:
    # The row lock makes two supporters accepting at once safe: the second finds it taken.
    locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != SupportRequest.Status.WAITING:
        raise RequestTaken(_("Someone else has already taken this request, or it was withdrawn."))
    if not may_accept(supporter, locked):
        raise PermissionDenied
    locked.status = SupportRequest.Status.ACCEPTED
    locked.save(update_fields=["status"])
    conversation = Conversation.objects.create(
        request=locked, member_id=locked.member_id, supporter=supporter, thread_id=locked.thread_id
    )
    do_post_notice(
        locked.thread,
        _("%(name)s has joined the conversation.") % {"name": supporter.display_name},
    )
    thread_id = locked.thread_id
    transaction.on_commit(lambda: events.broadcast_changed(thread_id), robust=True)
    return conversation


@transaction.atomic
def do_end_conversation(user: User, conversation: Conversation) -> None:
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if user.pk not in (locked.member_id, locked.supporter_id):
        raise PermissionDenied
    if locked.ended_at is not None:
        return
    locked.ended_at = timezone.now()
    locked.ended_by = user
    locked.save(update_fields=["ended_at", "ended_by"])
    reason = _("%(name)s ended the conversation.") % {"name": user.display_name}
    do_post_notice(locked.thread, reason)
    do_after_conversation(locked)
    thread_id = locked.thread_id
    transaction.on_commit(lambda: events.broadcast_closed(thread_id, reason), robust=True)


@transaction.atomic
def do_hand_over(supporter: User, conversation: Conversation) -> None:
    """The supporter steps back; the member keeps the thread and goes back to the queue.

    The supporter's own hand-over words are posted (and coached) before this is called.
    """
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if supporter.pk != locked.supporter_id:
        raise PermissionDenied
    if locked.ended_at is not None:
        return
    locked.ended_at = timezone.now()
    locked.ended_by = supporter
    locked.handed_over = True
    locked.save(update_fields=["ended_at", "ended_by", "handed_over"])
    SupportRequest.objects.filter(pk=locked.request_id).update(status=SupportRequest.Status.WAITING)
    do_post_notice(
        locked.thread,
        _(
            "%(name)s has handed over. Another supporter will join you here; everything said "
            "so far stays with you."
        )
        % {"name": supporter.display_name},
    )
    do_after_conversation(locked)
    thread_id = locked.thread_id
    transaction.on_commit(lambda: events.broadcast_changed(thread_id), robust=True)


@transaction.atomic
def do_block(blocker: User, conversation: Conversation) -> None:
    """Block the other side of a conversation, and end it: they are never matched again."""
    other = conversation.other_side(blocker.pk)
    if other is None:
        raise PermissionDenied
    Block.objects.get_or_create(blocker=blocker, blocked_id=other)
    do_end_conversation(blocker, conversation)


@transaction.atomic
def do_set_sharing_invited(member: User, conversation: Conversation, invited: bool) -> None:
    """The member invites (or stops inviting) the supporter to share what helped them."""
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if member.pk != locked.member_id:
        raise PermissionDenied
    if not locked.is_open or locked.disclosure_invited == invited:
        return
    locked.disclosure_invited = invited
    locked.save(update_fields=["disclosure_invited"])
    words = (
        _("%(name)s would like to hear about your own experience and what helped you.")
        if invited
        else _("%(name)s would rather keep the focus on themselves for now.")
    )
    do_post_notice(locked.thread, words % {"name": member.display_name})
    thread_id = locked.thread_id
    transaction.on_commit(lambda: events.broadcast_changed(thread_id), robust=True)


@transaction.atomic
def do_give_feedback(
    member: User, conversation: Conversation, felt_heard: str, comment: str
) -> Feedback:
    if member.pk != conversation.member_id:
        raise PermissionDenied
    feedback, _created = Feedback.objects.update_or_create(
        conversation=conversation, defaults={"felt_heard": felt_heard, "comment": comment.strip()}
    )
    return feedback


@transaction.atomic
def do_set_boundaries(form: BoundariesForm) -> Boundaries:
    return form.save()


@transaction.atomic
def do_set_not_today(supporter: User, on: bool) -> None:
    """The switch lasts until the supporter's own midnight."""
    mine, _created = Boundaries.objects.get_or_create(supporter=supporter)
    mine.not_today = local_day_start(timezone.now(), mine.time_zone).date() if on else None
    mine.save(update_fields=["not_today"])
