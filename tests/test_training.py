"""The shipped curriculum, quiz scoring, retakes after review, certification and its expiry."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from holdspace.accounts.roles import Role
from holdspace.training.actions import RetakeLocked, do_mark_reviewed, do_submit_quiz
from holdspace.training.certification import (
    CERTIFICATION_PERIOD,
    RENEWAL_WINDOW,
    certify_if_complete,
    is_certified,
    status_of,
)
from holdspace.training.curriculum import CurriculumError, _check_quiz, shipped_modules
from holdspace.training.markdown import render_markdown
from holdspace.training.models import Certification, Module
from holdspace.training.practice import scenarios
from tests.people import person

pytestmark = pytest.mark.django_db

TOPICS = {
    "active-listening",
    "boundaries-and-self-disclosure",
    "confidentiality",
    "safety-and-crisis-response",
    "consent",
    "when-and-how-to-refer",
    "self-care-and-burnout",
    "cultural-humility",
}


def right_answers(module: Module) -> dict[int, int]:
    return {
        q.pk: next(a.pk for a in q.answers.all() if a.correct)
        for q in module.questions.prefetch_related("answers")
    }


def wrong_answers(module: Module) -> dict[int, int]:
    return {
        q.pk: next(a.pk for a in q.answers.all() if not a.correct)
        for q in module.questions.prefetch_related("answers")
    }


def test_the_curriculum_covers_every_topic_with_a_quiz_of_scenarios() -> None:
    modules = shipped_modules()
    assert {m.slug.split("-", 1)[1] for m in modules} == TOPICS
    for module in modules:
        assert len(module.body.split()) > 500, module.slug
        assert len(module.questions) >= 8
        for question in module.questions:
            assert question["scenario"].strip()
            assert all(answer["explanation"].strip() for answer in question["answers"])
    # Loaded on migrate, into the database admins edit.
    assert Module.objects.count() == len(modules)
    assert all(m.questions.count() >= 8 for m in Module.objects.all())


def test_a_quiz_with_two_right_answers_or_an_unexplained_one_is_refused() -> None:
    answer = {"text": "a", "correct": True, "explanation": "why"}
    questions = [{"scenario": "s", "answers": [answer, {**answer, "correct": False}]}] * 8
    _check_quiz("ok", questions)
    with pytest.raises(CurriculumError, match="exactly one"):
        _check_quiz("two", [{"scenario": "s", "answers": [answer, answer]}] * 8)
    with pytest.raises(CurriculumError, match="explain"):
        unexplained = [{"scenario": "s", "answers": [answer, {"text": "b", "explanation": " "}]}]
        _check_quiz("bare", unexplained * 8)
    with pytest.raises(CurriculumError, match="8 questions"):
        _check_quiz("short", questions[:7])


def test_module_text_cannot_carry_script() -> None:
    html = render_markdown("# Hi\n<script>alert(1)</script>\n[x](javascript:alert(1))")
    assert "<script>" not in html and 'href="javascript' not in html


def test_scoring_counts_right_answers_and_unanswered_as_wrong() -> None:
    trainee = person(Role.SUPPORTER, certified=False)
    module = Module.objects.first()
    assert module is not None
    right = right_answers(module)
    eight_right = dict(list(right.items())[:8])  # two left unanswered
    attempt = do_submit_quiz(trainee, module, eight_right)
    assert (attempt.correct_count, attempt.question_count) == (8, 10)
    assert attempt.score_percent == 80 and attempt.passed  # the pass mark is 80%

    other = person(Role.SUPPORTER, certified=False)
    seven = dict(list(right.items())[:7]) | dict(list(wrong_answers(module).items())[7:])
    failed = do_submit_quiz(other, module, seven)
    assert failed.score_percent == 70 and not failed.passed


def test_a_retake_waits_until_the_failed_attempt_is_reviewed() -> None:
    trainee = person(Role.SUPPORTER, certified=False)
    module = Module.objects.first()
    assert module is not None
    failed = do_submit_quiz(trainee, module, wrong_answers(module))
    with pytest.raises(RetakeLocked):
        do_submit_quiz(trainee, module, right_answers(module))
    do_mark_reviewed(trainee, failed)
    assert do_submit_quiz(trainee, module, right_answers(module)).passed


def test_the_result_page_explains_every_answer_and_is_the_review() -> None:
    trainee = person(Role.SUPPORTER, certified=False)
    module = Module.objects.first()
    assert module is not None
    failed = do_submit_quiz(trainee, module, wrong_answers(module))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(trainee)
    page = client.get(f"/training/attempts/{failed.pk}/").content.decode()
    explanations = [a.explanation for q in module.questions.all() for a in q.answers.all()]
    assert all(escape(explanation) in page for explanation in explanations)
    failed.refresh_from_db()
    assert failed.reviewed_at is not None
    stranger = Client(HTTP_HOST="127.0.0.1")
    stranger.force_login(person())
    assert stranger.get(f"/training/attempts/{failed.pk}/").status_code == 404


def test_passing_every_required_module_certifies_for_twelve_months() -> None:
    trainee = person(Role.SUPPORTER, certified=False)
    modules = list(Module.objects.filter(required=True))
    for module in modules[:-1]:
        do_submit_quiz(trainee, module, right_answers(module))
    assert not is_certified(trainee)
    assert [m.pk for m in status_of(trainee).modules_left] == [modules[-1].pk]
    do_submit_quiz(trainee, modules[-1], right_answers(modules[-1]))
    certificate = Certification.objects.get(user=trainee)
    assert certificate.expires_at - certificate.certified_at == CERTIFICATION_PERIOD
    assert is_certified(trainee)
    assert not is_certified(trainee, at=certificate.expires_at + timedelta(seconds=1))


def test_renewal_needs_the_quizzes_passed_again_near_expiry_and_runs_on_from_it() -> None:
    trainee = person(Role.SUPPORTER, certified=False)
    now = timezone.now()
    old = Certification.objects.create(
        user=trainee, certified_at=now - timedelta(days=340), expires_at=now + timedelta(days=25)
    )
    status = status_of(trainee)
    assert status.certified and status.renewal_open
    assert len(status.modules_left) == Module.objects.filter(required=True).count()
    # Passes from before the renewal window do not count towards renewing.
    for module in Module.objects.filter(required=True):
        do_submit_quiz(trainee, module, right_answers(module))
    renewed = Certification.objects.exclude(pk=old.pk).get(user=trainee)
    assert renewed.expires_at == old.expires_at + CERTIFICATION_PERIOD
    assert renewed.certified_at >= old.expires_at - RENEWAL_WINDOW
    assert certify_if_complete(trainee, timezone.now()) is None  # not due again


def test_an_expired_supporter_is_told_and_asked_to_renew() -> None:
    trainee = person(Role.SUPPORTER, certified=False)
    now = timezone.now()
    Certification.objects.create(
        user=trainee, certified_at=now - timedelta(days=400), expires_at=now - timedelta(days=35)
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(trainee)
    page = client.get("/training/").content.decode()
    assert "Your certification expired on" in page


def test_practice_scenarios_cover_every_module_and_coach_without_storing() -> None:
    assert {s.module.split("-", 1)[1] for s in scenarios()} == TOPICS
    trainee = person(Role.SUPPORTER, certified=False)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(trainee)
    secret = next(s for s in scenarios() if "promise" in s.slug)
    flagged = client.post(
        f"/training/practice/{secret.slug}/coach",
        {"body": "I promise I won't tell anyone, this stays between us."},
    )
    assert b"flag-block" in flagged.content
    fine = client.post(f"/training/practice/{secret.slug}/coach", {"body": secret.example_reply})
    assert b"flag-" not in fine.content and b"Nothing here crosses a line" in fine.content
