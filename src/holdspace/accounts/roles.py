"""The roles of PRODUCT.md as Django groups, and the permissions each one holds."""

from enum import StrEnum


class Role(StrEnum):
    MEMBER = "member"
    SUPPORTER = "supporter"
    FACILITATOR = "facilitator"
    MODERATOR = "moderator"
    PROFESSIONAL = "professional"
    ADMIN = "admin"


_MEMBER = frozenset({"accounts.seek_support", "community.view_room"})
_SUPPORTER = _MEMBER | {"accounts.offer_support"}

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.MEMBER: _MEMBER,
    Role.SUPPORTER: _SUPPORTER,
    # A facilitator is a supporter who also runs group sessions.
    Role.FACILITATOR: _SUPPORTER | {"accounts.facilitate_sessions"},
    Role.MODERATOR: frozenset({"community.view_room", "accounts.moderate_community"}),
    Role.PROFESSIONAL: frozenset({"community.view_room", "accounts.take_referrals"}),
    Role.ADMIN: frozenset(
        {
            "accounts.administer_community",
            "accounts.view_user",
            "accounts.change_user",
            "auth.view_group",
            "community.view_room",
            "community.add_room",
            "community.change_room",
            "community.delete_room",
            "accounts.view_consenttext",
            "accounts.add_consenttext",
            "groups.view_groupsession",
            "privacy.view_accesslog",
            "moderation.view_dutyshift",
            "moderation.add_dutyshift",
            "moderation.change_dutyshift",
            "moderation.delete_dutyshift",
            "groups.change_groupsession",
            *(f"referrals.{verb}_service" for verb in ("view", "add", "change", "delete")),
            *(
                f"training.{verb}_{model}"
                for verb in ("view", "add", "change", "delete")
                for model in ("module", "question", "answer")
            ),
        }
    ),
}

# Roles whose holders may enter the Django admin.
STAFF_ROLES = frozenset({Role.ADMIN})
