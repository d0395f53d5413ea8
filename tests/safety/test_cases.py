"""The hand-labelled cases in cases.jsonl: one line of data each, all must pass."""

from collections import Counter
from pathlib import Path

import pytest

from holdspace.safety import screen
from holdspace.safety.cases import load_cases, problems

CASES = load_cases(Path(__file__).with_name("cases.jsonl"))


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case['rule']}: {case['text'][:60]}")
def test_case(case: dict) -> None:  # type: ignore[type-arg]
    result = screen(case["text"], case.get("locale"))
    assert problems(case, result) == [], result


def test_there_are_enough_cases_for_every_rule() -> None:
    per_rule = Counter(case["rule"] for case in CASES)
    assert len(CASES) >= 150
    assert min(per_rule.values()) >= 5, per_rule


@pytest.mark.parametrize("name", ["heldout.jsonl", "heldout2.jsonl"])
def test_the_spent_held_out_sets_stay_above_95_percent(name: str) -> None:
    # These sets were written blind, measured once (70% and 64% of cases right), then used to
    # widen the rules; now they guard against regressions, not measure generalisation.
    cases = load_cases(Path(__file__).with_name(name))
    right = sum(not problems(c, screen(c["text"], c.get("locale"))) for c in cases)
    assert right / len(cases) >= 0.95, f"{right}/{len(cases)}"
