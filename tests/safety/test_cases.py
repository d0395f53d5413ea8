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


@pytest.mark.parametrize(
    ("name", "at_least"),
    [("heldout.jsonl", 0.95), ("heldout2.jsonl", 0.95), ("heldout3.jsonl", 0.80)],
)
def test_the_spent_held_out_sets_stay_where_they_were_left(name: str, at_least: float) -> None:
    # These sets were written blind, measured once (70%, 64% and, in the second session, 67% of
    # cases right; of heldout3's 70 messages that need `high`, 37), then used to widen the rules
    # (heldout3: 83.5%, then 84.5%); now they guard against regressions, not measure generalisation.
    cases = load_cases(Path(__file__).with_name(name))
    right = sum(not problems(c, screen(c["text"], c.get("locale"))) for c in cases)
    assert right / len(cases) >= at_least, f"{right}/{len(cases)}"
