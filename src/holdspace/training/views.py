from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from holdspace.accounts.models import User
from holdspace.coach import coach
from holdspace.messaging.actions import PostRefused, clean_body
from holdspace.messaging.views import coaching_view
from holdspace.training import actions
from holdspace.training.certification import status_of
from holdspace.training.markdown import render_markdown
from holdspace.training.models import Module, QuizAttempt
from holdspace.training.practice import scenario, scenarios


def overview(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    attempts = QuizAttempt.objects.filter(user=user).select_related("module")
    best: dict[int, QuizAttempt] = {}
    for attempt in attempts:
        if attempt.module_id not in best or attempt.passed:
            best.setdefault(attempt.module_id, attempt)
            if attempt.passed and not best[attempt.module_id].passed:
                best[attempt.module_id] = attempt
    rows = [{"module": m, "attempt": best.get(m.pk)} for m in Module.objects.all()]
    return render(request, "training/overview.html", {"rows": rows, "status": status_of(user)})


def module_page(request: HttpRequest, slug: str) -> HttpResponse:
    module = get_object_or_404(Module, slug=slug)
    return render(
        request,
        "training/module.html",
        {
            "module": module,
            "body": render_markdown(module.body),
            "last": actions.last_attempt(request.user, module),  # type: ignore[arg-type]
            "may_take": actions.may_take_quiz(request.user, module),  # type: ignore[arg-type]
        },
    )


def quiz(request: HttpRequest, slug: str) -> HttpResponse:
    module = get_object_or_404(Module, slug=slug)
    user: User = request.user  # type: ignore[assignment]
    if not actions.may_take_quiz(user, module):
        messages.info(request, _("Go through the explanations of your last attempt first."))
        last = actions.last_attempt(user, module)
        return redirect("quiz_result", pk=last.pk) if last else redirect("training")
    questions = module.questions.prefetch_related("answers")
    if request.method == "POST":
        choices = {}
        for question in questions:
            try:
                choices[question.pk] = int(request.POST.get(f"q{question.pk}", ""))
            except ValueError:
                continue
        attempt = actions.do_submit_quiz(user, module, choices)
        return redirect("quiz_result", pk=attempt.pk)
    return render(request, "training/quiz.html", {"module": module, "questions": questions})


def quiz_result(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_object_or_404(QuizAttempt.objects.select_related("module"), pk=pk)
    if attempt.user_id != request.user.pk:
        raise Http404
    # Reading this page is the review that opens a retake.
    actions.do_mark_reviewed(request.user, attempt)  # type: ignore[arg-type]
    chosen = {int(q): a for q, a in attempt.choices.items()}
    questions = [
        {"question": q, "chosen": chosen.get(q.pk), "answers": list(q.answers.all())}
        for q in attempt.module.questions.prefetch_related("answers")
    ]
    return render(
        request,
        "training/result.html",
        {"attempt": attempt, "questions": questions, "status": status_of(request.user)},  # type: ignore[arg-type]
    )


def practice_list(request: HttpRequest) -> HttpResponse:
    return render(request, "training/practice_list.html", {"scenarios": scenarios()})


def practice(request: HttpRequest, slug: str) -> HttpResponse:
    found = scenario(slug)
    if found is None:
        raise Http404
    return render(request, "training/practice.html", {"scenario": found})


@require_POST
def practice_coach(request: HttpRequest, slug: str) -> HttpResponse:
    """The trainee's reply, coached as a real draft would be. Nothing is stored."""
    found = scenario(slug)
    if found is None:
        raise Http404
    try:
        draft = clean_body(request.POST.get("body", ""))
    except PostRefused:
        return HttpResponse("")
    user: User = request.user  # type: ignore[assignment]
    coaching = coach(
        draft,
        seeker=found.message,
        disclosure_invited=found.disclosure_invited,
        locale=user.country or None,
    )
    return render(request, "messaging/_coaching.html", {"coaching": coaching_view(draft, coaching)})
