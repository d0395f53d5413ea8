"""The engine's shortcuts give the same answers as the long way round."""

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from holdspace.safety.normalize import _normalize_any, _normalize_plain, normalize
from holdspace.safety.rules import load_rules

CASES = [
    json.loads(line)["text"]
    for line in (Path(__file__).with_name("cases.jsonl")).read_text(encoding="utf-8").splitlines()
]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=9, max_codepoint=126), max_size=200))
def test_the_ascii_fast_path_normalizes_exactly_like_the_general_one(text: str) -> None:
    if (
        not text.isascii()
        or any(c in text for c in "\x0b\x0c\r")
        or any(ord(c) < 32 and c not in "\n\t" for c in text)
    ):
        return
    fast, general = normalize(text), _normalize_any(text)
    assert (fast.text, fast.starts, fast.ends) == (general.text, general.starts, general.ends)
    if "aaa" not in text.lower():
        plain = _normalize_plain(text)
        assert plain.text == general.text


def test_the_literal_prefilter_skips_no_match_on_any_labelled_case() -> None:
    rules = load_rules()
    for text in CASES:
        normalized = normalize(text).text
        full = [
            (rule.id, found.span())
            for rule in rules.rules
            for pattern in rule.patterns
            for found in pattern.finditer(normalized)
        ]
        gated = [(rule.id, found.span()) for rule, found in rules._matches(normalized)]
        assert gated == full, text


def test_every_pattern_that_fires_on_a_case_has_its_gate_satisfied() -> None:
    rules = load_rules()
    fired = 0
    for text in CASES:
        normalized = normalize(text).text
        for rule in rules.rules:
            for pattern, gate in zip(rule.patterns, rule.gates, strict=True):
                if pattern.search(normalized):
                    fired += 1
                    assert gate is None or any(literal in normalized for literal in gate)
    assert fired > 300
