"""The hand-labelled drafts of tests/coach/cases.jsonl: every flag raised where a line is
crossed, nothing raised on good replies. Written by a helper who never saw the rules."""

import json
from collections import Counter
from pathlib import Path

import pytest

from holdspace.coach import FLAG_CODES, coach

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
    else:
        assert raised == set(), f"a good reply was flagged {raised}"


def test_every_flag_has_at_least_ten_drafts_that_raise_it_and_ten_good_replies() -> None:
    raising = Counter(code for case in CASES for code in case["raise"])
    good = Counter(case["about"] for case in CASES if not case["raise"])
    assert set(raising) == set(FLAG_CODES)
    assert min(raising.values()) >= 10, raising
    assert min(good[code] for code in FLAG_CODES) >= 10, good
    assert len({case["id"] for case in CASES}) == len(CASES)
