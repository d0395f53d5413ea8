"""do_post_message, the one door every message goes through: hold, screen, store, escalate."""

import pytest

from holdspace.accounts.roles import Role
from holdspace.messaging import actions
from holdspace.messaging.actions import Held, Posted, PostRefused, do_post_message
from holdspace.messaging.models import CoachEvent, Message
from holdspace.moderation.models import Escalation
from holdspace.safety import Level
from holdspace.support.actions import do_accept_request, do_request_support, do_set_sharing_invited
from tests.people import person, room

pytestmark = pytest.mark.django_db

CRISIS = "I have the pills in my hand and I'm going to take them all tonight"


def _support(member_note: str = "I keep panicking at night and can't sleep"):
    member, supporter = person(), person(Role.SUPPORTER)
    request, _ = do_request_support(member, "anxiety", "en", member_note)
    assert request is not None
    return member, supporter, do_accept_request(supporter, request)


def test_messages_in_a_thread_get_consecutive_sequence_numbers() -> None:
    member = person()
    thread = room("anxiety", member).thread
    first = do_post_message(member, thread, "hello everyone")
    second = do_post_message(member, thread, "  it has been a long week  ")
    assert isinstance(first, Posted) and isinstance(second, Posted)
    assert (first.message.seq, second.message.seq) == (1, 2)
    assert second.message.body == "it has been a long week"
    thread.refresh_from_db()
    assert thread.last_seq == 2


def test_a_crisis_message_is_stored_escalated_and_shows_the_author_the_emergency_number_first(
    django_capture_on_commit_callbacks,
) -> None:
    member = person(country="GB")
    thread = room("low-mood", member).thread
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = do_post_message(member, thread, CRISIS)
    assert isinstance(result, Posted)
    assert result.level == Level.IMMINENT
    assert result.resources[0].kind == "emergency" and result.resources[0].phone == "999"
    escalation = Escalation.objects.get()
    assert escalation.message == result.message and escalation.level == Level.IMMINENT
    spans = [span for category in escalation.categories for span in category["evidence"]]
    assert spans and all(CRISIS[start:end] for start, end in spans)
    # The message broadcast, the alert and the acknowledgement check all wait for the commit.
    assert len(callbacks) == 3


def test_an_ordinary_message_shows_no_resources_and_raises_nothing() -> None:
    member = person()
    result = do_post_message(member, room("grief", member).thread, "this exam is killing me lol")
    assert isinstance(result, Posted)
    assert result.resources == () and not Escalation.objects.exists()


def test_when_screening_fails_the_message_is_still_saved_and_the_lines_stay_in_reach(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(text: str, locale: str | None = None) -> None:
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr(actions, "screen", broken)
    member = person(country="GB")
    result = do_post_message(member, room("anxiety", member).thread, CRISIS)
    assert isinstance(result, Posted)
    assert result.screening_failed and result.message.screening_failed
    assert Message.objects.filter(pk=result.message.pk).exists()
    assert any(resource.kind == "crisis_line" for resource in result.resources)


def test_a_members_contact_details_are_held_back_and_only_the_flag_is_recorded() -> None:
    member = person()
    thread = room("loneliness", member).thread
    result = do_post_message(member, thread, "message me on 07700 900123 if you want to talk")
    assert isinstance(result, Held) and not result.can_send_anyway
    assert [flag.code for flag in result.flags] == ["contact_exchange"]
    assert not Message.objects.exists()
    event = CoachEvent.objects.get()
    assert event.outcome == CoachEvent.Outcome.CONTACT_HELD
    assert event.flag_codes == ["contact_exchange"]
    assert "07700" not in str(event.__dict__)


def test_a_supporters_block_holds_the_draft_and_nothing_is_stored() -> None:
    _, supporter, conversation = _support()
    before = Message.objects.count()
    result = do_post_message(
        supporter, conversation.thread, "I promise I won't tell anyone, this stays between us"
    )
    assert isinstance(result, Held) and not result.can_send_anyway
    assert "secrecy_promise" in {flag.code for flag in result.flags}
    assert Message.objects.count() == before


def test_a_warning_asks_once_and_sending_anyway_is_recorded() -> None:
    _, supporter, conversation = _support()
    draft = "When my mum died I went through the same thing, I couldn't sleep for months either."
    first = do_post_message(supporter, conversation.thread, draft)
    assert isinstance(first, Held) and first.can_send_anyway
    assert "uninvited_self_disclosure" in {flag.code for flag in first.flags}
    sent = do_post_message(supporter, conversation.thread, draft, send_anyway=True)
    assert isinstance(sent, Posted)
    event = CoachEvent.objects.get(outcome=CoachEvent.Outcome.SENT_ANYWAY)
    assert event.message == sent.message and "uninvited_self_disclosure" in event.flag_codes


def test_an_invitation_to_share_lets_self_disclosure_through() -> None:
    member, supporter, conversation = _support()
    draft = "When my mum died I went through the same thing, I couldn't sleep for months either."
    do_set_sharing_invited(member, conversation, True)
    result = do_post_message(supporter, conversation.thread, draft)
    assert isinstance(result, Posted)


def test_supporters_are_coached_against_the_members_last_message() -> None:
    _, supporter, conversation = _support(CRISIS)
    result = do_post_message(supporter, conversation.thread, "That sounds so hard. I'm here.")
    assert isinstance(result, Held)
    assert "missing_referral" in {flag.code for flag in result.flags}


def test_members_are_never_coached() -> None:
    member, _, conversation = _support()
    result = do_post_message(member, conversation.thread, "you should just get over it honestly")
    assert isinstance(result, Posted)
    assert not CoachEvent.objects.exists()


def test_a_resend_with_the_same_client_id_is_not_a_second_message() -> None:
    member = person()
    thread = room("anxiety", member).thread
    first = do_post_message(member, thread, "is anyone around?", client_id="c-1")
    again = do_post_message(member, thread, "is anyone around?", client_id="c-1")
    assert isinstance(first, Posted) and isinstance(again, Posted)
    assert again.duplicate and again.message.pk == first.message.pk
    assert Message.objects.count() == 1


@pytest.mark.parametrize("body", ["", "   \n ", None, 42, "x" * 4001])
def test_empty_huge_or_non_text_messages_are_refused_with_a_reason(body: object) -> None:
    member = person()
    with pytest.raises(PostRefused) as refusal:
        do_post_message(member, room("anxiety", member).thread, body)
    assert str(refusal.value)
    assert not Message.objects.exists()


def test_a_member_must_join_a_room_before_posting() -> None:
    member = person()
    with pytest.raises(PostRefused, match="Join the room"):
        do_post_message(member, room("anxiety").thread, "hello")


def test_nobody_else_can_post_in_a_one_to_one_conversation() -> None:
    _, _, conversation = _support()
    for outsider in (person(), person(Role.SUPPORTER), person(Role.MODERATOR)):
        with pytest.raises(PostRefused):
            do_post_message(outsider, conversation.thread, "hi")
