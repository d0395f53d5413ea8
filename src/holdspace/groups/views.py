from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from holdspace.accounts.models import User
from holdspace.groups import actions
from holdspace.groups.calendar import booking_calendar
from holdspace.groups.forms import ScheduleForm
from holdspace.groups.models import Booking, GroupSession
from holdspace.messaging.access import participation
from holdspace.messaging.views import thread_context
from holdspace.privacy.audit import record_view


def session_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    upcoming = GroupSession.objects.filter(
        ended_at__isnull=True, starts_at__gte=timezone.now() - timezone.timedelta(hours=4)
    ).select_related("facilitator")
    booked = set(
        Booking.objects.filter(member=user, cancelled_at__isnull=True).values_list(
            "session_id", flat=True
        )
    )
    rows = [
        {"session": s, "booked": s.pk in booked}
        for s in upcoming
        if not s.has_finished_at(timezone.now())
    ]
    return render(request, "groups/list.html", {"rows": rows})


@permission_required("accounts.facilitate_sessions", raise_exception=True)
def schedule(request: HttpRequest) -> HttpResponse:
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = actions.do_schedule_session(request.user, **form.cleaned_data)  # type: ignore[arg-type]
        return redirect("group_session", pk=session.pk)
    return render(request, "groups/schedule.html", {"form": form})


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(GroupSession.objects.select_related("thread", "facilitator"), pk=pk)
    user: User = request.user  # type: ignore[assignment]
    booking = Booking.objects.filter(
        session=session, member=user, cancelled_at__isnull=True
    ).first()
    is_facilitator = user.pk == session.facilitator_id
    now = timezone.now()
    context: dict[str, object] = {
        "session": session,
        "booking": booking,
        "is_facilitator": is_facilitator,
        "is_open": session.is_open_at(now),
        "finished": session.has_finished_at(now),
        "places_left": session.capacity
        - Booking.objects.filter(session=session, cancelled_at__isnull=True).count(),
    }
    where = participation(user, session.thread)
    if where is not None and not (booking or is_facilitator):
        record_view(user, session.thread, "joined after claiming an escalation")
    if where is not None and (context["is_open"] or is_facilitator):
        if booking is not None:
            actions.do_record_attendance(user, session)
        context |= thread_context(session.thread, where)
        context["show_room"] = True
    if is_facilitator:
        context["participants"] = Booking.objects.filter(
            session=session, cancelled_at__isnull=True
        ).select_related("member")
    return render(request, "groups/session.html", context)


@require_POST
def book(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(GroupSession, pk=pk)
    try:
        actions.do_book_session(request.user, session)  # type: ignore[arg-type]
    except actions.BookingRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("group_session", pk=pk)


@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(GroupSession, pk=pk)
    actions.do_cancel_booking(request.user, session)  # type: ignore[arg-type]
    return redirect("group_session", pk=pk)


def calendar_file(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(
        Booking.objects.select_related("session"),
        session_id=pk,
        member=request.user,
        cancelled_at__isnull=True,
    )
    url = request.build_absolute_uri(f"/sessions/{pk}/")
    response = HttpResponse(booking_calendar(booking, url), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="holdspace-session-{pk}.ics"'
    return response


@require_POST
def mute(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    session = get_object_or_404(GroupSession, pk=pk)
    member = get_object_or_404(User, pk=member_id)
    muted = request.POST.get("muted") == "yes"
    actions.do_set_muted(request.user, session, member, muted)  # type: ignore[arg-type]
    return redirect("group_session", pk=pk)


@require_POST
def start_round(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(GroupSession, pk=pk)
    round_name = request.POST.get("round", "")
    if round_name not in actions.ROUNDS:
        raise PermissionDenied
    actions.do_start_round(request.user, session, round_name)  # type: ignore[arg-type]
    return redirect("group_session", pk=pk)


@require_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(GroupSession, pk=pk)
    actions.do_end_session(request.user, session)  # type: ignore[arg-type]
    return redirect("group_session", pk=pk)
