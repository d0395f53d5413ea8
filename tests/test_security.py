"""Log-in lockout, sign-up and posting rate limits, the Content-Security-Policy, and logs that
carry no message text or personal data."""

import logging

import pytest
from django.test import Client

from holdspace.messaging.actions import Posted, PostRefused, do_post_message
from tests.people import person, room

PASSWORD = "a long passphrase 4 tests"
CRISIS = "I have the pills in my hand and I'm going to take them all tonight"

pytestmark = pytest.mark.django_db


def test_five_wrong_passwords_pause_log_in_for_that_account(
    caplog: pytest.LogCaptureFixture,
) -> None:
    member = person()
    client = Client(HTTP_HOST="127.0.0.1")
    for _ in range(5):
        client.post("/accounts/login/", {"username": member.username, "password": "wrong guess"})
    locked = client.post("/accounts/login/", {"username": member.username, "password": PASSWORD})
    assert locked.status_code == 429 and b"Too many tries" in locked.content
    assert b"Get help now" in locked.content
    assert "_auth_user_id" not in client.session
    assert member.username not in caplog.text  # axes logs "a client", not who


def test_sign_ups_from_one_address_are_limited() -> None:
    statuses = []
    for number in range(7):
        response = Client(HTTP_HOST="127.0.0.1").post(
            "/accounts/signup/",
            {
                "username": f"newcomer{number}",
                "display_name": f"Newcomer {number}",
                "password1": "a slow river at dusk",
                "password2": "a slow river at dusk",
                "agree": "on",
            },
        )
        statuses.append(response.status_code)
    assert statuses == [302] * 5 + [429, 429]


def test_posting_is_limited_per_person_per_minute(settings) -> None:  # type: ignore[no-untyped-def]
    settings.HOLDSPACE_MESSAGES_PER_MINUTE = 3
    member, other = person(), person()
    thread = room("anxiety", member, other).thread
    for number in range(3):
        assert isinstance(do_post_message(member, thread, f"note {number}"), Posted)
    with pytest.raises(PostRefused, match="very fast"):
        do_post_message(member, thread, "one more")
    assert isinstance(do_post_message(other, thread, "someone else is not slowed"), Posted)


def test_pages_carry_a_strict_content_security_policy() -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(person())
    for path in ("/", "/help/", "/rooms/anxiety/"):
        policy = client.get(path, follow=True)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_no_message_text_or_names_reach_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    member = person(name="Wren")
    thread = room("low-mood", member).thread
    do_post_message(member, thread, CRISIS)
    do_post_message(member, thread, "call me on 07700 900123")
    with pytest.raises(PostRefused):
        do_post_message(member, thread, "")
    text = caplog.text
    assert "pills" not in text and "07700" not in text and "Wren" not in text
