"""Risk screening of member messages: pure Python, no Django. See PRODUCT.md for the levels."""

from holdspace.safety.resources import resources_for
from holdspace.safety.screen import screen, screen_many
from holdspace.safety.types import CATEGORIES, CategoryFinding, Level, Resource, Screening

__all__ = [
    "CATEGORIES",
    "CategoryFinding",
    "Level",
    "Resource",
    "Screening",
    "resources_for",
    "screen",
    "screen_many",
]
