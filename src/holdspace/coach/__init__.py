"""The response coach for supporter drafts: pure Python, no Django. Flags: PRODUCT.md."""

from holdspace.coach.coach import DraftRequest, coach, coach_many, contact_flags
from holdspace.coach.types import FLAG_CODES, MECHANISMS, STRATEGIES, Coaching, Empathy, Flag

__all__ = [
    "FLAG_CODES",
    "MECHANISMS",
    "STRATEGIES",
    "Coaching",
    "DraftRequest",
    "Empathy",
    "Flag",
    "coach",
    "coach_many",
    "contact_flags",
]
