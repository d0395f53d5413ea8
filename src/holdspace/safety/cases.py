"""Labelled screening cases (one JSON object a line) and how a result is checked against one."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from holdspace.safety.types import Level, Screening

Case = dict[str, Any]


def load_cases(path: Path) -> list[Case]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def problems(case: Case, result: Screening) -> list[str]:
    """What in the result disagrees with the case's labels; empty when it passes."""
    found: list[str] = []
    if "level" in case:
        if result.level != Level.parse(case["level"]):
            found.append(f"level {result.level.label}, expected {case['level']}")
    else:
        low = Level.parse(case.get("min_level", "none"))
        high = Level.parse(case["max_level"])
        if not low <= result.level <= high:
            found.append(f"level {result.level.label}, expected {low.label}..{high.label}")
    names = {category.name for category in result.categories}
    if missing := set(case.get("categories", [])) - names:
        found.append(f"categories lack {sorted(missing)}")
    if "third_party" in case and result.third_party is not case["third_party"]:
        found.append(f"third_party {result.third_party}")
    spans = [span for category in result.categories for span in category.evidence]
    for phrase in case.get("evidence", []):
        start = case["text"].index(phrase)
        if not any(s <= start and start + len(phrase) <= e for s, e in spans):
            found.append(f"no evidence covers {phrase!r}")
    return found


def report(cases: list[Case], results: list[Screening]) -> tuple[int, list[str]]:
    """Passed count, and one line per rule tag: passed / total, then each failure."""
    passed_by_rule: Counter[str] = Counter()
    total_by_rule: Counter[str] = Counter()
    failures = []
    for case, result in zip(cases, results, strict=True):
        total_by_rule[case["rule"]] += 1
        if found := problems(case, result):
            failures.append(f"  [{case['rule']}] {case['text'][:90]!r}: {'; '.join(found)}")
        else:
            passed_by_rule[case["rule"]] += 1
    lines = [
        f"{rule:<18} {passed_by_rule[rule]}/{total}"
        for rule, total in sorted(total_by_rule.items())
    ]
    return sum(passed_by_rule.values()), lines + (["failures:", *failures] if failures else [])
