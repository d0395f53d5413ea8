"""People and places for web tests, made through the same actions the app uses."""

from datetime import timedelta
from itertools import count

from django.test import Client
from django.utils import timezone

from holdspace.accounts.actions import do_create_user, do_sync_role_groups
from holdspace.accounts.consent import do_give_consent, load_first_versions, missing_consents
from holdspace.accounts.models import User
from holdspace.accounts.roles import Role
from holdspace.community.actions import do_join_room
from holdspace.community.models import Room
from holdspace.groups.actions import do_book_session, do_schedule_session
from holdspace.groups.models import GroupSession
from holdspace.training.models import Certification

_numbers = count(1)


def person(
    role: Role = Role.MEMBER,
    name: str | None = None,
    country: str = "GB",
    certified: bool = True,
) -> User:
    """Agreed to the current consent texts; a supporter or facilitator certified unless told not."""
    do_sync_role_groups()
    load_first_versions()
    number = next(_numbers)
    name = name or f"{role.value}-{number}"
    password = "a long passphrase 4 tests"
    user = do_create_user(f"user-{number}-{name}", name, password, [role], country)
    do_give_consent(user, missing_consents(user))
    if certified and role in (Role.SUPPORTER, Role.FACILITATOR):
        certify(user)
    return user


def certify(user: User, days_left: int = 300) -> Certification:
    now = timezone.now()
    return Certification.objects.create(
        user=user, certified_at=now - timedelta(days=1), expires_at=now + timedelta(days=days_left)
    )


def browser_of(user: User) -> Client:
    """A test client signed in as this person, on an allowed host."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def room(slug: str = "anxiety", *members: User) -> Room:
    made, _ = Room.objects.get_or_create(
        slug=slug, defaults={"name": slug.title(), "description": "d", "guidelines": "Be kind."}
    )
    for member in members:
        do_join_room(member, made)
    return made


def open_session(facilitator: User, *members: User, capacity: int = 8) -> GroupSession:
    session = do_schedule_session(
        facilitator,
        title="Evening circle",
        topic="Low mood",
        starts_at=timezone.now() + timedelta(minutes=1),
        duration_minutes=60,
        capacity=capacity,
        agreement="Listen first. What is said here stays here.",
    )
    for member in members:
        do_book_session(member, session)
    return session
