"""Group sessions: scheduling, capacity, calendar file, the room's window, facilitation."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from icalendar import Calendar

from holdspace.accounts.roles import Role
from holdspace.groups.actions import (
    BookingRefused,
    do_book_session,
    do_cancel_booking,
    do_end_session,
    do_set_muted,
    do_start_round,
)
from holdspace.groups.models import Booking, GroupSession
from holdspace.messaging.actions import Posted, PostRefused, do_post_message
from holdspace.messaging.models import Message
from tests.people import browser_of, open_session, person

pytestmark = pytest.mark.django_db


def test_a_facilitator_schedules_a_session_through_the_form() -> None:
    facilitator = person(Role.FACILITATOR)
    starts = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = browser_of(facilitator).post(
        "/sessions/new",
        {
            "title": "Sunday grief circle",
            "topic": "Grief",
            "starts_at": starts,
            "duration_minutes": 60,
            "capacity": 6,
            "agreement": "One voice at a time.",
        },
    )
    assert response.status_code == 302
    assert GroupSession.objects.get().facilitator == facilitator
    assert browser_of(person(Role.SUPPORTER)).get("/sessions/new").status_code == 403


def test_booking_respects_capacity_and_cancelling_frees_a_place() -> None:
    session = open_session(person(Role.FACILITATOR), capacity=2)
    first, second, third = person(), person(), person()
    do_book_session(first, session)
    do_book_session(second, session)
    with pytest.raises(BookingRefused, match="full"):
        do_book_session(third, session)
    do_cancel_booking(first, session)
    do_book_session(third, session)
    assert set(
        Booking.objects.filter(cancelled_at__isnull=True).values_list("member", flat=True)
    ) == {
        second.pk,
        third.pk,
    }


def test_the_calendar_file_describes_the_booked_session() -> None:
    member = person()
    session = open_session(person(Role.FACILITATOR), member)
    response = browser_of(member).get(f"/sessions/{session.pk}/calendar.ics")
    assert response["Content-Type"] == "text/calendar"
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert str(event["summary"]) == "Evening circle"
    # Calendar times have whole seconds.
    assert event.decoded("dtstart") == session.starts_at.replace(microsecond=0)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=60)
    assert browser_of(person()).get(f"/sessions/{session.pk}/calendar.ics").status_code == 404


def test_the_room_is_open_only_in_its_window_and_only_to_booked_members() -> None:
    member, outsider = person(), person()
    facilitator = person(Role.FACILITATOR)
    session = open_session(facilitator, member)
    assert isinstance(do_post_message(member, session.thread, "hello all"), Posted)
    with pytest.raises(PostRefused):
        do_post_message(outsider, session.thread, "can I come in?")

    later = open_session(facilitator, member)
    later.starts_at = timezone.now() + timedelta(hours=2)
    later.save()
    with pytest.raises(PostRefused, match="not open"):
        do_post_message(member, later.thread, "too early")


def test_joining_the_open_room_records_attendance() -> None:
    member = person()
    session = open_session(person(Role.FACILITATOR), member)
    page = browser_of(member).get(f"/sessions/{session.pk}/")
    assert b"data-thread" in page.content
    assert Booking.objects.get(member=member).attended_at is not None


def test_facilitation_rounds_mute_and_end() -> None:
    member, facilitator = person(), person(Role.FACILITATOR)
    session = open_session(facilitator, member)
    prompt = do_start_round(facilitator, session, "check_in")
    assert prompt.kind == Message.Kind.PROMPT and "how are you arriving" in prompt.body

    do_set_muted(facilitator, session, member, True)
    with pytest.raises(PostRefused, match="muted"):
        do_post_message(member, session.thread, "hi")
    do_set_muted(facilitator, session, member, False)
    assert isinstance(do_post_message(member, session.thread, "tired but here"), Posted)

    with pytest.raises(PermissionDenied):
        do_set_muted(member, session, facilitator, True)

    do_end_session(facilitator, session)
    session.refresh_from_db()
    assert session.ended_at is not None
    with pytest.raises(PostRefused):
        do_post_message(member, session.thread, "wait")


def test_the_facilitator_is_coached_and_members_are_not() -> None:
    member, facilitator = person(), person(Role.FACILITATOR)
    session = open_session(facilitator, member)
    do_post_message(member, session.thread, "I've been feeling so low since the breakup")
    held = do_post_message(facilitator, session.thread, "Just text me on 07700 900123 after")
    assert not isinstance(held, Posted)
