"""The WHO-5 Well-Being Index (WHO Regional Office for Europe, 1998; free to use).

Source: Topp CW et al., "The WHO-5 Well-Being Index: a systematic review of the literature",
Psychother Psychosom 2015;84:167-176. A raw score below 13 (of 25) indicates poor wellbeing.
"""

from django.utils.translation import gettext_lazy as _

PERIOD = _("Over the last two weeks")
ITEMS = (
    _("I have felt cheerful and in good spirits"),
    _("I have felt calm and relaxed"),
    _("I have felt active and vigorous"),
    _("I woke up feeling fresh and rested"),
    _("My daily life has been filled with things that interest me"),
)
SCALE = (
    (5, _("All of the time")),
    (4, _("Most of the time")),
    (3, _("More than half of the time")),
    (2, _("Less than half of the time")),
    (1, _("Some of the time")),
    (0, _("At no time")),
)
LOW_RAW_SCORE = 13


def score(answers: list[int]) -> int:
    """0-100: the raw sum times four."""
    if len(answers) != len(ITEMS) or not all(0 <= a <= 5 for a in answers):
        raise ValueError("WHO-5 needs five answers from 0 to 5")
    return sum(answers) * 4


def is_low(percent: int) -> bool:
    return percent < LOW_RAW_SCORE * 4
