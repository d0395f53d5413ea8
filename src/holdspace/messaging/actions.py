"""The single door for a message: check, coach or hold, screen, save, commit, then broadcast.

Views and consumers only call these functions. Real-time events leave on commit, so nobody
sees a message that was not stored, and an acknowledged message is always stored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from holdspace.accounts.models import User
from holdspace.coach import Coaching, Flag, coach, contact_flags
from holdspace.core.ratelimit import allow
from holdspace.messaging import events
from holdspace.messaging.access import Participation, participation
from holdspace.messaging.models import MAX_MESSAGE_CHARS, CoachEvent, Message, Reaction, Thread
from holdspace.moderation.actions import restriction_of
from holdspace.moderation.models import Escalation, ModerationAction
from holdspace.moderation.queue import open_escalation
from holdspace.safety import Level, Resource, Screening, resources_for, screen
from holdspace.safety.resources import fallback

logger = logging.getLogger(__name__)


class PostRefused(Exception):
    """The message cannot be posted; the text says why, to the person."""


@dataclass(frozen=True)
class Posted:
    message: Message
    duplicate: bool = False  # the same client id was posted before: nothing new was stored
    level: Level | None = None
    screening_failed: bool = False
    # Shown to the author at once: crisis lines at high, the emergency number first at imminent.
    resources: tuple[Resource, ...] = ()
    escalation: Escalation | None = None


@dataclass(frozen=True)
class Held:
    """Not sent. With only warnings the author may confirm and send it anyway."""

    flags: tuple[Flag, ...]
    can_send_anyway: bool = False
    strengths: tuple[str, ...] = field(default=())


def clean_body(body: object) -> str:
    if not isinstance(body, str):
        raise PostRefused(_("A message must be text."))
    text = body.replace("\r\n", "\n").replace("\x00", "").strip()
    if not text:
        raise PostRefused(_("The message is empty."))
    if len(text) > MAX_MESSAGE_CHARS:
        raise PostRefused(
            _("That is longer than %(limit)s characters. Could you split it into parts?")
            % {"limit": MAX_MESSAGE_CHARS}
        )
    return text


def do_post_message(
    author: User,
    thread: Thread,
    body: object,
    *,
    client_id: str = "",
    send_anyway: bool = False,
) -> Posted | Held:
    text = clean_body(body)
    client_id = str(client_id or "")[:64]
    if client_id and (earlier := _already_posted(author, client_id)) is not None:
        return Posted(earlier, duplicate=True)
    if not allow("post", str(author.pk), settings.HOLDSPACE_MESSAGES_PER_MINUTE, 60):
        raise PostRefused(_("That's a lot of messages very fast. Try again in a minute."))
    if (restriction := restriction_of(author)) is not None:
        raise PostRefused(_restricted_words(restriction))
    where = participation(author, thread)
    if where is None or not where.can_post:
        raise PostRefused(where.why_not if where and where.why_not else _("You cannot post here."))
    locale = author.country or None

    warned: tuple[Flag, ...] = ()
    coaching = _coach(text, thread, author, where, locale) if where.coached else None
    if coaching is not None:
        if coaching.verdict == "hold":
            _record(thread, author, CoachEvent.Outcome.HELD, coaching.flags)
            return Held(coaching.flags, strengths=coaching.strengths)
        if coaching.verdict == "revise":
            warned = tuple(flag for flag in coaching.flags if flag.severity == "warn")
            if not send_anyway:
                return Held(coaching.flags, can_send_anyway=True, strengths=coaching.strengths)
    elif held := contact_flags(text, locale):
        # Members are never coached, but contact details are held back from anyone; so are a
        # supporter's if the coach itself failed.
        _record(thread, author, CoachEvent.Outcome.CONTACT_HELD, held)
        return Held(held)
    screening, failed = (None, False) if where.coached else _screen(text, locale)

    try:
        message, escalation = _store(author, thread, text, client_id, screening, failed, warned)
    except IntegrityError:
        # The same client id raced in from a second connection: that copy is the message.
        if client_id and (earlier := _already_posted(author, client_id)) is not None:
            return Posted(earlier, duplicate=True)
        raise
    level = screening.level if screening is not None else None
    return Posted(
        message,
        level=level,
        screening_failed=failed,
        resources=_resources_for_author(locale, level, failed),
        escalation=escalation,
    )


@transaction.atomic
def _store(
    author: User,
    thread: Thread,
    text: str,
    client_id: str,
    screening: Screening | None,
    failed: bool,
    warned: tuple[Flag, ...],
) -> tuple[Message, Escalation | None]:
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    locked.last_seq += 1
    locked.save(update_fields=["last_seq"])
    message = Message.objects.create(
        thread=locked,
        seq=locked.last_seq,
        author=author,
        body=text,
        client_id=client_id,
        risk_level=int(screening.level) if screening is not None else None,
        risk_score=screening.score if screening is not None else None,
        screening_failed=failed,
    )
    thread.last_seq = locked.last_seq
    if warned:
        _record(thread, author, CoachEvent.Outcome.SENT_ANYWAY, warned, message)
    escalation = None
    if screening is not None and screening.level >= Level.HIGH:
        escalation = Escalation.objects.create(
            thread=locked,
            message=message,
            member=author,
            level=int(screening.level),
            score=screening.score,
            categories=screening.as_dict()["categories"],
            third_party=screening.third_party,
        )
    transaction.on_commit(lambda: events.broadcast_message(message), robust=True)
    if escalation is not None:
        open_escalation(escalation)
    return message, escalation


def do_post_notice(thread: Thread, body: str, kind: str = Message.Kind.NOTICE) -> Message:
    """Holdspace or a facilitator's round speaking in a thread; not screened, never coached."""
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        locked.last_seq += 1
        locked.save(update_fields=["last_seq"])
        message = Message.objects.create(thread=locked, seq=locked.last_seq, kind=kind, body=body)
        transaction.on_commit(lambda: events.broadcast_message(message), robust=True)
    return message


@transaction.atomic
def do_hear_message(user: User, message: Message) -> int:
    """Add the reader's "I hear you"; a second one from the same person changes nothing."""
    if message.author_id == user.pk:
        raise PostRefused(_("You cannot react to your own message."))
    where = participation(user, message.thread)
    if where is None or not where.can_post:
        raise PostRefused(_("You cannot react here."))
    Reaction.objects.get_or_create(message=message, user=user)
    count = message.reactions.count()
    transaction.on_commit(lambda: events.broadcast_hears(message, count), robust=True)
    return count


def _restricted_words(action: ModerationAction) -> str:
    if action.ends_at is None:
        return _("A moderator has stopped you from posting: %(reason)s") % {"reason": action.reason}
    return _("A moderator has paused your posting until %(until)s: %(reason)s") % {
        "until": timezone.localtime(action.ends_at).strftime("%Y-%m-%d %H:%M"),
        "reason": action.reason,
    }


def last_words_of_others(thread: Thread, author: User) -> str | None:
    """What the coach reads a draft against: the newest message someone else wrote."""
    return (
        Message.objects.filter(thread=thread, kind=Message.Kind.TEXT, hidden=False)
        .exclude(author=author)
        .exclude(author__isnull=True)
        .order_by("-seq")
        .values_list("body", flat=True)
        .first()
    )


def _already_posted(author: User, client_id: str) -> Message | None:
    return Message.objects.filter(author=author, client_id=client_id).first()


def _coach(
    text: str, thread: Thread, author: User, where: Participation, locale: str | None
) -> Coaching | None:
    seeker = last_words_of_others(thread, author)
    try:
        return coach(
            text, seeker=seeker, disclosure_invited=where.disclosure_invited, locale=locale
        )
    except Exception as error:
        # A member must not be left without an answer because the coach broke: the contact
        # rules still run on the draft, and the failure is logged.
        logger.error("coach failed (%s); contact rules only", type(error).__name__)
        return None


def _screen(text: str, locale: str | None) -> tuple[Screening | None, bool]:
    try:
        return screen(text, locale=locale), False
    except Exception as error:
        logger.error("screening failed (%s); the message is saved unscreened", type(error).__name__)
        return None, True


def _resources_for_author(
    locale: str | None, level: Level | None, failed: bool
) -> tuple[Resource, ...]:
    if level is not None and level >= Level.HIGH:
        return resources_for(locale, level)
    if failed:
        # Screening could not say: the crisis lines stay in reach, quietly.
        try:
            return resources_for(locale, Level.HIGH)
        except Exception:
            return fallback()
    return ()


def _record(
    thread: Thread,
    author: User,
    outcome: str,
    flags: tuple[Flag, ...],
    message: Message | None = None,
) -> None:
    CoachEvent.objects.create(
        thread=thread,
        author=author,
        outcome=outcome,
        flag_codes=sorted({flag.code for flag in flags}),
        message=message,
    )
