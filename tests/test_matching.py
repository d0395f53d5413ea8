"""Matching honours certification and every boundary a supporter sets (support.matching)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.accounts.roles import Role
from holdspace.care.actions import do_check_in, do_take_break
from holdspace.groups.actions import do_schedule_session
from holdspace.messaging.access import participation
from holdspace.support.actions import (
    do_accept_request,
    do_block,
    do_hand_over,
    do_request_support,
    do_set_not_today,
)
from holdspace.support.matching import may_accept, supporters_for
from holdspace.support.models import Boundaries, Conversation, SupportRequest
from holdspace.training.models import Certification
from tests.people import certify, person

pytestmark = pytest.mark.django_db


def next_wednesday_morning() -> datetime:
    """10:00 in London on the coming Wednesday: inside everyone's certification."""
    london = timezone.now().astimezone(ZoneInfo("Europe/London"))
    days = (2 - london.weekday()) % 7 or 7
    return (london + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)


def ask(member: User | None = None, topic: str = "grief", language: str = "en") -> SupportRequest:
    request, _ = do_request_support(member or person(), topic, language, "it's been a hard week")
    assert request is not None
    return request


def with_boundaries(**fields: object) -> User:
    supporter = person(Role.SUPPORTER)
    Boundaries.objects.create(supporter=supporter, **fields)
    return supporter


def test_only_certified_supporters_are_matched_and_may_accept() -> None:
    certified = person(Role.SUPPORTER)
    trainee = person(Role.SUPPORTER, certified=False)
    expired = person(Role.SUPPORTER, certified=False)
    Certification.objects.create(
        user=expired,
        certified_at=timezone.now() - timedelta(days=400),
        expires_at=timezone.now() - timedelta(days=35),
    )
    request = ask()
    assert {s.pk for s in supporters_for(request)} == {certified.pk}
    for uncertified in (trainee, expired):
        with pytest.raises(PermissionDenied):
            do_accept_request(uncertified, request)
    assert not Conversation.objects.exists()


def test_topics_taken_and_avoided() -> None:
    takes_grief = with_boundaries(topics=["grief"])
    avoids_grief = with_boundaries(avoided_topics=["grief"])
    anything = with_boundaries()
    assert {s.pk for s in supporters_for(ask(topic="grief"))} == {takes_grief.pk, anything.pk}
    assert {s.pk for s in supporters_for(ask(topic="anxiety"))} == {avoids_grief.pk, anything.pk}


def test_languages() -> None:
    spanish = with_boundaries(languages=["es"])
    assert may_accept(spanish, ask(language="es"))
    assert not may_accept(spanish, ask(language="en"))


def test_weekly_hours_in_the_supporters_own_time_zone() -> None:
    # Wednesdays 09:00-12:00 in London; the same instant is 05:00 in New York.
    london = with_boundaries(time_zone="Europe/London", hours=[[2, "09:00", "12:00"]])
    new_york = with_boundaries(time_zone="America/New_York", hours=[[2, "09:00", "12:00"]])
    request = ask()
    wednesday_morning = next_wednesday_morning()
    assert may_accept(london, request, wednesday_morning)
    assert not may_accept(new_york, request, wednesday_morning)
    assert not may_accept(london, request, wednesday_morning + timedelta(hours=3))
    assert not may_accept(london, request, wednesday_morning + timedelta(days=1))


def test_not_today_lasts_until_the_supporters_midnight() -> None:
    supporter = with_boundaries(time_zone="UTC")
    request = ask()
    do_set_not_today(supporter, True)
    assert not may_accept(supporter, request)
    assert may_accept(supporter, request, timezone.now() + timedelta(days=1))
    do_set_not_today(supporter, False)
    assert may_accept(supporter, request)


def test_chats_at_once_and_per_day() -> None:
    supporter = with_boundaries(max_at_once=1, max_per_day=2)
    first = do_accept_request(supporter, ask())
    assert not may_accept(supporter, ask())  # one open already
    Conversation.objects.filter(pk=first.pk).update(ended_at=timezone.now())
    second = do_accept_request(supporter, ask())
    Conversation.objects.filter(pk=second.pk).update(ended_at=timezone.now())
    assert not may_accept(supporter, ask())  # two today


def test_a_low_wellbeing_check_in_lowers_the_cap_until_the_next() -> None:
    supporter = with_boundaries(max_at_once=3, max_per_day=8)
    do_accept_request(supporter, ask())
    assert may_accept(supporter, ask())
    do_check_in(supporter, [1, 1, 2, 1, 2])  # 28/100: low
    assert not may_accept(supporter, ask())
    do_check_in(supporter, [4, 4, 3, 4, 4])  # 76/100
    assert may_accept(supporter, ask())


def test_a_break_pauses_matching() -> None:
    supporter = person(Role.SUPPORTER)
    request = ask()
    do_take_break(supporter)
    assert not may_accept(supporter, request)
    assert may_accept(supporter, request, timezone.now() + timedelta(minutes=16))


def test_blocking_either_way_prevents_matching() -> None:
    member, supporter = person(), person(Role.SUPPORTER)
    talk = do_accept_request(supporter, ask(member))
    do_block(member, talk)
    talk.refresh_from_db()
    assert talk.ended_at is not None
    assert not may_accept(supporter, ask(member))

    other_member, other_supporter = person(), person(Role.SUPPORTER)
    do_block(other_supporter, do_accept_request(other_supporter, ask(other_member)))
    assert not may_accept(other_supporter, ask(other_member))
    assert may_accept(other_supporter, ask())


def test_a_hand_over_returns_the_member_to_the_queue_for_someone_else() -> None:
    member, first, second = person(), person(Role.SUPPORTER), person(Role.SUPPORTER)
    request = ask(member)
    talk = do_accept_request(first, request)
    do_hand_over(first, talk)
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.WAITING
    assert not may_accept(first, request)
    assert participation(first, talk.thread) is None  # nor does it see the thread any more
    assert may_accept(second, request)
    again = do_accept_request(second, request)
    assert again.thread_id == talk.thread_id  # the member keeps everything said so far


def test_only_a_certified_facilitator_schedules_a_session() -> None:
    facilitator = person(Role.FACILITATOR, certified=False)
    fields = {
        "title": "t",
        "topic": "t",
        "starts_at": timezone.now() + timedelta(days=1),
        "duration_minutes": 60,
        "capacity": 6,
        "agreement": "a",
    }
    with pytest.raises(PermissionDenied):
        do_schedule_session(facilitator, **fields)  # type: ignore[arg-type]
    certify(facilitator)
    assert do_schedule_session(facilitator, **fields).facilitator == facilitator  # type: ignore[arg-type]


def test_a_supporter_sets_boundaries_through_the_page() -> None:
    from django.test import Client

    supporter = person(Role.SUPPORTER)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(supporter)
    form = {
        "topics": ["grief", "loneliness"],
        "avoided_topics": ["relationships"],
        "languages": ["es"],
        "time_zone": "America/Mexico_City",
        "max_at_once": "1",
        "max_per_day": "3",
        "from0": "18:00",
        "to0": "21:00",
    }
    assert client.post("/support/boundaries/", form).status_code == 302
    saved = Boundaries.objects.get(supporter=supporter)
    assert saved.topics == ["grief", "loneliness"] and saved.languages == ["es"]
    assert saved.hours == [[0, "18:00", "21:00"]] and saved.max_at_once == 1

    bad = client.post("/support/boundaries/", form | {"to0": "17:00", "avoided_topics": ["grief"]})
    assert bad.status_code == 200
    assert b"a later end" in bad.content and b"both taken and avoided" in bad.content


def test_an_admins_edit_of_a_module_survives_a_new_migrate() -> None:
    from django.test import Client

    from holdspace.training.curriculum import load_missing_modules
    from holdspace.training.models import Module

    admin = Client(HTTP_HOST="127.0.0.1")
    admin.force_login(person(Role.ADMIN))
    module = Module.objects.get(slug="05-consent")
    page = admin.get(f"/admin/training/module/{module.pk}/change/")
    assert page.status_code == 200
    module.body = "Edited by our community."
    module.save()
    load_missing_modules()
    assert Module.objects.get(slug="05-consent").body == "Edited by our community."
