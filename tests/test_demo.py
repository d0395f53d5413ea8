"""`holdspace demo`: a community with one login per role, and a second run changes nothing."""

import pytest
from click.testing import CliRunner
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory

from holdspace.accounts.actions import roles_of
from holdspace.accounts.models import User
from holdspace.accounts.roles import Role
from holdspace.cli import main
from holdspace.community.models import Room
from holdspace.core.demo import DEMO_LOGINS

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> tuple[object, ...]:
    users = list(
        User.objects.order_by("pk").values_list(
            "pk", "username", "display_name", "password", "is_staff", "last_login"
        )
    )
    groups = sorted(User.groups.through.objects.values_list("user_id", "group_id"))
    rooms = list(Room.objects.order_by("pk").values_list("pk", "slug", "name", "guidelines"))
    return users, groups, rooms


def run_demo() -> str:
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_creates_rooms_and_one_login_for_every_role() -> None:
    output = run_demo()
    assert Room.objects.count() >= 3
    assert {login.role for login in DEMO_LOGINS} == set(Role)
    for login in DEMO_LOGINS:
        user = authenticate(
            RequestFactory().post("/accounts/login/"),
            username=login.username,
            password=login.password,
        )
        assert user is not None, login.username
        assert roles_of(user) == {login.role}
        assert f"{login.username}" in output and login.password in output


def test_running_demo_twice_changes_nothing() -> None:
    run_demo()
    before = snapshot()
    output = run_demo()
    assert snapshot() == before
    assert "0 rooms and 0 logins created now" in output


def test_demo_leaves_a_changed_password_alone() -> None:
    run_demo()
    member = User.objects.get(username="demo-member")
    member.set_password("my own private phrase")
    member.save()
    run_demo()
    assert (
        authenticate(
            RequestFactory().post("/accounts/login/"),
            username="demo-member",
            password="my own private phrase",
        )
        is not None
    )


def test_demo_member_logs_in_and_sees_the_rooms() -> None:
    run_demo()
    client = Client()
    member = next(login for login in DEMO_LOGINS if login.role is Role.MEMBER)
    client.post("/accounts/login/", {"username": member.username, "password": member.password})
    page = client.get("/").content.decode()
    for room in Room.objects.all():
        assert room.name in page


def test_demo_refuses_to_load_public_passwords_on_a_public_site(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["holdspace.example.org"]
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 1
    assert "only loads when ALLOWED_HOSTS are local" in result.output
    assert not User.objects.filter(username__startswith="demo-").exists()
