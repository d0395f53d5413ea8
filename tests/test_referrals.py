"""Professional help: the directory, referrals made only with the member's consent, and the
follow-up the background worker makes due."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from holdspace.accounts.models import User
from holdspace.accounts.roles import Role
from holdspace.config import ConfigurationError, referral_follow_up_days
from holdspace.messaging.actions import Posted, do_post_message
from holdspace.messaging.models import Message, Thread
from holdspace.moderation.queue import do_claim
from holdspace.referrals.actions import (
    AlreadyAnswered,
    do_answer_follow_up,
    do_answer_referral,
    do_mark_follow_up_due,
    do_propose_referral,
    may_propose,
)
from holdspace.referrals.models import Referral, Service, regions
from holdspace.support.actions import do_accept_request, do_request_support
from tests.people import person

FIRST_WORDS = "I keep waking at night and everything feels heavy"
IMMINENT = "I have the pills in my hand and I'm going to take them all tonight"


def service(name: str, **fields: Any) -> Service:
    """Fictional services for tests only: the product ships none."""
    values: dict[str, Any] = {
        "kind": Service.Kind.HELPLINE,
        "cost": Service.Cost.FREE,
        "languages": ["en"],
    } | fields
    return Service.objects.create(name=name, **values)


def conversation(member: User | None = None) -> tuple[User, User, Thread]:
    """A member's one-to-one conversation, accepted by a supporter."""
    member = member or person()
    supporter = person(Role.SUPPORTER)
    request, _ = do_request_support(member, "low_mood", "en", FIRST_WORDS)
    assert request is not None
    talk = do_accept_request(supporter, request)
    return member, supporter, talk.thread


def client_for(user: User) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def listed(page: str, services: list[Service]) -> set[str]:
    return {s.name for s in services if s.name in page}


# The directory


@pytest.mark.django_db
def test_search_and_each_filter_find_exactly_the_matching_services() -> None:
    here, elsewhere = regions()[0][0], regions()[1][0]
    night = service(
        "Nightwatch Line",
        kind=Service.Kind.CRISIS_LINE,
        description="Someone answers through the small hours.",
        languages=["en", "es"],
    )
    grief = service(
        "Willow Grief Circle",
        kind=Service.Kind.COMMUNITY,
        topics=["grief"],
        region=here,
        cost=Service.Cost.LOW_COST,
        description="Meetings for people who lost someone.",
    )
    therapy = service(
        "Harbour Therapy Practice",
        kind=Service.Kind.THERAPIST,
        topics=["anxiety", "low_mood"],
        languages=["es"],
        region=elsewhere,
        cost=Service.Cost.PAID,
    )
    closed = service("Shuttered Clinic", kind=Service.Kind.CLINIC, active=False)
    every = [night, grief, therapy, closed]
    member = client_for(person())

    def found(**query: str) -> set[str]:
        page = member.get("/referrals/", query)
        assert page.status_code == 200
        return listed(page.content.decode(), every)

    assert found() == {night.name, grief.name, therapy.name}  # never the inactive one
    assert found(q="harbour") == {therapy.name}  # in the name, any case
    assert found(q="small hours") == {night.name}  # every word, in the description
    assert found(q="lost meetings") == {grief.name}
    assert found(q="harbour meetings") == set()
    assert found(kind="therapist") == {therapy.name}
    # A service with no topics helps with anything.
    assert found(topic="grief") == {night.name, grief.name}
    assert found(topic="low_mood") == {night.name, therapy.name}
    assert found(language="es") == {night.name, therapy.name}
    assert found(language="en") == {night.name, grief.name}
    # International services serve every country.
    assert found(region=here) == {night.name, grief.name}
    assert found(region=elsewhere) == {night.name, therapy.name}
    assert found(cost="paid") == {therapy.name}
    assert found(cost="low_cost", region=here, topic="grief") == {grief.name}
    # A filter that is not one of the choices is refused, not silently matched.
    refused = member.get("/referrals/", {"kind": "witchcraft"}).content.decode()
    assert "errorlist" in refused


@pytest.mark.django_db
def test_htmx_gets_only_the_results_and_the_page_works_without_it() -> None:
    service("Nightwatch Line", kind=Service.Kind.CRISIS_LINE, phone="000 000")
    service("Harbour Therapy Practice", kind=Service.Kind.THERAPIST)
    member = client_for(person())
    full = member.get("/referrals/", {"kind": "crisis_line"}).content.decode()
    assert "<form" in full and 'role="search"' in full
    assert "Nightwatch Line" in full and "Harbour Therapy Practice" not in full
    assert 'href="tel:000000"' in full
    part = member.get("/referrals/", {"kind": "therapist"}, HTTP_HX_REQUEST="true")
    body = part.content.decode()
    assert "<html" not in body and 'role="search"' not in body
    assert "Harbour Therapy Practice" in body and "Nightwatch Line" not in body


@pytest.mark.django_db
def test_an_empty_directory_points_to_get_help_now() -> None:
    service("Shuttered Clinic", active=False)
    page = client_for(person()).get("/referrals/").content.decode()
    assert "no services in the directory yet" in page
    assert 'href="/help/">Get help now</a>' in page


@pytest.mark.django_db
def test_the_directory_needs_a_login_and_is_in_the_main_nav() -> None:
    for path in ("/referrals/", "/referrals/mine/"):
        response = Client().get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/")
    for role in (Role.MEMBER, Role.SUPPORTER, Role.MODERATOR, Role.PROFESSIONAL):
        client = client_for(person(role))
        home = client.get("/").content.decode()
        assert 'href="/referrals/">Professional help</a>' in home, role
        assert client.get("/referrals/").status_code == 200, role


@pytest.mark.django_db
def test_admins_add_services_in_the_admin_and_members_cannot() -> None:
    form = {
        "name": "Willow Grief Circle",
        "kind": "community",
        "description": "Meetings for people who lost someone.",
        "topics": ["grief", "loneliness"],
        "languages": ["en"],
        "region": regions()[0][0],
        "cost": "free",
        "website": "https://willow.example.org/",
        "hours": "Tuesdays, 18:00 to 20:00",
        "active": "on",
    }
    for role in (Role.MEMBER, Role.SUPPORTER, Role.MODERATOR):
        refused = client_for(person(role)).post("/admin/referrals/service/add/", form)
        assert refused.status_code == 302 and refused["Location"].startswith("/admin/login/")
    assert not Service.objects.exists()

    admin = client_for(person(Role.ADMIN))
    assert admin.get("/admin/referrals/service/?kind__exact=community&q=willow").status_code == 200
    added = admin.post("/admin/referrals/service/add/", form)
    assert added.status_code == 302, added.content.decode()
    made = Service.objects.get()
    assert made.topics == ["grief", "loneliness"] and made.region == form["region"]
    bad = admin.post("/admin/referrals/service/add/", form | {"name": "Other", "languages": []})
    assert bad.status_code == 200 and Service.objects.count() == 1  # a language is required
    assert form["name"] in client_for(person()).get("/referrals/").content.decode()


# Referrals: suggested, then made only with the member's yes


@pytest.mark.django_db
def test_a_referral_is_made_only_when_the_member_accepts() -> None:
    member, supporter, thread = conversation()
    line, circle = service("Nightwatch Line"), service("Willow Grief Circle")
    suggested = client_for(supporter).post(
        f"/referrals/threads/{thread.pk}/propose", {"service": line.pk}
    )
    assert suggested.status_code == 302
    referral = Referral.objects.get()
    assert referral.status == Referral.Status.PROPOSED and referral.member == member
    assert referral.made_by == supporter and referral.proposed_at is not None
    assert referral.consented_at is None and not referral.is_made
    notice = Message.objects.filter(thread=thread, kind=Message.Kind.NOTICE).last()
    assert notice is not None and line.name in notice.body
    # Suggesting it again while it waits changes nothing.
    assert do_propose_referral(supporter, thread, line).pk == referral.pk

    page = client_for(member).get("/referrals/mine/").content.decode()
    assert line.name in page and "like this" in page and "No, thank you" in page

    with pytest.raises(IntegrityError), transaction.atomic():  # no referral without consent
        Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.ACCEPTED)

    client_for(member).post(f"/referrals/{referral.pk}/answer", {"answer": "accept"})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED and referral.is_made
    assert referral.consented_at == referral.answered_at is not None

    other = do_propose_referral(supporter, thread, circle)
    do_answer_referral(member, other, accepted=False)
    other.refresh_from_db()
    assert other.status == Referral.Status.DECLINED and not other.is_made
    assert other.consented_at is None and other.answered_at is not None
    with pytest.raises(AlreadyAnswered):
        do_answer_referral(member, other, accepted=True)
    assert Referral.objects.get(pk=other.pk).status == Referral.Status.DECLINED
    assert [r.service for r in Referral.objects.filter(status="accepted")] == [line]

    thread_page = client_for(supporter).get(f"/referrals/threads/{thread.pk}/").content.decode()
    assert "Accepted" in thread_page and "Declined" in thread_page


@pytest.mark.django_db
def test_only_staff_and_supporters_who_can_see_the_conversation_suggest() -> None:
    member, supporter, thread = conversation()
    line = service("Nightwatch Line")
    outsider = person(Role.SUPPORTER)
    moderator, professional = person(Role.MODERATOR), person(Role.PROFESSIONAL)
    assert may_propose(supporter, thread)
    for someone in (outsider, moderator, professional, member, person()):
        assert not may_propose(someone, thread)
        with pytest.raises(PermissionDenied):
            do_propose_referral(someone, thread, line)
        client = client_for(someone)
        assert client.get(f"/referrals/threads/{thread.pk}/").status_code == 403
        refused = client.post(f"/referrals/threads/{thread.pk}/propose", {"service": line.pk})
        assert refused.status_code == 403
        page = client.get("/referrals/", {"thread": thread.pk}).content.decode()
        assert "Suggest this to" not in page
    assert not Referral.objects.exists()

    # Staff who claim the conversation's case may suggest, like its supporter.
    assert isinstance(do_post_message(member, thread, IMMINENT), Posted)
    assert do_claim(professional) is not None
    assert may_propose(professional, thread)
    page = client_for(professional).get("/referrals/").content.decode()
    assert f"?thread={thread.pk}" in page
    suggest = client_for(professional).get("/referrals/", {"thread": thread.pk})
    assert "Suggest this to" in suggest.content.decode()
    assert do_propose_referral(professional, thread, line).made_by == professional
    # An inactive service cannot be suggested.
    with pytest.raises(PermissionDenied):
        do_propose_referral(supporter, thread, service("Shuttered Clinic", active=False))


@pytest.mark.django_db
def test_another_member_cannot_see_or_answer_someone_elses_referral() -> None:
    member, supporter, thread = conversation()
    line = service("Nightwatch Line")
    referral = do_propose_referral(supporter, thread, line)
    stranger = person()
    client = client_for(stranger)
    assert line.name not in client.get("/referrals/mine/").content.decode()
    assert client.post(f"/referrals/{referral.pk}/answer", {"answer": "accept"}).status_code == 404
    with pytest.raises(PermissionDenied):
        do_answer_referral(stranger, referral, accepted=True)

    do_answer_referral(member, referral, accepted=True)
    do_mark_follow_up_due(referral.pk)
    answer = {"answer": "reached", "note": "not mine to say"}
    assert client.post(f"/referrals/{referral.pk}/follow-up", answer).status_code == 404
    with pytest.raises(PermissionDenied):
        do_answer_follow_up(stranger, referral, "reached")
    assert client.get(f"/referrals/threads/{thread.pk}/").status_code == 403
    referral.refresh_from_db()
    assert referral.follow_up_answered_at is None and referral.follow_up_answer == ""


# The follow-up


@pytest.mark.django_db(transaction=True)
def test_the_worker_makes_the_follow_up_due_and_the_member_answers_it(settings: Any) -> None:
    settings.HOLDSPACE_REFERRAL_FOLLOW_UP_DAYS = 3
    member, supporter, thread = conversation()
    line = service("Nightwatch Line")
    referral = do_propose_referral(supporter, thread, line)
    assert not DBTaskResult.objects.exists()  # a suggestion alone schedules nothing
    member_client = client_for(member)
    member_client.post(f"/referrals/{referral.pk}/answer", {"answer": "accept"})
    referral.refresh_from_db()
    job = DBTaskResult.objects.get()
    assert referral.answered_at is not None
    assert job.run_after == referral.answered_at + timedelta(days=3)
    question = f"Did you manage to reach {line.name}? How did it go?"
    assert question not in member_client.get("/referrals/mine/").content.decode()

    # The days go by (rather than the test waiting for them).
    DBTaskResult.objects.filter(pk=job.pk).update(run_after=timezone.now() - timedelta(seconds=1))
    call_command("db_worker", batch=True, startup_delay=False, interval=0)
    assert DBTaskResult.objects.get(pk=job.pk).status == "SUCCESSFUL"
    referral.refresh_from_db()
    assert referral.follow_up_due_at is not None and referral.follow_up_waiting
    page = member_client.get("/referrals/mine/").content.decode()
    assert question in page

    answered = member_client.post(
        f"/referrals/{referral.pk}/follow-up",
        {"answer": "did_not_help", "note": "  They were kind but the wait is long.  "},
    )
    assert answered.status_code == 302
    referral.refresh_from_db()
    assert referral.follow_up_answer == Referral.FollowUp.DID_NOT_HELP
    assert referral.follow_up_note == "They were kind but the wait is long."
    assert referral.follow_up_answered_at is not None
    stored = Referral.objects.values_list(Cast("follow_up_note", TextField()), flat=True).get()
    assert "wait" not in stored  # encrypted at rest, like every other thing people write
    assert question not in member_client.get("/referrals/mine/").content.decode()
    seen = client_for(supporter).get(f"/referrals/threads/{thread.pk}/").content.decode()
    assert "the wait is long" in seen
    assert not do_mark_follow_up_due(referral.pk)  # once only


@pytest.mark.django_db
def test_a_check_in_is_answered_once_with_one_of_its_answers(
    django_capture_on_commit_callbacks: Any,
) -> None:
    member, supporter, thread = conversation()
    referral = do_propose_referral(supporter, thread, service("Nightwatch Line"))
    declined = do_propose_referral(supporter, thread, service("Willow Grief Circle"))
    do_answer_referral(member, declined, accepted=False)
    assert not do_mark_follow_up_due(declined.pk)  # nothing to follow up on a "no"
    with django_capture_on_commit_callbacks(execute=True):
        do_answer_referral(member, referral, accepted=True)
    assert DBTaskResult.objects.count() == 1
    with pytest.raises(AlreadyAnswered):  # not due yet
        do_answer_follow_up(member, referral, "reached")
    assert do_mark_follow_up_due(referral.pk)

    client = client_for(member)
    wrong = client.post(f"/referrals/{referral.pk}/follow-up", {"answer": "maybe"})
    assert wrong.status_code == 400 and "errorlist" in wrong.content.decode()
    client.post(f"/referrals/{referral.pk}/follow-up", {"answer": "not_yet"})
    referral.refresh_from_db()
    assert referral.follow_up_answer == Referral.FollowUp.NOT_YET
    assert referral.follow_up_note == ""
    with pytest.raises(AlreadyAnswered):
        do_answer_follow_up(member, referral, "reached")


@pytest.mark.parametrize(
    ("raw", "days"), [(None, 7), ("", 7), ("1", 1), (" 14 ", 14), ("365", 365)]
)
def test_follow_up_days_come_from_the_environment(raw: str | None, days: int) -> None:
    env = {} if raw is None else {"HOLDSPACE_REFERRAL_FOLLOW_UP_DAYS": raw}
    assert referral_follow_up_days(env) == days


@pytest.mark.parametrize("raw", ["0", "-3", "1.5", "seven", "٣", "366"])
def test_follow_up_days_must_be_a_positive_whole_number(raw: str) -> None:
    with pytest.raises(ConfigurationError, match="HOLDSPACE_REFERRAL_FOLLOW_UP_DAYS"):
        referral_follow_up_days({"HOLDSPACE_REFERRAL_FOLLOW_UP_DAYS": raw})
