"""Versioned consent, and supporter self-care: breaks, debriefs, check-ins, and their privacy."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from holdspace.accounts.consent import missing_consents
from holdspace.accounts.models import Consent, ConsentText, User
from holdspace.accounts.roles import Role
from holdspace.care.load import load_of
from holdspace.care.models import Break, Debrief, WellbeingCheckIn
from holdspace.care.wellbeing import score
from holdspace.messaging.actions import do_post_message
from holdspace.support.actions import do_accept_request, do_end_conversation, do_request_support
from holdspace.support.matching import may_accept
from tests.people import browser_of, person

pytestmark = pytest.mark.django_db

CRISIS = "I have the pills in my hand and I'm going to take them all tonight"


def test_sign_up_records_consent_to_the_current_version_and_requires_it() -> None:
    fields = {
        "username": "fern",
        "display_name": "Fern",
        "password1": "a slow river at dusk",
        "password2": "a slow river at dusk",
    }
    refused = Client(HTTP_HOST="127.0.0.1").post("/accounts/signup/", fields)
    assert refused.status_code == 200 and not User.objects.filter(username="fern").exists()
    assert b"what Holdspace is and is not" in refused.content

    Client(HTTP_HOST="127.0.0.1").post("/accounts/signup/", fields | {"agree": "on"})
    consent = Consent.objects.get(user__username="fern")
    assert consent.text.kind == "member" and consent.text.version == 1
    assert consent.given_at is not None


def test_a_new_version_asks_again_and_records_it() -> None:
    member = person()
    client = browser_of(member)
    assert client.get("/").status_code == 200
    newer = ConsentText.objects.create(kind="member", version=2, body="# Changed\n\nNew words.")
    asked = client.get("/rooms/anxiety/")
    assert asked.status_code == 302 and asked["Location"].startswith("/accounts/consent/")
    page = client.get(asked["Location"])
    assert b"New words." in page.content
    # Not ticking the box agrees to nothing.
    assert client.post(asked["Location"], {}).status_code == 400
    done = client.post(asked["Location"], {f"agree-{newer.pk}": "yes"})
    assert done["Location"] == "/rooms/anxiety/"
    assert Consent.objects.filter(user=member, text=newer).exists()
    assert Consent.objects.filter(user=member, text__version=1).exists()  # the history stays


def test_supporters_also_agree_to_the_code_of_conduct() -> None:
    supporter = person(Role.SUPPORTER)
    Consent.objects.filter(user=supporter, text__kind="supporter").delete()
    assert [text.kind for text in missing_consents(supporter)] == ["supporter"]
    assert browser_of(supporter).get("/support/").status_code == 302


def test_the_crisis_page_never_waits_for_consent() -> None:
    member = person()
    ConsentText.objects.create(kind="member", version=2, body="changed")
    assert browser_of(member).get("/help/").status_code == 200


def crisis_conversation() -> tuple[User, User, object]:
    member, supporter = person(), person(Role.SUPPORTER)
    request, _ = do_request_support(member, "low_mood", "en", "everything is heavy")
    assert request is not None
    talk = do_accept_request(supporter, request)
    do_post_message(member, talk.thread, CRISIS)
    return member, supporter, talk


def test_after_a_crisis_conversation_a_break_is_required_and_a_debrief_prompted() -> None:
    member, supporter, talk = crisis_conversation()
    do_end_conversation(member, talk)  # type: ignore[arg-type]
    crisis_break = Break.objects.get(supporter=supporter)
    assert crisis_break.reason == Break.Reason.AFTER_CRISIS
    assert not may_accept(supporter, do_request_support(person(), "grief", "en", "hi")[0])  # type: ignore[arg-type]
    debrief = Debrief.objects.get(supporter=supporter)
    assert load_of(supporter).pending_debrief == debrief
    page = browser_of(supporter).get("/care/").content.decode()
    assert "After a hard conversation" in page

    browser_of(supporter).post(
        f"/care/debrief/{debrief.pk}", {"reflection": "that shook me", "wants_to_talk": "on"}
    )
    debrief.refresh_from_db()
    assert debrief.completed_at is not None and debrief.wants_to_talk
    assert load_of(supporter).pending_debrief is None


def test_an_ordinary_conversation_needs_no_break() -> None:
    member, supporter = person(), person(Role.SUPPORTER)
    request, _ = do_request_support(member, "grief", "en", "I miss my gran")
    talk = do_accept_request(supporter, request)  # type: ignore[arg-type]
    do_end_conversation(supporter, talk)
    assert not Break.objects.exists() and not Debrief.objects.exists()


def test_a_break_is_offered_after_a_long_time_in_chats() -> None:
    member, supporter = person(), person(Role.SUPPORTER)
    request, _ = do_request_support(member, "grief", "en", "I miss my gran")
    talk = do_accept_request(supporter, request)  # type: ignore[arg-type]
    assert not load_of(supporter).break_offered
    assert load_of(supporter, talk.started_at + timedelta(minutes=95)).break_offered


def test_who5_scoring() -> None:
    assert score([5, 5, 5, 5, 5]) == 100 and score([0, 0, 0, 0, 0]) == 0
    assert score([3, 2, 3, 2, 3]) == 52
    with pytest.raises(ValueError):
        score([5, 5, 5, 5])
    with pytest.raises(ValueError):
        score([6, 0, 0, 0, 0])


def test_self_care_entries_are_private_and_coordinators_see_only_totals() -> None:
    supporters = [person(Role.SUPPORTER) for _ in range(5)]
    for number, supporter in enumerate(supporters):
        browser_of(supporter).post("/care/check-in", {f"item{i}": str(number) for i in range(5)})
    assert WellbeingCheckIn.objects.count() == 5
    _, crisis_supporter, talk = crisis_conversation()
    do_end_conversation(crisis_supporter, talk)  # type: ignore[arg-type]
    debrief = Debrief.objects.get()
    browser_of(crisis_supporter).post(
        f"/care/debrief/{debrief.pk}", {"reflection": "PRIVATE-REFLECTION-WORDS"}
    )

    moderator = browser_of(person(Role.MODERATOR))
    page = moderator.get("/care/coordinators/").content.decode()
    assert "Supporters who checked in: 5" in page and "Average WHO-5 score: 40/100" in page
    assert "PRIVATE-REFLECTION-WORDS" not in page

    # Another supporter's care page shows only their own entries; members cannot open it.
    other = browser_of(supporters[0]).get("/care/").content.decode()
    assert "PRIVATE-REFLECTION-WORDS" not in other
    assert "16/100" not in other  # supporter 4's score is not on supporter 0's page
    assert browser_of(person()).get("/care/").status_code == 403
    assert browser_of(person()).get("/care/coordinators/").status_code == 403
    assert browser_of(supporters[1]).get("/care/coordinators/").status_code == 403
    assert (
        browser_of(supporters[1]).post(f"/care/debrief/{debrief.pk}", {"reflection": "x"})
    ).status_code == 404


def test_totals_are_withheld_for_fewer_than_five_people() -> None:
    supporter = person(Role.SUPPORTER)
    browser_of(supporter).post("/care/check-in", {f"item{i}": "1" for i in range(5)})
    page = browser_of(person(Role.MODERATOR)).get("/care/coordinators/").content.decode()
    assert "Average WHO-5" not in page and "Fewer than 5 supporters" in page


def test_a_low_check_in_says_so_kindly_and_lowers_the_load() -> None:
    supporter = person(Role.SUPPORTER)
    response = browser_of(supporter).post(
        "/care/check-in", {f"item{i}": "1" for i in range(5)}, follow=True
    )
    assert b"Please rest" in response.content
    assert load_of(supporter).caps.lowered and load_of(supporter).caps.at_once == 1
    assert timezone.now() - WellbeingCheckIn.objects.get().created_at < timedelta(minutes=1)
