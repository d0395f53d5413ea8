"""The calendar file (RFC 5545) a member downloads for their booking."""

from django.utils import timezone
from icalendar import Calendar, Event

from holdspace.groups.models import Booking


def booking_calendar(booking: Booking, session_url: str) -> bytes:
    session = booking.session
    calendar = Calendar()
    calendar.add("prodid", "-//Holdspace//Group sessions//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"session-{session.pk}-booking-{booking.pk}@holdspace")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", session.title)
    event.add("description", f"{session.topic}\n\n{session.agreement}\n\n{session_url}")
    event.add("url", session_url)
    calendar.add_component(event)
    return calendar.to_ical()
