"""Reports, moderation actions with reasons the member reads, and one appeal each."""

import pytest
from django.core.exceptions import PermissionDenied

from holdspace.accounts.models import User
from holdspace.accounts.roles import Role
from holdspace.messaging.actions import Posted, PostRefused, do_post_message
from holdspace.messaging.models import Message
from holdspace.moderation.actions import (
    AlreadyAppealed,
    do_appeal,
    do_decide_appeal,
    do_moderate,
    do_report_message,
    restriction_of,
)
from holdspace.moderation.models import ModerationAction, Report
from tests.people import browser_of, person, room

pytestmark = pytest.mark.django_db


def reported() -> tuple[User, Message, Report]:
    author, reader = person(), person()
    thread = room("anxiety", author, reader).thread
    posted = do_post_message(author, thread, "you are all pathetic, nobody here is worth it")
    assert isinstance(posted, Posted)
    return author, posted.message, do_report_message(reader, posted.message, "hurtful")


def test_a_moderator_hides_a_reported_message_with_a_reason_the_author_reads() -> None:
    author, message, report = reported()
    moderator = browser_of(person(Role.MODERATOR))
    queue = moderator.get("/moderation/reports/").content.decode()
    assert "nobody here is worth it" in queue
    moderator.post(
        f"/moderation/reports/{report.pk}/act",
        {"kind": "hide", "reason": "Please speak to others with respect."},
    )
    message.refresh_from_db()
    report.refresh_from_db()
    assert message.hidden and report.status == Report.Status.CLOSED
    mine = browser_of(author).get("/moderation/mine/").content.decode()
    assert "Please speak to others with respect." in mine and "Appeal (once)" in mine
    assert "Moderation notices" in browser_of(author).get("/").content.decode()
    page = browser_of(person()).get("/rooms/anxiety/", follow=True).content.decode()
    assert "nobody here is worth it" not in page


def test_an_action_needs_a_reason_and_a_moderator() -> None:
    author, _, _ = reported()
    with pytest.raises(ValueError):
        do_moderate(person(Role.MODERATOR), author, "warn", "  ")
    with pytest.raises(PermissionDenied):
        do_moderate(person(Role.SUPPORTER), author, "warn", "be kind")
    for role in (Role.MEMBER, Role.SUPPORTER, Role.PROFESSIONAL):
        assert browser_of(person(role)).get("/moderation/reports/").status_code == 403


def test_a_mute_stops_posting_until_it_ends() -> None:
    author, _, _ = reported()
    do_moderate(person(Role.MODERATOR), author, "mute", "Cooling off for a day.", days=1)
    with pytest.raises(PostRefused, match="Cooling off"):
        do_post_message(author, room("anxiety").thread, "hello?")
    # Muted, not shut out: the pages still open.
    assert browser_of(author).get("/rooms/anxiety/").status_code == 200


def test_a_suspension_shows_why_and_leaves_help_and_the_appeal_open() -> None:
    author, _, _ = reported()
    do_moderate(person(Role.MODERATOR), author, "suspend", "Repeated abuse.", days=7)
    client = browser_of(author)
    blocked = client.get("/rooms/anxiety/")
    assert blocked.status_code == 403 and b"Repeated abuse." in blocked.content
    assert client.get("/help/").status_code == 200
    assert client.get("/moderation/mine/").status_code == 200


def test_one_appeal_decided_by_another_moderator_can_undo_the_action() -> None:
    author, message, report = reported()
    acting = person(Role.MODERATOR)
    action = do_moderate(acting, author, "hide", "Hurtful.", message=message, report=report)
    appeal = do_appeal(author, action, "I was quoting someone else, not saying it.")
    with pytest.raises(AlreadyAppealed):
        do_appeal(author, action, "again")
    with pytest.raises(PermissionDenied):
        do_decide_appeal(acting, appeal, False, "")  # not the one who acted
    with pytest.raises(PermissionDenied):
        do_appeal(person(), action, "not mine to appeal")
    do_decide_appeal(person(Role.MODERATOR), appeal, False, "You're right, sorry.")
    action.refresh_from_db()
    message.refresh_from_db()
    assert action.revoked_at is not None and not message.hidden


def test_a_revoked_ban_lifts_the_restriction() -> None:
    author, _, _ = reported()
    action = do_moderate(person(Role.MODERATOR), author, "ban", "Threats.")
    assert restriction_of(author) == action
    appeal = do_appeal(author, action, "It was my brother on my phone.")
    do_decide_appeal(person(Role.MODERATOR), appeal, True, "The ban stands.")
    assert restriction_of(author) == action
    assert ModerationAction.objects.get(pk=action.pk).appeal.upheld is True


def test_either_side_of_a_conversation_can_report_the_other_person() -> None:
    from holdspace.support.actions import do_accept_request, do_request_support

    member, supporter = person(), person(Role.SUPPORTER)
    request, _ = do_request_support(member, "grief", "en", "I miss my gran")
    assert request is not None
    do_accept_request(supporter, request)
    browser_of(member).post(
        f"/support/{request.pk}/report", {"reason": "kept asking for my number"}
    )
    report = Report.objects.get(message__isnull=True)
    assert report.subject == supporter and report.reporter == member
    assert (
        browser_of(person()).post(f"/support/{request.pk}/report", {"reason": "x"}).status_code
        == 403
    )

    moderator = browser_of(person(Role.MODERATOR))
    assert "kept asking for my number" in moderator.get("/moderation/reports/").content.decode()
    moderator.post(
        f"/moderation/reports/{report.pk}/act",
        {"kind": "suspend", "reason": "Asking members for contact details.", "days": "7"},
    )
    assert restriction_of(supporter) is not None
    report.refresh_from_db()
    assert report.status == Report.Status.CLOSED
