"""Retention and its purge, export of one's data, account deletion, and the access log."""

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from holdspace.accounts.models import User
from holdspace.accounts.roles import Role
from holdspace.cli import main
from holdspace.messaging.actions import Posted, do_post_message
from holdspace.messaging.models import Message
from holdspace.moderation.models import Escalation
from holdspace.moderation.queue import do_claim
from holdspace.privacy.models import AccessLog
from holdspace.privacy.retention import dry_run, purge
from holdspace.privacy.tasks import schedule_purge
from holdspace.support.actions import do_accept_request, do_request_support
from tests.people import browser_of, person, room

CRISIS = "I have the pills in my hand and I'm going to take them all tonight"


def say(member: User, text: str, days_ago: int = 0) -> Message:
    result = do_post_message(member, room("anxiety", member).thread, text)
    assert isinstance(result, Posted)
    when = timezone.now() - timedelta(days=days_ago)
    Message.objects.filter(pk=result.message.pk).update(created_at=when)
    Escalation.objects.filter(message=result.message).update(created_at=when)
    return result.message


@pytest.mark.django_db
def test_the_purge_keeps_what_is_young_and_the_safety_record_and_a_dry_run_deletes_nothing() -> (
    None
):
    member = person()
    old = say(member, "an old ordinary message", days_ago=200)
    young = say(member, "a recent message", days_ago=10)
    old_crisis = say(member, CRISIS, days_ago=200)  # escalated: part of the safety record
    ancient_crisis = say(member, CRISIS, days_ago=800)  # past the safety record's retention too

    planned = {row.what: row.count for row in dry_run()}
    assert planned["messages"] == 2 and planned["escalations (with their notes and timeline)"] == 1
    assert Message.objects.count() == 4  # nothing deleted yet

    purge()
    left = set(Message.objects.values_list("pk", flat=True))
    assert left == {young.pk, old_crisis.pk}
    assert old.pk not in left and ancient_crisis.pk not in left
    assert Escalation.objects.count() == 1


@pytest.mark.django_db
def test_purge_from_the_command_line_with_a_dry_run() -> None:
    say(person(), "an old ordinary message", days_ago=200)
    result = CliRunner().invoke(main, ["purge", "--dry-run"])
    assert (
        result.exit_code == 0 and "would delete       1 messages (kept 180 days)" in result.output
    )
    assert Message.objects.count() == 1
    assert "deleted       1 messages" in CliRunner().invoke(main, ["purge"]).output
    assert Message.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_worker_purges_daily_and_schedules_the_next_run() -> None:
    say(person(), "an old ordinary message", days_ago=200)
    schedule_purge()
    schedule_purge()  # once is enough
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("db_worker", batch=True, startup_delay=False, interval=0)
    assert Message.objects.count() == 0
    upcoming = DBTaskResult.objects.get(status="READY")
    assert upcoming.run_after > timezone.now() + timedelta(hours=23)


@pytest.mark.django_db
def test_export_holds_my_data_readable_and_nobody_elses() -> None:
    me, other = person(name="Robin"), person(name="Kai")
    say(me, "my own words about my week")
    say(other, "someone else's words")
    response = browser_of(me).get("/my-data/export.json")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["profile"]["display_name"] == "Robin"
    assert [m["body"] for m in data["messages"]] == ["my own words about my week"]
    assert "someone else's words" not in response.content.decode()
    assert data["consents"] and data["consents"][0]["version"] == 1


@pytest.mark.django_db
def test_deleting_an_account_keeps_only_the_escalated_message_without_a_name() -> None:
    member = person()
    ordinary = say(member, "an ordinary message")
    crisis = say(member, CRISIS)
    client = browser_of(member)
    refused = client.post("/my-data/delete", {"confirm": "yes", "password": "wrong"})
    assert refused.status_code == 302 and User.objects.filter(pk=member.pk).exists()

    done = client.post(
        "/my-data/delete", {"confirm": "yes", "password": "a long passphrase 4 tests"}
    )
    assert b"Your account has been deleted" in done.content
    assert not User.objects.filter(pk=member.pk).exists()
    assert not Message.objects.filter(pk=ordinary.pk).exists()
    kept = Message.objects.get(pk=crisis.pk)
    assert kept.author is None and kept.body == CRISIS
    assert Escalation.objects.get().member is None
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_every_view_of_someone_elses_conversation_is_logged_for_admins() -> None:
    member, supporter = person(), person(Role.SUPPORTER)
    request, _ = do_request_support(member, "low_mood", "en", "everything is heavy")
    assert request is not None
    talk = do_accept_request(supporter, request)
    do_post_message(member, talk.thread, CRISIS)
    browser_of(member).get(f"/support/{request.pk}/")
    browser_of(supporter).get(f"/support/{request.pk}/")
    assert not AccessLog.objects.exists()  # the two parties are not logged

    moderator = person(Role.MODERATOR)
    case = do_claim(moderator)
    assert case is not None
    browser_of(moderator).get(f"/moderation/cases/{case.pk}/")
    browser_of(moderator).get(f"/support/{request.pk}/")
    reasons = list(AccessLog.objects.filter(viewer=moderator).values_list("reason", flat=True))
    assert sorted(reasons) == sorted(
        [f"escalation case {case.pk}", "joined after claiming an escalation"]
    )
    admin = browser_of(person(Role.ADMIN))
    page = admin.get("/admin/privacy/accesslog/")
    assert page.status_code == 200 and b"joined after claiming" in page.content
    assert (
        admin.get(f"/admin/privacy/accesslog/{AccessLog.objects.first().pk}/delete/").status_code
        == 403
    )
    assert browser_of(moderator).get("/admin/privacy/accesslog/").status_code == 302
