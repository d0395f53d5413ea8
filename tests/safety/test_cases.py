"""The hand-labelled cases in cases.jsonl: one line of data each, all must pass."""

import json
from pathlib import Path

import pytest

from holdspace.safety import Level, screen

CASES_FILE = Path(__file__).with_name("cases.jsonl")
CASES = [json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines()]


def describe(case: dict) -> str:  # type: ignore[type-arg]
    return f"{case['rule']}: {case['text'][:60]}"


@pytest.mark.parametrize("case", CASES, ids=describe)
def test_case(case: dict) -> None:  # type: ignore[type-arg]
    result = screen(case["text"], case.get("locale"))
    got = result.level
    if "level" in case:
        assert got == Level.parse(case["level"]), result
    else:
        assert got <= Level.parse(case["max_level"]), result
        assert got >= Level.parse(case.get("min_level", "none")), result
    names = {category.name for category in result.categories}
    assert set(case.get("categories", [])) <= names, result
    if "third_party" in case:
        assert result.third_party is case["third_party"], result
    spans = [span for category in result.categories for span in category.evidence]
    for phrase in case.get("evidence", []):
        start = case["text"].index(phrase)
        end = start + len(phrase)
        assert any(s <= start and end <= e for s, e in spans), (phrase, spans)


def test_there_are_enough_cases_for_every_rule() -> None:
    assert len(CASES) >= 150
    per_rule: dict[str, int] = {}
    for case in CASES:
        per_rule[case["rule"]] = per_rule.get(case["rule"], 0) + 1
    assert min(per_rule.values()) >= 5, per_rule
