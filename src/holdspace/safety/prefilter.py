"""Literals a regular expression cannot match without: a cheap test before the regex runs.

`required_literals(pattern)` walks the parsed pattern: in a sequence every element must match,
so any element's literals will do (the most selective is kept); in an alternation one branch
must match, so the branches' literals are pooled; a repeat of at least one needs its body. The
result is a set of strings one of which appears in every text the pattern matches, or None
when no such set could be found (the pattern then always runs).
"""

from __future__ import annotations

import re

# The standard library's own regular-expression parser (private, stable since 3.11).
from re import _constants as constants  # type: ignore[attr-defined]
from re import _parser as parser  # type: ignore[attr-defined]
from typing import Any

MIN_LITERAL = 2
ZERO_WIDTH = {constants.AT, constants.ASSERT, constants.ASSERT_NOT}


def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    found = _sequence(list(parser.parse(pattern.pattern, pattern.flags)))
    return frozenset(found) if found else None


def _sequence(items: list[tuple[Any, Any]]) -> set[str] | None:
    best: set[str] | None = None
    run = ""
    for op, value in items:
        if op is constants.LITERAL:
            run += chr(value)
            continue
        if op in ZERO_WIDTH:
            continue  # takes no characters: the literal run goes on across it
        best = _better(best, {run} if len(run) >= MIN_LITERAL else None)
        run = ""
        best = _better(best, _element(op, value))
    return _better(best, {run} if len(run) >= MIN_LITERAL else None)


def _element(op: Any, value: Any) -> set[str] | None:
    if op is constants.SUBPATTERN:
        return _sequence(list(value[-1]))
    if op is constants.BRANCH:
        branches = [_sequence(list(branch)) for branch in value[1]]
        if any(branch is None for branch in branches):
            return None
        return set().union(*branches)  # type: ignore[arg-type]
    if op in (constants.MAX_REPEAT, constants.MIN_REPEAT, constants.POSSESSIVE_REPEAT):
        low, _, body = value
        return _sequence(list(body)) if low >= 1 else None
    return None


def _better(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """The more selective set: longer shortest literal first, then fewer literals."""
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b, key=lambda s: (min(map(len, s)), -len(s)))
