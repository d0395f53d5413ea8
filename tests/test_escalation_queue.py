"""The escalation queue: routing, roster, claiming under concurrency, notes, outcomes, and the
background job that takes an unacknowledged case up the roster."""

import os
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from holdspace.accounts.models import User
from holdspace.accounts.roles import Role
from holdspace.messaging.access import participation
from holdspace.messaging.actions import Posted, do_post_message
from holdspace.moderation.models import DutyShift, Escalation, EscalationEvent
from holdspace.moderation.queue import (
    do_add_note,
    do_claim,
    do_close,
    escalate_if_unacknowledged,
    queue,
)
from holdspace.support.actions import do_accept_request, do_request_support
from tests.people import person, room

IMMINENT = "I have the pills in my hand and I'm going to take them all tonight"
SELF_HARM = "I really want to cut myself tonight, the urge is so strong"
VOICES = "the voices are telling me to hurt my neighbour and I think I have to obey them"


def escalate(text: str, member: User | None = None) -> Escalation:
    member = member or person()
    result = do_post_message(member, room("low-mood", member).thread, text)
    assert isinstance(result, Posted) and result.escalation is not None, text
    return result.escalation


def on_duty(role: Role, position: int) -> User:
    staff = person(role)
    now = timezone.now()
    DutyShift.objects.create(
        person=staff,
        role="moderator" if role is Role.MODERATOR else "professional",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=3),
        position=position,
    )
    return staff


def alerted(case: Escalation, kind: str) -> list[int]:
    return EscalationEvent.objects.get(escalation=case, kind=kind).detail["to"]


@pytest.mark.django_db
def test_risk_to_others_severe_illness_and_imminent_cases_go_to_the_professional_too() -> None:
    assert escalate(SELF_HARM).route == Escalation.Route.MODERATOR
    assert escalate(IMMINENT).route == Escalation.Route.PROFESSIONAL
    assert escalate(VOICES).route == Escalation.Route.PROFESSIONAL


@pytest.mark.django_db
def test_the_first_on_the_roster_in_each_role_is_alerted() -> None:
    first, second = on_duty(Role.MODERATOR, 1), on_duty(Role.MODERATOR, 2)
    doctor = on_duty(Role.PROFESSIONAL, 1)
    assert alerted(escalate(SELF_HARM), "alerted") == [first.pk]
    assert sorted(alerted(escalate(IMMINENT), "alerted")) == sorted([first.pk, doctor.pk])
    assert second.pk not in alerted(escalate(VOICES), "alerted")


@pytest.mark.django_db
def test_with_nobody_on_the_roster_every_moderator_is_alerted() -> None:
    moderators = [person(Role.MODERATOR) for _ in range(2)]
    assert sorted(alerted(escalate(SELF_HARM), "alerted")) == sorted(m.pk for m in moderators)


@pytest.mark.django_db
def test_the_queue_ranks_by_level_then_score_then_waiting_time() -> None:
    high = escalate(SELF_HARM)
    imminent = escalate(IMMINENT)
    later_high = escalate(SELF_HARM)
    assert [case.pk for case in queue()] == [imminent.pk, high.pk, later_high.pk]


@pytest.mark.django_db
def test_an_unacknowledged_case_goes_to_the_next_on_the_roster_and_the_admins() -> None:
    first, second = on_duty(Role.MODERATOR, 1), on_duty(Role.MODERATOR, 2)
    admin = person(Role.ADMIN)
    case = escalate(SELF_HARM)
    assert not escalate_if_unacknowledged(case.pk)  # not due yet
    Escalation.objects.filter(pk=case.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    assert escalate_if_unacknowledged(case.pk)
    case.refresh_from_db()
    assert case.escalation_steps == 1 and case.due_at > timezone.now()
    assert sorted(alerted(case, "escalated")) == sorted([second.pk, admin.pk])
    assert first.pk not in alerted(case, "escalated")

    do_claim(first, case.pk)
    Escalation.objects.filter(pk=case.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    assert not escalate_if_unacknowledged(case.pk)  # acknowledged: nothing more


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_the_acknowledgement_check() -> None:
    on_duty(Role.MODERATOR, 1)
    second = on_duty(Role.MODERATOR, 2)
    case = escalate(SELF_HARM)
    job = DBTaskResult.objects.get()
    assert job.run_after == case.due_at
    # Time moves on past the target (rather than the test waiting for it).
    past = timezone.now() - timedelta(seconds=1)
    DBTaskResult.objects.filter(pk=job.pk).update(run_after=past)
    Escalation.objects.filter(pk=case.pk).update(due_at=past)
    call_command("db_worker", batch=True, startup_delay=False, interval=0)
    assert second.pk in alerted(case, "escalated")
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # the next check


@pytest.mark.django_db
def test_a_claimer_joins_the_conversation_writes_notes_and_closes_with_an_outcome() -> None:
    member, supporter = person(), person(Role.SUPPORTER)
    request, _ = do_request_support(member, "low_mood", "en", "everything is heavy")
    assert request is not None
    talk = do_accept_request(supporter, request)
    result = do_post_message(member, talk.thread, IMMINENT)
    assert isinstance(result, Posted) and result.escalation is not None
    moderator = person(Role.MODERATOR)
    assert participation(moderator, talk.thread) is None

    case = do_claim(moderator)
    assert case is not None and case.pk == result.escalation.pk
    assert participation(moderator, talk.thread) is not None
    joined = do_post_message(moderator, talk.thread, "Hi, I'm Jo from the team. Are you safe?")
    assert isinstance(joined, Posted)
    do_add_note(moderator, case, "Member says they are with their sister now.")
    do_close(moderator, case, Escalation.Outcome.EMERGENCY_ADVISED)
    case.refresh_from_db()
    assert case.status == Escalation.Status.CLOSED and case.outcome == "emergency_advised"
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["created", "alerted", "claimed", "note", "closed"]
    assert participation(moderator, talk.thread) is None  # closed: the door shuts again


@pytest.mark.django_db
def test_only_staff_claim_and_only_the_claimer_closes() -> None:
    case = escalate(SELF_HARM)
    assert do_claim(person(Role.SUPPORTER), case.pk) is None
    first, second = person(Role.MODERATOR), person(Role.MODERATOR)
    assert do_claim(first, case.pk) is not None
    assert do_claim(second, case.pk) is None
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        do_close(second, case, Escalation.Outcome.NO_RISK)


@pytest.mark.django_db(transaction=True)
def test_two_claimers_racing_take_different_cases() -> None:
    cases = {escalate(SELF_HARM).pk, escalate(SELF_HARM).pk}
    claimers = [person(Role.MODERATOR), person(Role.MODERATOR)]
    start = threading.Barrier(2)
    got: dict[int, int | None] = {}

    def claim(user: User) -> None:
        try:
            start.wait(timeout=10)
            case = do_claim(user)
            got[user.pk] = case.pk if case is not None else None
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(user,)) for user in claimers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert set(got.values()) == cases  # each took one, neither took the same
    assert Escalation.objects.filter(status="acknowledged").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_claimers_racing_for_one_case_one_wins() -> None:
    only = escalate(IMMINENT).pk
    claimers = [person(Role.MODERATOR), person(Role.PROFESSIONAL)]
    start = threading.Barrier(2)
    got: list[int | None] = []

    def claim(user: User) -> None:
        try:
            start.wait(timeout=10)
            case = do_claim(user, only)
            got.append(case.pk if case is not None else None)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(user,)) for user in claimers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(got, key=str) == sorted([only, None], key=str)
    assert Escalation.objects.get(pk=only).events.filter(kind="claimed").count() == 1


@pytest.mark.django_db
def test_queue_case_and_report_pages_are_for_staff_only() -> None:
    case = escalate(IMMINENT)
    moderator = Client(HTTP_HOST="127.0.0.1")
    moderator.force_login(person(Role.MODERATOR))
    page = moderator.get("/moderation/alerts/").content.decode()
    assert "<mark>" in page and "Take the most urgent case" in page
    assert moderator.post(f"/moderation/cases/{case.pk}/claim").status_code == 302
    moderator.post(f"/moderation/cases/{case.pk}/close", {"outcome": "resources_given"})
    report = moderator.get("/moderation/response-times/").content.decode()
    assert "imminent" in report
    for role in (Role.MEMBER, Role.SUPPORTER, Role.FACILITATOR):
        outsider = Client(HTTP_HOST="127.0.0.1")
        outsider.force_login(person(role))
        for path in (
            "/moderation/alerts/",
            f"/moderation/cases/{case.pk}/",
            "/moderation/response-times/",
        ):
            assert outsider.get(path).status_code == 403, (role, path)


@pytest.mark.django_db
def test_admins_keep_the_roster_in_the_admin() -> None:
    admin = Client(HTTP_HOST="127.0.0.1")
    admin.force_login(person(Role.ADMIN))
    moderator = person(Role.MODERATOR)
    now = timezone.now()
    response = admin.post(
        "/admin/moderation/dutyshift/add/",
        {
            "person": moderator.pk,
            "role": "moderator",
            "starts_at_0": now.strftime("%Y-%m-%d"),
            "starts_at_1": "00:00:00",
            "ends_at_0": (now + timedelta(days=1)).strftime("%Y-%m-%d"),
            "ends_at_1": "23:59:00",
            "position": 1,
        },
    )
    assert response.status_code == 302, response.content[:500]
    assert DutyShift.objects.get().person == moderator
    member = Client(HTTP_HOST="127.0.0.1")
    member.force_login(person(Role.MODERATOR))
    assert member.get("/admin/moderation/dutyshift/").status_code == 302


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="row locks with skip_locked are PostgreSQL's; SQLite serialises whole transactions",
)
def test_a_claimer_skips_a_case_someone_is_claiming_instead_of_waiting() -> None:
    first, second = escalate(IMMINENT), escalate(SELF_HARM)
    claimer = person(Role.MODERATOR)
    got: list[int | None] = []

    def claim() -> None:
        try:
            case = do_claim(claimer)
            got.append(case.pk if case is not None else None)
        finally:
            connection.close()

    with transaction.atomic():
        Escalation.objects.select_for_update().get(pk=first.pk)  # someone is on it right now
        other = threading.Thread(target=claim)
        other.start()
        other.join(timeout=10)
        finished_while_locked = not other.is_alive()
    other.join(timeout=30)
    assert finished_while_locked, "the claimer waited for the locked case"
    assert got == [second.pk]
