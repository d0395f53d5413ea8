"""Every change to referrals, each in one transaction: suggest, answer, follow up.

A referral is made only with the member's consent: staff or a supporter suggests a service in a
conversation, and nothing more happens until the member says yes. Saying yes starts the clock
for a gentle check-in (HOLDSPACE_REFERRAL_FOLLOW_UP_DAYS later, by a background job).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from holdspace.accounts.models import User
from holdspace.messaging.access import participation
from holdspace.messaging.actions import do_post_notice
from holdspace.messaging.models import Thread
from holdspace.moderation.models import Escalation
from holdspace.referrals.models import MAX_FOLLOW_UP_NOTE_CHARS, Referral, Service
from holdspace.support.models import Conversation, SupportRequest

# Anyone holding one of these may suggest a service in a conversation they can see.
PROPOSER_PERMISSIONS = (
    "accounts.offer_support",
    "accounts.moderate_community",
    "accounts.take_referrals",
)


class AlreadyAnswered(Exception):
    """The member has already answered this suggestion or check-in."""


def request_of(thread: Thread) -> SupportRequest | None:
    """The member's request a one-to-one conversation belongs to; None for rooms and sessions."""
    if thread.kind != Thread.Kind.SUPPORT:
        return None
    return SupportRequest.objects.filter(thread=thread).select_related("member").first()


def member_of(thread: Thread) -> User | None:
    """The member a one-to-one conversation is for."""
    request = request_of(thread)
    return request.member if request is not None else None


def may_propose(user: User, thread: Thread) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if not any(user.has_perm(name) for name in PROPOSER_PERMISSIONS):
        return False
    member = member_of(thread)
    if member is None or member.pk == user.pk:
        return False
    return participation(user, thread) is not None


def conversations_to_propose_in(user: User) -> list[tuple[Thread, User]]:
    """The one-to-one conversations this person supports now or joined through a case."""
    if not any(user.has_perm(name) for name in PROPOSER_PERMISSIONS):
        return []
    thread_ids = set(
        Conversation.objects.filter(
            supporter=user, ended_at__isnull=True, handed_over=False
        ).values_list("thread_id", flat=True)
    )
    thread_ids |= set(
        Escalation.objects.filter(
            claimed_by=user,
            status=Escalation.Status.ACKNOWLEDGED,
            thread__kind=Thread.Kind.SUPPORT,
        ).values_list("thread_id", flat=True)
    )
    requests = SupportRequest.objects.filter(thread_id__in=thread_ids).select_related(
        "thread", "member"
    )
    return [
        (request.thread, request.member)
        for request in requests.order_by("-created_at")
        if may_propose(user, request.thread)
    ]


@transaction.atomic
def do_propose_referral(proposer: User, thread: Thread, service: Service) -> Referral:
    """Suggest a service to the member of a conversation; they see it and answer.

    Suggesting the same service again while the first suggestion waits changes nothing.
    """
    member = member_of(thread)
    if member is None or not service.active or not may_propose(proposer, thread):
        raise PermissionDenied
    referral, created = Referral.objects.get_or_create(
        thread=thread,
        service=service,
        status=Referral.Status.PROPOSED,
        defaults={"member": member, "made_by": proposer},
    )
    if created:
        do_post_notice(
            thread,
            _(
                "%(name)s suggested some professional help: %(service)s. It is up to you: "
                "you can say yes or no on the Professional help page, under Suggested to you."
            )
            % {"name": proposer.display_name, "service": service.name},
        )
    return referral


@transaction.atomic
def do_answer_referral(member: User, referral: Referral, accepted: bool) -> Referral:
    """The member's yes (their consent: the referral is made) or no."""
    from holdspace.referrals.tasks import follow_up_referral

    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.member_id != member.pk:
        raise PermissionDenied
    if locked.status != Referral.Status.PROPOSED:
        raise AlreadyAnswered(_("You have already answered this suggestion."))
    now = timezone.now()
    locked.answered_at = now
    if accepted:
        locked.status = Referral.Status.ACCEPTED
        locked.consented_at = now
        referral_id = locked.pk
        check_in_at = now + timedelta(days=settings.HOLDSPACE_REFERRAL_FOLLOW_UP_DAYS)
        transaction.on_commit(
            lambda: follow_up_referral.using(run_after=check_in_at).enqueue(referral_id),
            robust=True,
        )
    else:
        locked.status = Referral.Status.DECLINED
    locked.save(update_fields=["status", "answered_at", "consented_at"])
    return locked


@transaction.atomic
def do_mark_follow_up_due(referral_id: int) -> bool:
    """The background job's work: True if the member's check-in is now due."""
    locked = Referral.objects.select_for_update().filter(pk=referral_id).first()
    if locked is None or not locked.is_made or locked.follow_up_due_at is not None:
        return False
    locked.follow_up_due_at = timezone.now()
    locked.save(update_fields=["follow_up_due_at"])
    return True


@transaction.atomic
def do_answer_follow_up(member: User, referral: Referral, answer: str, note: str = "") -> Referral:
    """How it went, in the member's words: recorded once."""
    if answer not in Referral.FollowUp.values:
        raise ValueError(f"unknown follow-up answer {answer!r}")
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.member_id != member.pk:
        raise PermissionDenied
    if not locked.follow_up_waiting:
        raise AlreadyAnswered(_("There is no check-in waiting for this referral."))
    locked.follow_up_answer = answer
    locked.follow_up_note = note.strip()[:MAX_FOLLOW_UP_NOTE_CHARS]
    locked.follow_up_answered_at = timezone.now()
    locked.save(update_fields=["follow_up_answer", "follow_up_note", "follow_up_answered_at"])
    return locked
