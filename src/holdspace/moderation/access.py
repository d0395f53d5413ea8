from typing import Any


def receives_alerts(user: Any) -> bool:
    """On duty, for now: every moderator and professional. Issue 7 adds the roster."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (
            user.has_perm("accounts.moderate_community") or user.has_perm("accounts.take_referrals")
        )
    )
