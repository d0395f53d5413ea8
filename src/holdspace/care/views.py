from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from holdspace.accounts.models import User
from holdspace.care import actions
from holdspace.care.forms import DebriefForm, WellbeingForm
from holdspace.care.load import load_of
from holdspace.care.models import Break, Debrief, WellbeingCheckIn
from holdspace.care.wellbeing import LOW_RAW_SCORE, PERIOD, is_low

# Aggregates over fewer people than this would point at someone.
SMALLEST_GROUP = 5


@permission_required("accounts.offer_support", raise_exception=True)
def care_home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    load = load_of(user)
    return render(
        request,
        "care/home.html",
        {
            "load": load,
            "debrief_form": DebriefForm() if load.pending_debrief else None,
            "wellbeing_form": WellbeingForm(),
            "period": PERIOD,
            "history": WellbeingCheckIn.objects.filter(supporter=user)[:8],
        },
    )


@require_POST
@permission_required("accounts.offer_support", raise_exception=True)
def take_break(request: HttpRequest) -> HttpResponse:
    actions.do_take_break(request.user)  # type: ignore[arg-type]
    messages.success(request, _("Enjoy your break. New chats will wait for 15 minutes."))
    return redirect("care")


@require_POST
def debrief(request: HttpRequest, pk: int) -> HttpResponse:
    pending = get_object_or_404(Debrief, pk=pk, supporter=request.user)
    form = DebriefForm(request.POST, instance=pending)
    if form.is_valid():
        actions.do_debrief(
            request.user,  # type: ignore[arg-type]
            pending,
            form.cleaned_data["reflection"],
            form.cleaned_data["wants_to_talk"],
        )
        if form.cleaned_data["wants_to_talk"]:
            messages.success(request, _("A moderator will reach out to you. Thank you for asking."))
        else:
            messages.success(request, _("Thank you for taking a moment for yourself."))
    return redirect("care")


@require_POST
@permission_required("accounts.offer_support", raise_exception=True)
def check_in(request: HttpRequest) -> HttpResponse:
    form = WellbeingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Answer all five statements, please."))
        return redirect("care")
    done = actions.do_check_in(request.user, form.answers())  # type: ignore[arg-type]
    if is_low(done.score):
        messages.info(
            request,
            _(
                "Thank you for being honest. Things sound heavy right now: until your next "
                "check-in you will get at most one chat at a time. Please rest, and talk to a "
                "moderator or someone you trust if you would like to."
            ),
        )
    else:
        messages.success(request, _("Thank you for checking in."))
    return redirect("care")


def coordinators(request: HttpRequest) -> HttpResponse:
    """Aggregates only: no supporter's answers or words, and nothing about a group under five."""
    user: User = request.user  # type: ignore[assignment]
    if not (
        user.has_perm("accounts.moderate_community")
        or user.has_perm("accounts.administer_community")
    ):
        raise PermissionDenied
    since = timezone.now() - timedelta(days=7)
    latest_scores = WellbeingCheckIn.objects.filter(created_at__gte=since)
    summary = latest_scores.aggregate(
        people=Count("supporter", distinct=True),
        mean=Avg("score"),
        low=Count("pk", filter=Q(score__lt=LOW_RAW_SCORE * 4)),
    )
    shown = summary["people"] >= SMALLEST_GROUP
    return render(
        request,
        "care/coordinators.html",
        {
            "summary": summary if shown else None,
            "people": summary["people"],
            "smallest": SMALLEST_GROUP,
            "crisis_breaks": Break.objects.filter(
                started_at__gte=since, reason=Break.Reason.AFTER_CRISIS
            ).count(),
            # Asking to talk is a request for a person, so the name is shown; never the words.
            "asked_to_talk": Debrief.objects.filter(
                wants_to_talk=True, completed_at__gte=since
            ).select_related("supporter"),
        },
    )
