from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from holdspace.accounts.models import User
from holdspace.coach import Coaching, coach
from holdspace.messaging.access import Participation, participation
from holdspace.messaging.actions import PostRefused, clean_body, last_words_of_others
from holdspace.messaging.models import MAX_MESSAGE_CHARS, Message, Thread
from holdspace.moderation.actions import do_report_message

HISTORY_PAGE = 50


def thread_context(thread: Thread, where: Participation) -> dict[str, Any]:
    """What messaging/_thread.html needs: the newest page of history and the live setup."""
    page, earlier = _page(thread, before=None)
    return {
        "thread": thread,
        "participation": where,
        # Not "messages": that name belongs to Django's one-off notices in base.html.
        "thread_messages": page,
        "earlier": earlier,
        "last_seq": thread.last_seq,
        "max_chars": MAX_MESSAGE_CHARS,
        "thread_text": {
            "connecting": _("Connecting…"),
            "live": _("Connected. New messages appear as they come."),
            "reconnecting": _("Reconnecting… Messages you send will go once we are back."),
            "closed": _("This conversation is closed."),
            "forbidden": _("You can no longer see this conversation."),
            "queued": _("Not connected yet: your message will be sent when we reconnect."),
            "held": _("This message was not sent."),
            "warned": _("Before you send this, have a look:"),
            "try_instead": _("Try instead:"),
            "send_anyway": _("Send it anyway"),
            "high": _("You don't have to face this alone. You can talk to someone right now:"),
            "imminent": _("If you are in danger now, call the emergency number first:"),
            "holdspace": _("Holdspace"),
            "local_emergency": _("Call your local emergency number."),
        },
    }


def readable_thread(user: User, thread_id: int) -> tuple[Thread, Participation]:
    thread = get_object_or_404(Thread, pk=thread_id)
    where = participation(user, thread)
    if where is None:
        raise PermissionDenied
    return thread, where


@require_GET
def history(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread, _where = readable_thread(request.user, thread_id)  # type: ignore[arg-type]
    try:
        before = int(request.GET.get("before", ""))
    except ValueError:
        before = thread.last_seq + 1
    page, earlier = _page(thread, before)
    return render(
        request,
        "messaging/_history.html",
        {"thread": thread, "thread_messages": page, "earlier": earlier},
    )


@require_POST
def coach_preview(request: HttpRequest, thread_id: int) -> HttpResponse:
    """Feedback while a supporter types. Members are never coached: they get nothing back."""
    thread, where = readable_thread(request.user, thread_id)  # type: ignore[arg-type]
    if not where.coached:
        return HttpResponse(status=204)
    try:
        draft = clean_body(request.POST.get("body", ""))
    except PostRefused:
        return HttpResponse("")
    user: User = request.user  # type: ignore[assignment]
    seeker = last_words_of_others(thread, user)
    coaching = coach(
        draft,
        seeker=seeker,
        disclosure_invited=where.disclosure_invited,
        locale=user.country or None,
    )
    return render(request, "messaging/_coaching.html", {"coaching": coaching_view(draft, coaching)})


@require_POST
def report_message(request: HttpRequest, message_id: int) -> HttpResponse:
    message = get_object_or_404(Message, pk=message_id, hidden=False)
    readable_thread(request.user, message.thread_id)  # type: ignore[arg-type]
    do_report_message(request.user, message, request.POST.get("reason", ""))  # type: ignore[arg-type]
    return render(request, "messaging/_reported.html")


def coaching_view(draft: str, coaching: Coaching) -> dict[str, object]:
    """What messaging/_coaching.html shows: strengths, and each flag with its words quoted."""
    flags = [
        {
            "severity": flag.severity,
            "message": flag.message,
            "suggestion": flag.suggestion,
            "quote": draft[flag.span[0] : flag.span[1]] if flag.span[1] - flag.span[0] < 80 else "",
        }
        for flag in coaching.flags
    ]
    return {
        "strengths": coaching.strengths,
        "flags": flags,
        "verdict": coaching.verdict,
        "empathy": coaching.empathy.levels,
    }


def _page(thread: Thread, before: int | None) -> tuple[list[Message], int | None]:
    """Up to a page of messages before `before`, oldest first, and where the earlier ones end."""
    query = Message.objects.filter(thread=thread, hidden=False)
    if before is not None:
        query = query.filter(seq__lt=before)
    newest_first = list(
        query.select_related("author")
        .annotate(hears=Count("reactions"))
        .order_by("-seq")[: HISTORY_PAGE + 1]
    )
    earlier = newest_first[HISTORY_PAGE - 1].seq if len(newest_first) > HISTORY_PAGE else None
    return list(reversed(newest_first[:HISTORY_PAGE])), earlier
