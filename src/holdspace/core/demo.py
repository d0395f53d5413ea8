"""The demo community `holdspace demo` loads: topic rooms and one login for each role.

The passwords are public, so the demo refuses to load on a Holdspace that others can reach.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from holdspace import config
from holdspace.accounts.actions import do_create_user
from holdspace.accounts.consent import do_give_consent, missing_consents
from holdspace.accounts.models import User
from holdspace.accounts.roles import Role
from holdspace.community.models import Room
from holdspace.groups.actions import do_schedule_session
from holdspace.groups.models import GroupSession
from holdspace.training.certification import CERTIFICATION_PERIOD
from holdspace.training.models import Certification

DEMO_ROOMS = [
    (
        "Anxiety",
        "anxiety",
        "Worry, panic and the racing mind.",
        "Share at your own pace. Describe feelings rather than symptoms in detail.",
    ),
    (
        "Low mood",
        "low-mood",
        "When everything feels heavy or flat.",
        "Be gentle with each other. Listen first; offer ideas only when someone asks.",
    ),
    (
        "Grief and loss",
        "grief",
        "Missing someone, or something, that mattered.",
        "There is no right way to grieve. Honour each other's stories.",
    ),
    (
        "Loneliness",
        "loneliness",
        "Feeling unseen, far away or left out.",
        "Welcome newcomers. Keep contact details out of the room; meeting up is not allowed.",
    ),
]


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    username: str
    display_name: str
    password: str


DEMO_LOGINS = [
    DemoLogin(Role.MEMBER, "demo-member", "Robin", "quiet-harbour-member"),
    DemoLogin(Role.SUPPORTER, "demo-supporter", "Sam (supporter)", "quiet-harbour-supporter"),
    DemoLogin(
        Role.FACILITATOR, "demo-facilitator", "Alex (facilitator)", "quiet-harbour-facilitator"
    ),
    DemoLogin(Role.MODERATOR, "demo-moderator", "Jo (moderator)", "quiet-harbour-moderator"),
    DemoLogin(Role.PROFESSIONAL, "demo-professional", "Dr Lee", "quiet-harbour-professional"),
    DemoLogin(Role.ADMIN, "demo-admin", "Kim (admin)", "quiet-harbour-admin"),
]


class DemoRefused(RuntimeError):
    pass


@dataclass(frozen=True)
class DemoReport:
    rooms_created: int
    logins_created: list[DemoLogin]
    logins: list[DemoLogin]


@transaction.atomic
def do_load_demo_community() -> DemoReport:
    """Create what is missing; leave what exists as it is, so a second run changes nothing."""
    if not config.is_local_only(settings.ALLOWED_HOSTS):
        raise DemoRefused(
            "The demo has public passwords; it only loads when ALLOWED_HOSTS are local addresses."
        )
    rooms_created = 0
    for name, slug, description, guidelines in DEMO_ROOMS:
        _, created = Room.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "guidelines": guidelines},
        )
        rooms_created += created
    existing = set(
        User.objects.filter(username__in=[login.username for login in DEMO_LOGINS]).values_list(
            "username", flat=True
        )
    )
    created_logins = [login for login in DEMO_LOGINS if login.username not in existing]
    for login in created_logins:
        user = do_create_user(login.username, login.display_name, login.password, [login.role])
        # Demo people have read the texts and done the training, so every page can be tried.
        do_give_consent(user, missing_consents(user))
        if login.role in (Role.SUPPORTER, Role.FACILITATOR):
            now = timezone.now()
            Certification.objects.create(
                user=user, certified_at=now, expires_at=now + CERTIFICATION_PERIOD
            )
    _schedule_demo_session()
    return DemoReport(rooms_created, created_logins, DEMO_LOGINS)


def _schedule_demo_session() -> None:
    """One session whose room is open when the demo is first loaded, to try it at once."""
    facilitator = User.objects.get(username="demo-facilitator")
    if GroupSession.objects.filter(facilitator=facilitator).exists():
        return
    do_schedule_session(
        facilitator,
        title="Evening check-in",
        topic="How the week has been",
        starts_at=timezone.now() + timedelta(minutes=2),
        duration_minutes=90,
        capacity=8,
        agreement=(
            "One voice at a time. Speak from your own experience. What is shared here stays "
            "here, unless someone's life is at risk."
        ),
    )
