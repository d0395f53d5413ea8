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
    "secrecy_promise-good-12",  # "Entiendo que no quieras que se sepa" reads as a promise
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


def test_the_second_varied_case_set_is_caught_as_measured() -> None:
    # tests/coach/cases2.jsonl: 416 deliberately varied drafts by a second writer. Not every
    # line passes (the rules and flag heads learnt from it, but not all of it): a regression
    # guard on the rates measured when it was added (92.4% caught, 98.4% of good ones clean).
    lines = Path(__file__).with_name("cases2.jsonl").read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    crossing = [case for case in cases if case["raise"]]
    good = [case for case in cases if not case["raise"]]
    caught = sum(set(case["raise"]) <= _raised(case) for case in crossing)
    clean = sum(not _raised(case) for case in good)
    assert caught / len(crossing) >= 0.90
    assert clean / len(good) >= 0.95
