from datetime import timedelta
from statistics import median

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from holdspace.accounts.models import User
from holdspace.moderation import actions, queue
from holdspace.moderation.models import (
    Appeal,
    Escalation,
    EscalationEvent,
    ModerationAction,
    Report,
)
from holdspace.privacy.audit import record_view
from holdspace.safety import Level


def _staff(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not queue.may_work_cases(user):
        raise PermissionDenied
    return user


def alerts(request: HttpRequest) -> HttpResponse:
    """The live queue: open cases most urgent first, and the cases this person has claimed."""
    user = _staff(request)
    now = timezone.now()
    rows = [_row(case, now) for case in queue.queue()]
    mine = Escalation.objects.filter(
        claimed_by=user, status=Escalation.Status.ACKNOWLEDGED
    ).select_related("member")
    context = {"rows": rows, "mine": mine}
    template = "moderation/_alert_list.html" if request.htmx else "moderation/alerts.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_POST
def claim(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _staff(request)
    case = queue.do_claim(user, pk)
    if case is None:
        messages.info(request, _("Someone else has just taken that case."))
        return redirect("alerts")
    return redirect("case", pk=case.pk)


def case(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    found = get_object_or_404(
        Escalation.objects.select_related("message", "member", "thread", "claimed_by"), pk=pk
    )
    record_view(user, found.thread_id, f"escalation case {found.pk}")
    return render(
        request,
        "moderation/case.html",
        {
            "row": _row(found, timezone.now()),
            "case": found,
            "is_claimer": found.claimed_by_id == user.pk
            and found.status == Escalation.Status.ACKNOWLEDGED,
            "events": found.events.select_related("actor"),
            "notes": found.notes.select_related("author"),
            "outcomes": Escalation.Outcome.choices,
            "conversation_url": _conversation_url(found),
        },
    )


@require_POST
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    found = get_object_or_404(Escalation, pk=pk)
    body = request.POST.get("body", "").strip()
    if body:
        queue.do_add_note(user, found, body)
    return redirect("case", pk=pk)


@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    found = get_object_or_404(Escalation, pk=pk)
    outcome = request.POST.get("outcome", "")
    if outcome not in Escalation.Outcome.values:
        messages.error(request, _("Choose what the outcome was."))
        return redirect("case", pk=pk)
    queue.do_close(user, found, outcome)
    messages.success(request, _("Closed. Thank you."))
    return redirect("alerts")


def response_times(request: HttpRequest) -> HttpResponse:
    """How fast cases were acknowledged in the last 30 days, by level, against the targets."""
    _staff(request)
    since = timezone.now() - timedelta(days=30)
    rows = []
    for level in (Level.IMMINENT, Level.HIGH):
        cases = Escalation.objects.filter(created_at__gte=since, level=int(level))
        waits = [
            (c.acknowledged_at - c.created_at).total_seconds()
            for c in cases
            if c.acknowledged_at is not None
        ]
        target = queue.acknowledgement_target(int(level)).total_seconds()
        rows.append(
            {
                "level": level.label,
                "cases": cases.count(),
                "acknowledged": len(waits),
                "median": round(median(waits)) if waits else None,
                "worst": round(max(waits)) if waits else None,
                "within_target": sum(w <= target for w in waits),
                "target": round(target),
                "escalated": EscalationEvent.objects.filter(
                    escalation__in=cases, kind=EscalationEvent.Kind.ESCALATED
                ).count(),
            }
        )
    return render(request, "moderation/response_times.html", {"rows": rows})


def _row(case: Escalation, now: object) -> dict[str, object]:
    return {
        "case": case,
        "level": Level(case.level).label,
        "body": _marked(case),
        "overdue": case.status == Escalation.Status.OPEN
        and case.due_at is not None
        and case.due_at <= now,  # type: ignore[operator]
    }


def _conversation_url(case: Escalation) -> str:
    from holdspace.community.models import Room
    from holdspace.groups.models import GroupSession
    from holdspace.support.models import SupportRequest

    if room := Room.objects.filter(thread=case.thread_id).first():
        return f"/rooms/{room.slug}/"
    if request := SupportRequest.objects.filter(thread=case.thread_id).first():
        return f"/support/{request.pk}/"
    if session := GroupSession.objects.filter(thread=case.thread_id).first():
        return f"/sessions/{session.pk}/"
    return ""


def _marked(case: Escalation) -> list[tuple[str, bool]]:
    """The message as (text, is_evidence) pieces, so the template can mark the words."""
    body = case.message.body
    spans = sorted(
        {tuple(span) for category in case.categories for span in category.get("evidence", [])}
    )
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in spans:
        if start < at:
            continue
        pieces += [(body[at:start], False), (body[start:end], True)]
        at = end
    pieces.append((body[at:], False))
    return [piece for piece in pieces if piece[0]]


def reports(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if not actions.may_moderate(user):
        raise PermissionDenied
    open_reports = (
        Report.objects.filter(status=Report.Status.OPEN)
        .select_related("message", "subject", "reporter")
        .order_by("created_at")
    )
    return render(
        request,
        "moderation/reports.html",
        {"reports": open_reports, "kinds": ModerationAction.Kind.choices},
    )


@require_POST
def act_on_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    report = get_object_or_404(Report.objects.select_related("message", "subject"), pk=pk)
    kind = request.POST.get("kind", "")
    if kind == "dismiss":
        actions.do_dismiss_report(user, report)
        return redirect("reports")
    hide_without_message = kind == ModerationAction.Kind.HIDE and report.message is None
    if kind not in ModerationAction.Kind.values or report.subject is None or hide_without_message:
        messages.error(request, _("Choose an action."))
        return redirect("reports")
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("Write the reason the member will read."))
        return redirect("reports")
    try:
        days = int(request.POST.get("days") or 1)
    except ValueError:
        days = 1
    actions.do_moderate(
        user,
        report.subject,
        kind,
        reason,
        message=report.message,
        report=report,
        days=max(1, min(days, 365)),
    )
    messages.success(request, _("Done. The member sees the reason and can appeal once."))
    return redirect("reports")


def my_notices(request: HttpRequest) -> HttpResponse:
    """What moderators did about this member, why, and the one appeal each allows."""
    mine = ModerationAction.objects.filter(subject=request.user).select_related("appeal")
    return render(request, "moderation/mine.html", {"actions": mine})


@require_POST
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(ModerationAction, pk=pk, subject=request.user)
    text = request.POST.get("text", "").strip()
    if not text:
        messages.error(request, _("Say in a few words why you think this was wrong."))
        return redirect("my_notices")
    try:
        actions.do_appeal(request.user, action, text)  # type: ignore[arg-type]
    except actions.AlreadyAppealed:
        messages.info(request, _("You have already appealed this decision."))
    else:
        messages.success(request, _("Your appeal is with another moderator."))
    return redirect("my_notices")


def appeals(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if not actions.may_moderate(user):
        raise PermissionDenied
    waiting = (
        Appeal.objects.filter(decided_at__isnull=True)
        .select_related("action", "action__subject", "action__moderator")
        .order_by("created_at")
    )
    return render(request, "moderation/appeals.html", {"appeals": waiting})


@require_POST
def decide_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    found = get_object_or_404(Appeal.objects.select_related("action"), pk=pk)
    actions.do_decide_appeal(
        user, found, request.POST.get("upheld") == "yes", request.POST.get("response", "")
    )
    return redirect("appeals")
