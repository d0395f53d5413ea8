from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from holdspace.accounts.models import User
from holdspace.messaging.models import Thread
from holdspace.referrals import actions
from holdspace.referrals.forms import DirectoryForm, FollowUpForm, ProposeForm, follow_up_form
from holdspace.referrals.models import Referral, Service


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """Search and filter the directory. With ?thread=, staff and supporters suggest from it."""
    user: User = request.user  # type: ignore[assignment]
    form = DirectoryForm(request.GET)
    form.is_valid()  # a filter that is not valid is left out and shown with its error
    services = Service.objects.search(
        text=form.cleaned_data.get("q", ""),
        **{
            name: form.cleaned_data.get(name, "")
            for name in ("kind", "topic", "language", "region", "cost")
        },
    )
    context = {
        "form": form,
        "services": services,
        "directory_empty": not Service.objects.filter(active=True).exists(),
        "suggest_in": _thread_to_suggest_in(user, request.GET.get("thread", "")),
    }
    htmx = request.htmx  # type: ignore[attr-defined]
    if htmx and not htmx.history_restore_request:
        return render(request, "referrals/_results.html", context)
    context |= {
        "waiting": Referral.objects.filter(member=user, status=Referral.Status.PROPOSED).count(),
        "conversations": actions.conversations_to_propose_in(user),
    }
    return render(request, "referrals/directory.html", context)


@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """What was suggested to this member, their answers, and check-ins that are due."""
    return _render_mine(request)


@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    referral = get_object_or_404(Referral, pk=pk, member=user)
    choice = request.POST.get("answer", "")
    if choice not in ("accept", "decline"):
        messages.error(request, _("Choose yes or no."))
        return redirect("my_referrals")
    try:
        actions.do_answer_referral(user, referral, accepted=choice == "accept")
    except actions.AlreadyAnswered as already:
        messages.info(request, str(already))
        return redirect("my_referrals")
    if choice == "accept":
        messages.success(
            request,
            _("Thank you. The details are below whenever you are ready; we'll check in later."),
        )
    else:
        messages.info(request, _("That's fine. Nothing more happens with this suggestion."))
    return redirect("my_referrals")


@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    referral = get_object_or_404(Referral.objects.select_related("service"), pk=pk, member=user)
    form = follow_up_form(referral, request.POST)
    if not form.is_valid():
        return _render_mine(request, failed={referral.pk: form}, status=400)
    try:
        actions.do_answer_follow_up(
            user, referral, form.cleaned_data["answer"], form.cleaned_data["note"]
        )
    except actions.AlreadyAnswered as already:
        messages.info(request, str(already))
        return redirect("my_referrals")
    messages.success(request, _("Thank you for letting us know."))
    return redirect("my_referrals")


@require_safe
def thread_referrals(request: HttpRequest, thread_id: int) -> HttpResponse:
    """For the supporter or staff in a conversation: what was suggested there and the answers."""
    user: User = request.user  # type: ignore[assignment]
    thread = _proposable(user, thread_id)
    return render(
        request,
        "referrals/thread.html",
        {
            "thread": thread,
            "support_request": actions.request_of(thread),
            "referrals": Referral.objects.filter(thread=thread).select_related(
                "service", "made_by"
            ),
            "form": ProposeForm(),
            "has_services": Service.objects.filter(active=True).exists(),
        },
    )


@require_POST
def propose(request: HttpRequest, thread_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    thread = _proposable(user, thread_id)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a service from the directory."))
        return redirect("thread_referrals", thread_id=thread.pk)
    actions.do_propose_referral(user, thread, form.cleaned_data["service"])
    messages.success(request, _("Suggested. The member decides whether to take it up."))
    return redirect("thread_referrals", thread_id=thread.pk)


def _proposable(user: User, thread_id: int) -> Thread:
    thread = get_object_or_404(Thread, pk=thread_id)
    if not actions.may_propose(user, thread):
        raise PermissionDenied
    return thread


def _thread_to_suggest_in(user: User, raw: str) -> dict[str, object] | None:
    if not raw.isdigit():
        return None
    thread = Thread.objects.filter(pk=int(raw)).first()
    if thread is None or not actions.may_propose(user, thread):
        return None
    return {"thread": thread, "member": actions.member_of(thread)}


def _render_mine(
    request: HttpRequest, failed: dict[int, FollowUpForm] | None = None, status: int = 200
) -> HttpResponse:
    """The member's page; `failed` holds a check-in form sent with an error, by referral."""
    user: User = request.user  # type: ignore[assignment]
    referrals = list(Referral.objects.filter(member=user).select_related("service", "made_by"))
    failed = failed or {}
    context = {
        "check_ins": [
            (referral, failed.get(referral.pk) or follow_up_form(referral))
            for referral in referrals
            if referral.follow_up_waiting
        ],
        "proposed": [r for r in referrals if r.status == Referral.Status.PROPOSED],
        "accepted": [r for r in referrals if r.status == Referral.Status.ACCEPTED],
        "declined": [r for r in referrals if r.status == Referral.Status.DECLINED],
        "follow_up_days": settings.HOLDSPACE_REFERRAL_FOLLOW_UP_DAYS,
    }
    return render(request, "referrals/mine.html", context, status=status)
