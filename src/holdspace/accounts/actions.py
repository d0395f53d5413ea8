"""Every change to accounts goes through one of these functions, each in one transaction."""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from holdspace.accounts.models import User
from holdspace.accounts.roles import ROLE_PERMISSIONS, STAFF_ROLES, Role


@transaction.atomic
def do_sync_role_groups() -> None:
    """Make each role's group hold exactly the permissions accounts.roles gives it."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        permissions = [_permission(name) for name in sorted(names)]
        group.permissions.set(permissions)


@transaction.atomic
def do_create_user(
    username: str,
    display_name: str,
    password: str,
    roles: Iterable[Role] = (Role.MEMBER,),
    country: str = "",
) -> User:
    user = User(username=username, display_name=display_name, country=country)
    user.set_password(password)
    user.save()
    do_set_roles(user, roles)
    return user


@transaction.atomic
def do_set_roles(user: User, roles: Iterable[Role]) -> None:
    roles = set(roles)
    user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
    is_staff = bool(roles & STAFF_ROLES)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


def roles_of(user: User) -> set[Role]:
    names = set(user.groups.values_list("name", flat=True))
    return {role for role in Role if role.value in names}


def _permission(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)
