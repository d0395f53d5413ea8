"""Literals a regular expression cannot match without: a cheap test before the regex runs.

`required_literals(pattern)` walks the parsed pattern and returns *conditions*: sets of strings,
each set such that every text the pattern matches contains at least one of its strings. In a
sequence every element must match, so each element gives a condition of its own; in an
alternation one branch must match, so the branches' best conditions are pooled; a repeat of at
least one needs its body. The conditions come most selective first; none means the pattern
always runs. The caller indexes the first and checks the rest with plain substring tests.
"""

from __future__ import annotations

import re

# The standard library's own regular-expression parser (private, stable since 3.11).
from re import _constants as constants  # type: ignore[attr-defined]
from re import _parser as parser  # type: ignore[attr-defined]
from typing import Any

MIN_LITERAL = 2
MAX_CONDITIONS = 3
# Words in almost every message: a condition made of them selects nothing, whatever its length.
_COMMON = """
a about all also am an and any are as at be been but by can do don't for from get go had has have
he her him his how i i'm i've if im in is it it's its just know like me my no not now of on one or
our out she so some than that the their them then there they this to up us was we were what when
which who will with would you your
"""
COMMON_WORDS = frozenset(_COMMON.split())
ZERO_WIDTH = {constants.AT, constants.ASSERT, constants.ASSERT_NOT}

Condition = frozenset[str]


def required_literals(pattern: re.Pattern[str]) -> tuple[Condition, ...]:
    found = _sequence(list(parser.parse(pattern.pattern, pattern.flags)))
    unique = sorted(set(found), key=_selectivity, reverse=True)
    return tuple(unique[:MAX_CONDITIONS])


def _sequence(items: list[tuple[Any, Any]]) -> list[Condition]:
    conditions: list[Condition] = []
    run = ""
    for op, value in items:
        if op is constants.LITERAL:
            run += chr(value)
            continue
        if op in ZERO_WIDTH:
            continue  # takes no characters: the literal run goes on across it
        if len(run) >= MIN_LITERAL:
            conditions.append(frozenset({run}))
        run = ""
        conditions.extend(_element(op, value))
    if len(run) >= MIN_LITERAL:
        conditions.append(frozenset({run}))
    return conditions


def _element(op: Any, value: Any) -> list[Condition]:
    if op is constants.SUBPATTERN:
        return _sequence(list(value[-1]))
    if op is constants.BRANCH:
        pooled: set[str] = set()
        for branch in value[1]:
            conditions = _sequence(list(branch))
            if not conditions:
                return []
            best: Condition = max(conditions, key=_selectivity)
            pooled.update(best)
        return [frozenset(pooled)]
    if op in (constants.MAX_REPEAT, constants.MIN_REPEAT, constants.POSSESSIVE_REPEAT):
        low, _, body = value
        return _sequence(list(body)) if low >= 1 else []
    return []


def _selectivity(condition: Condition) -> tuple[bool, int, int]:
    """No common word among the literals first, then longer shortest literal, then fewer."""
    common = any(_is_common(literal) for literal in condition)
    return (not common, min(map(len, condition)), -len(condition))


def _is_common(literal: str) -> bool:
    words = literal.split()
    return len(literal.strip()) <= 2 or (len(words) == 1 and words[0] in COMMON_WORDS)
