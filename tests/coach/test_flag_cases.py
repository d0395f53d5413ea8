"""The hand-labelled drafts of tests/coach/cases.jsonl: every flag raised where a line is
crossed, nothing raised on good replies. Written by a helper who never saw the rules."""

import json
from collections import Counter
from pathlib import Path

import pytest

from holdspace.coach import FLAG_CODES, coach

# Good replies the flag heads (models) still flag, though the heads saw them in training: a
# linear model cannot fit every line. Kept visible here rather than dropped from the data.
KNOWN_MODEL_FALSE_FLAGS = {
    "method_information-good-09",  # "I'm not going to go into any of that" reads as methods
}
CASES = [
    json.loads(line)
    for line in Path(__file__).with_name("cases.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def _raised(case: dict) -> set[str]:  # type: ignore[type-arg]
    result = coach(
        case["draft"], case.get("seeker"), case.get("invited", False), case.get("locale")
    )
    return {flag.code for flag in result.flags}


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_case(case: dict) -> None:  # type: ignore[type-arg]
    raised = _raised(case)
    if case["raise"]:
        assert set(case["raise"]) <= raised, f"missed {set(case['raise']) - raised}"
    elif case["id"] in KNOWN_MODEL_FALSE_FLAGS:
        assert raised, "a known false flag is gone: remove it from KNOWN_MODEL_FALSE_FLAGS"
    else:
        assert raised == set(), f"a good reply was flagged {raised}"


def test_every_flag_has_at_least_ten_drafts_that_raise_it_and_ten_good_replies() -> None:
    raising = Counter(code for case in CASES for code in case["raise"])
    good = Counter(case["about"] for case in CASES if not case["raise"])
    assert set(raising) == set(FLAG_CODES)
    assert min(raising.values()) >= 10, raising
    assert min(good[code] for code in FLAG_CODES) >= 10, good
    assert len({case["id"] for case in CASES}) == len(CASES)
    assert len(KNOWN_MODEL_FALSE_FLAGS) <= 0.02 * sum(good.values())


@pytest.mark.parametrize(
    ("name", "caught_at_least"), [("cases2.jsonl", 0.90), ("cases3.jsonl", 0.85)]
)
def test_the_varied_case_sets_are_caught_as_measured(name: str, caught_at_least: float) -> None:
    # Two deliberately varied sets of 416 drafts by two more writers. Not every line passes (the
    # rules and flag heads learnt from them, but not all of them): regression guards on the rates
    # measured when they were added (92.4% / 98.4% and 89.1% / 97.5%).
    lines = Path(__file__).with_name(name).read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    crossing = [case for case in cases if case["raise"]]
    good = [case for case in cases if not case["raise"]]
    caught = sum(set(case["raise"]) <= _raised(case) for case in crossing)
    clean = sum(not _raised(case) for case in good)
    assert caught / len(crossing) >= caught_at_least
    assert clean / len(good) >= 0.95
