from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from holdspace.accounts.models import User
from holdspace.care.load import load_of, local_day_start
from holdspace.messaging.access import participation
from holdspace.messaging.actions import Held, PostRefused, do_post_message
from holdspace.messaging.models import Message
from holdspace.messaging.views import thread_context
from holdspace.moderation.actions import do_report_person
from holdspace.privacy.audit import record_view
from holdspace.support import actions
from holdspace.support.forms import BoundariesForm, FeedbackForm, SupportRequestForm
from holdspace.support.matching import may_accept
from holdspace.support.models import Boundaries, Conversation, Feedback, SupportRequest
from holdspace.training.certification import status_of


def support_home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not (user.has_perm("accounts.seek_support") or user.has_perm("accounts.offer_support")):
        raise PermissionDenied
    context = {
        "form": SupportRequestForm(initial={"language": request.LANGUAGE_CODE}),
        "waiting": actions.waiting_request_of(user),
        "mine": Conversation.objects.filter(member=user).select_related("supporter")[:20],
        "supporting": Conversation.objects.filter(
            supporter=user, ended_at__isnull=True
        ).select_related("member"),
        "requests": _requests_for(user) if user.has_perm("accounts.offer_support") else [],
    }
    if user.has_perm("accounts.offer_support"):
        context |= _supporter_state(user)
    return render(request, "support/home.html", context)


@require_POST
@permission_required("accounts.seek_support", raise_exception=True)
def request_support(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if waiting := actions.waiting_request_of(user):
        return redirect("conversation", pk=waiting.pk)
    form = SupportRequestForm(request.POST)
    held = None
    if form.is_valid():
        created, result = actions.do_request_support(
            user,
            form.cleaned_data["topic"],
            form.cleaned_data["language"],
            form.cleaned_data["note"],
        )
        if created is not None:
            return redirect("conversation", pk=created.pk)
        held = result if isinstance(result, Held) else None
    context = {
        "form": form,
        "held": held,
        "waiting": None,
        "mine": [],
        "supporting": [],
        "requests": [],
    }
    return render(request, "support/home.html", context, status=400)


def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = get_object_or_404(SupportRequest.objects.select_related("thread"), pk=pk)
    user: User = request.user  # type: ignore[assignment]
    where = participation(user, support_request.thread)
    if where is None:
        raise PermissionDenied
    talk = Conversation.objects.filter(request=support_request).select_related("supporter").first()
    if user.pk != support_request.member_id and (talk is None or user.pk != talk.supporter_id):
        # Staff who claimed a case from this conversation: every such view is in the access log.
        record_view(user, support_request.thread, "joined after claiming an escalation")
    context = {
        "support_request": support_request,
        "talk": talk,
        "is_member": user.pk == support_request.member_id,
        "feedback_form": FeedbackForm(instance=getattr(talk, "feedback", None)) if talk else None,
        **thread_context(support_request.thread, where),
    }
    return render(request, "support/conversation.html", context)


@require_POST
@permission_required("accounts.offer_support", raise_exception=True)
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = get_object_or_404(SupportRequest, pk=pk)
    try:
        actions.do_accept_request(request.user, support_request)  # type: ignore[arg-type]
    except actions.RequestTaken as taken:
        messages.info(request, str(taken))
        return redirect("support_home")
    return redirect("conversation", pk=pk)


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = get_object_or_404(SupportRequest, pk=pk)
    try:
        actions.do_withdraw_request(request.user, support_request)  # type: ignore[arg-type]
    except actions.RequestTaken as taken:
        messages.info(request, str(taken))
        return redirect("conversation", pk=pk)
    return redirect("support_home")


@require_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    talk = _latest_conversation(pk)
    actions.do_end_conversation(request.user, talk)  # type: ignore[arg-type]
    return redirect("conversation", pk=pk)


@require_POST
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    """The supporter's own words first, through the message door (and its coach), then step back."""
    talk = _latest_conversation(pk)
    user: User = request.user  # type: ignore[assignment]
    if user.pk != talk.supporter_id or not talk.is_open:
        raise PermissionDenied
    try:
        said = do_post_message(user, talk.thread, request.POST.get("message", ""))
    except PostRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("conversation", pk=pk)
    if isinstance(said, Held):
        reasons = " ".join(flag.message for flag in said.flags)
        messages.error(
            request, _("Your hand-over message was not sent: %(why)s") % {"why": reasons}
        )
        return redirect("conversation", pk=pk)
    actions.do_hand_over(user, talk)
    messages.success(request, _("Handed over. Thank you for knowing your limits."))
    return redirect("support_home")


@require_POST
def report_person(request: HttpRequest, pk: int) -> HttpResponse:
    """Report the other side of this conversation to the moderators."""
    talk = _latest_conversation(pk)
    user: User = request.user  # type: ignore[assignment]
    other = talk.other_side(user.pk)
    if other is None:
        raise PermissionDenied
    do_report_person(user, User.objects.get(pk=other), request.POST.get("reason", ""))
    messages.success(request, _("Thank you. A moderator will look at it."))
    return redirect("conversation", pk=pk)


@require_POST
def block(request: HttpRequest, pk: int) -> HttpResponse:
    talk = _latest_conversation(pk)
    actions.do_block(request.user, talk)  # type: ignore[arg-type]
    messages.info(request, _("Blocked. You will not be matched with each other again."))
    return redirect("support_home")


@require_POST
def invite_sharing(request: HttpRequest, pk: int) -> HttpResponse:
    talk = _latest_conversation(pk)
    invited = request.POST.get("invited") == "yes"
    actions.do_set_sharing_invited(request.user, talk, invited)  # type: ignore[arg-type]
    return redirect("conversation", pk=pk)


@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    talk = _latest_conversation(pk)
    if request.user.pk != talk.member_id:
        raise PermissionDenied
    form = FeedbackForm(request.POST)
    if talk.is_open:
        messages.error(request, _("Feedback can be given once the conversation has ended."))
        return redirect("conversation", pk=pk)
    if not form.is_valid():
        messages.error(request, _("Choose one of the answers to say whether you felt heard."))
        return redirect("conversation", pk=pk)
    actions.do_give_feedback(
        request.user,  # type: ignore[arg-type]
        talk,
        form.cleaned_data["felt_heard"],
        form.cleaned_data["comment"],
    )
    messages.success(request, _("Thank you. Only your supporter sees this."))
    return redirect("conversation", pk=pk)


@permission_required("accounts.offer_support", raise_exception=True)
def my_feedback(request: HttpRequest) -> HttpResponse:
    """What members said about conversations with this supporter; nobody else sees it here."""
    received = (
        Feedback.objects.filter(conversation__supporter=request.user)
        .select_related("conversation")
        .order_by("-created_at")
    )
    return render(request, "support/feedback.html", {"received": received})


@permission_required("accounts.offer_support", raise_exception=True)
def boundaries(request: HttpRequest) -> HttpResponse:
    mine = Boundaries.objects.filter(supporter=request.user).first() or Boundaries(
        supporter=request.user
    )
    form = BoundariesForm(request.POST or None, instance=mine)
    if request.method == "POST" and form.is_valid():
        actions.do_set_boundaries(form)
        messages.success(request, _("Saved. Matching follows these from now on."))
        return redirect("support_home")
    return render(request, "support/boundaries.html", {"form": form})


@require_POST
@permission_required("accounts.offer_support", raise_exception=True)
def not_today(request: HttpRequest) -> HttpResponse:
    actions.do_set_not_today(request.user, request.POST.get("on") == "yes")  # type: ignore[arg-type]
    return redirect("support_home")


def _supporter_state(user: User) -> dict[str, object]:
    mine = Boundaries.objects.filter(supporter=user).first() or Boundaries()
    return {
        "certification": status_of(user),
        "not_today": mine.not_today == local_day_start(timezone.now(), mine.time_zone).date(),
        "load": load_of(user),
    }


def _latest_conversation(request_id: int) -> Conversation:
    talk = Conversation.objects.filter(request_id=request_id).first()
    if talk is None:
        raise Http404
    return talk


def _requests_for(supporter: User) -> list[dict[str, object]]:
    waiting = SupportRequest.objects.filter(status=SupportRequest.Status.WAITING).select_related(
        "member"
    )
    rows = []
    for candidate in waiting:
        if not may_accept(supporter, candidate):
            continue
        note = Message.objects.filter(thread_id=candidate.thread_id).order_by("seq").first()
        rows.append({"request": candidate, "note": note})
    return rows
