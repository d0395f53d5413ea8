"""Roles are groups with permissions; what each can do, and who may enter the admin."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from holdspace.accounts.actions import do_create_user, do_set_roles
from holdspace.accounts.consent import do_give_consent, load_first_versions, missing_consents
from holdspace.accounts.models import User
from holdspace.accounts.roles import ROLE_PERMISSIONS, Role

pytestmark = pytest.mark.django_db

PASSWORD = "a slow river at dusk"
CAPABILITIES = [
    "accounts.seek_support",
    "accounts.offer_support",
    "accounts.facilitate_sessions",
    "accounts.moderate_community",
    "accounts.take_referrals",
    "accounts.administer_community",
]
# role -> the capabilities it must hold; every other one it must not.
EXPECTED = {
    Role.MEMBER: {"accounts.seek_support"},
    Role.SUPPORTER: {"accounts.seek_support", "accounts.offer_support"},
    Role.FACILITATOR: {
        "accounts.seek_support",
        "accounts.offer_support",
        "accounts.facilitate_sessions",
    },
    Role.MODERATOR: {"accounts.moderate_community"},
    Role.PROFESSIONAL: {"accounts.take_referrals"},
    Role.ADMIN: {"accounts.administer_community"},
}


def person(role: Role) -> User:
    load_first_versions()
    user = do_create_user(f"user-{role.value}", f"Person {role.value}", PASSWORD, roles=[role])
    do_give_consent(user, missing_consents(user))
    return user


def test_every_role_is_a_group_holding_exactly_its_permissions() -> None:
    for role, names in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        held = {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert held == names, role


@pytest.mark.parametrize("role", list(Role))
def test_each_role_can_do_what_it_is_for_and_nothing_more(role: Role) -> None:
    user = person(role)
    held = {capability for capability in CAPABILITIES if user.has_perm(capability)}
    assert held == EXPECTED[role]


@pytest.mark.parametrize("role", list(Role))
def test_only_admins_enter_the_django_admin(role: Role) -> None:
    client = Client()
    client.force_login(person(role))
    response = client.get("/admin/community/room/")
    if role is Role.ADMIN:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_an_admin_can_add_a_room_in_the_admin() -> None:
    client = Client()
    client.force_login(person(Role.ADMIN))
    response = client.post(
        "/admin/community/room/add/",
        {
            "name": "Sleep",
            "slug": "sleep",
            "description": "Nights that go on too long.",
            "guidelines": "Be kind.",
        },
    )
    assert response.status_code == 302
    member = Client()
    member.force_login(person(Role.MEMBER))
    assert "Sleep" in member.get("/").content.decode()


def test_changing_roles_grants_and_removes_admin_access() -> None:
    user = person(Role.MEMBER)
    do_set_roles(user, [Role.MEMBER, Role.ADMIN])
    user = User.objects.get(pk=user.pk)
    assert user.is_staff
    assert user.has_perm("accounts.administer_community")
    do_set_roles(user, [Role.MEMBER])
    user = User.objects.get(pk=user.pk)
    assert not user.is_staff
    assert not user.has_perm("accounts.administer_community")
