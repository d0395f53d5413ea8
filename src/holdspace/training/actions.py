from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from holdspace.accounts.models import User
from holdspace.training.certification import certify_if_complete
from holdspace.training.models import Module, QuizAttempt


class RetakeLocked(Exception):
    """A failed attempt must be reviewed before the quiz is taken again."""


def last_attempt(user: User, module: Module) -> QuizAttempt | None:
    return QuizAttempt.objects.filter(user=user, module=module).first()


def may_take_quiz(user: User, module: Module) -> bool:
    last = last_attempt(user, module)
    return last is None or last.passed or last.reviewed_at is not None


@transaction.atomic
def do_submit_quiz(user: User, module: Module, choices: dict[int, int]) -> QuizAttempt:
    """Grade the chosen answers; an unanswered question counts as wrong."""
    if not may_take_quiz(user, module):
        raise RetakeLocked(_("Go through the explanations of your last attempt before retaking."))
    questions = list(module.questions.prefetch_related("answers"))
    correct = 0
    for question in questions:
        right = {answer.pk for answer in question.answers.all() if answer.correct}
        correct += choices.get(question.pk) in right
    total = len(questions)
    score = round(100 * correct / total) if total else 0
    attempt = QuizAttempt.objects.create(
        user=user,
        module=module,
        choices={str(q): a for q, a in choices.items()},
        correct_count=correct,
        question_count=total,
        score_percent=score,
        passed=total > 0 and score >= module.pass_mark,
    )
    if attempt.passed:
        certify_if_complete(user, timezone.now())
    return attempt


@transaction.atomic
def do_mark_reviewed(user: User, attempt: QuizAttempt) -> None:
    if attempt.user_id == user.pk and attempt.reviewed_at is None:
        attempt.reviewed_at = timezone.now()
        attempt.save(update_fields=["reviewed_at"])
