"""Rooms and one-to-one support through their pages, as members and supporters use them."""

import pytest

from holdspace.accounts.models import User
from holdspace.accounts.roles import Role
from holdspace.community.models import Membership
from holdspace.messaging.actions import Posted, do_post_message
from holdspace.messaging.models import Message
from holdspace.moderation.models import Report
from holdspace.support.actions import RequestTaken, do_accept_request
from holdspace.support.models import Conversation, Feedback, SupportRequest
from tests.people import browser_of, person, room

pytestmark = pytest.mark.django_db


def test_a_room_shows_its_guidelines_once_before_joining() -> None:
    member = person()
    made = room("grief")
    client = browser_of(member)
    first = client.get("/rooms/grief/")
    assert b"Be kind." in first.content and b"data-thread" not in first.content
    assert client.post("/rooms/grief/join").status_code == 302
    assert Membership.objects.filter(room=made, user=member).exists()
    assert b"data-thread" in client.get("/rooms/grief/").content


def test_room_history_pages_back_without_gaps(settings) -> None:  # type: ignore[no-untyped-def]
    settings.HOLDSPACE_MESSAGES_PER_MINUTE = 100
    member = person()
    thread = room("anxiety", member).thread
    for number in range(1, 61):
        assert isinstance(do_post_message(member, thread, f"note {number}"), Posted)
    client = browser_of(member)
    page = client.get("/rooms/anxiety/").content.decode()
    assert "note 60" in page and "note 11" in page and "note 10<" not in page
    earlier = client.get(f"/threads/{thread.pk}/history?before=11").content.decode()
    assert [f"note {n}<" in earlier for n in range(1, 11)] == [True] * 10
    assert "note 11<" not in earlier and "Show earlier" not in earlier


def test_a_report_reaches_the_moderation_queue() -> None:
    author, reader = person(), person()
    thread = room("anxiety", author, reader).thread
    posted = do_post_message(author, thread, "nobody here cares anyway")
    assert isinstance(posted, Posted)
    response = browser_of(reader).post(
        f"/messages/{posted.message.pk}/report", {"reason": "  unkind \n words "}
    )
    assert response.status_code == 200 and b"moderator" in response.content
    report = Report.objects.get()
    assert report.reporter == reader and report.reason == "unkind words"


def test_supporters_get_coaching_while_typing_and_members_get_none() -> None:
    member, supporter = person(), person(Role.SUPPORTER)
    thread = room("anxiety", member, supporter).thread
    draft = {"body": "I won't tell anyone, I promise"}
    coached = browser_of(supporter).post(f"/threads/{thread.pk}/coach", draft)
    assert coached.status_code == 200 and b"flag-block" in coached.content
    assert browser_of(member).post(f"/threads/{thread.pk}/coach", draft).status_code == 204


def _ask(member: User, note: str = "work is crushing me and I can't switch off") -> int:
    response = browser_of(member).post(
        "/support/request", {"topic": "stress", "language": "en", "note": note}
    )
    assert response.status_code == 302
    return SupportRequest.objects.get(member=member, status="waiting").pk


def test_one_to_one_support_from_request_to_feedback() -> None:
    member, supporter = person(name="Robin"), person(Role.SUPPORTER, name="Sam")
    pk = _ask(member)
    supporter_page = browser_of(supporter).get("/support/").content.decode()
    assert "work is crushing me" in supporter_page and "Support Robin" in supporter_page

    assert browser_of(supporter).post(f"/support/{pk}/accept").status_code == 302
    talk = Conversation.objects.get(request_id=pk)
    assert talk.supporter == supporter

    browser_of(member).post(f"/support/{pk}/invite", {"invited": "yes"})
    talk.refresh_from_db()
    assert talk.disclosure_invited
    notices = list(
        Message.objects.filter(thread=talk.thread, kind="notice").values_list("body", flat=True)
    )
    assert any("Sam has joined" in n for n in notices)
    assert any("hear about your own experience" in n for n in notices)
    assert b"Experience sharing: invited" in browser_of(supporter).get(f"/support/{pk}/").content

    browser_of(member).post(f"/support/{pk}/end")
    talk.refresh_from_db()
    assert talk.ended_at is not None and talk.ended_by == member
    browser_of(member).post(f"/support/{pk}/rate", {"felt_heard": "yes", "comment": "thank you"})
    assert Feedback.objects.get(conversation=talk).felt_heard == "yes"
    assert b"thank you" in browser_of(supporter).get("/support/feedback/").content
    assert b"thank you" not in browser_of(person(Role.SUPPORTER)).get("/support/feedback/").content


def test_feedback_waits_until_the_conversation_has_ended() -> None:
    member, supporter = person(), person(Role.SUPPORTER)
    pk = _ask(member)
    do_accept_request(supporter, SupportRequest.objects.get(pk=pk))
    browser_of(member).post(f"/support/{pk}/rate", {"felt_heard": "no"})
    assert not Feedback.objects.exists()


def test_only_one_supporter_can_accept_a_request() -> None:
    member = person()
    pk = _ask(member)
    first, second = person(Role.SUPPORTER), person(Role.SUPPORTER)
    do_accept_request(first, SupportRequest.objects.get(pk=pk))
    with pytest.raises(RequestTaken):
        do_accept_request(second, SupportRequest.objects.get(pk=pk))
    response = browser_of(second).post(f"/support/{pk}/accept")
    assert response.status_code == 302 and Conversation.objects.get().supporter == first


def test_members_cannot_accept_and_outsiders_cannot_read_a_conversation() -> None:
    member = person()
    pk = _ask(member)
    assert browser_of(person()).post(f"/support/{pk}/accept").status_code == 403
    assert browser_of(person()).get(f"/support/{pk}/").status_code == 403
    assert browser_of(person(Role.SUPPORTER)).get(f"/support/{pk}/").status_code == 403
    assert browser_of(member).get(f"/support/{pk}/").status_code == 200


def test_a_crisis_note_escalates_and_a_note_with_contact_details_is_held() -> None:
    member = person()
    held = browser_of(member).post(
        "/support/request", {"topic": "other", "language": "en", "note": "call me on 07700 900123"}
    )
    assert held.status_code == 400 and b"was not sent" in held.content
    assert not SupportRequest.objects.exists()
    _ask(member, "I've written my note and I'm going to jump off the bridge tonight")
    from holdspace.moderation.models import Escalation

    assert Escalation.objects.get().member == member


def test_a_member_with_a_waiting_request_is_taken_back_to_it() -> None:
    member = person()
    pk = _ask(member)
    again = browser_of(member).post(
        "/support/request", {"topic": "grief", "language": "en", "note": "me again"}
    )
    assert again["Location"] == f"/support/{pk}/"
    assert SupportRequest.objects.count() == 1


def test_a_thread_page_leaves_djangos_notices_alone() -> None:
    member, supporter = person(), person(Role.SUPPORTER)
    pk = _ask(member)
    do_accept_request(supporter, SupportRequest.objects.get(pk=pk))
    client = browser_of(member)
    client.post(f"/support/{pk}/end")
    page = client.post(f"/support/{pk}/rate", {"felt_heard": "partly"}, follow=True)
    assert b"Only your supporter sees this" in page.content
    flash = page.content.decode().split('class="flash"')[1].split("</ul>")[0]
    assert "Only your supporter sees this" in flash and "#1" not in flash


def test_feedback_without_an_answer_says_so() -> None:
    member, supporter = person(), person(Role.SUPPORTER)
    pk = _ask(member)
    talk = do_accept_request(supporter, SupportRequest.objects.get(pk=pk))
    client = browser_of(member)
    client.post(f"/support/{pk}/end")
    page = client.post(f"/support/{pk}/rate", {"felt_heard": ""}, follow=True)
    assert b"Choose one of the answers" in page.content
    assert not Feedback.objects.filter(conversation=talk).exists()
