"""The engine's shortcuts give the same answers as the long way round."""

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from holdspace.safety.normalize import (
    LEET_CANDIDATE,
    _normalize_any,
    _normalize_plain,
    _undo_leet,
    normalize,
)
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
        gated = [
            (rule.id, found.span())
            for rule, found in rules._matches(normalized)
            if rule is not None
        ]
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
                    for condition in gate:
                        assert any(literal in normalized for literal in condition)
    assert fired > 300


LITERALS = sorted(load_rules().index.by_literal)
IDIOMS = [
    json.loads(line)["text"]
    for line in (Path(__file__).with_name("cases.jsonl")).read_text(encoding="utf-8").splitlines()
    if "idiom" in line
]
SEPARATORS = st.sampled_from([" ", "  ", "\n", "\t", ", ", ". ", ""])


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(LITERALS), st.sampled_from(CASES), st.sampled_from(IDIOMS)),
        min_size=1,
        max_size=6,
    ),
    st.lists(SEPARATORS, min_size=6, max_size=6),
)
def test_the_word_index_finds_every_pattern_a_text_can_match(
    pieces: list[str], separators: list[str]
) -> None:
    # Gate literals glued together with assorted whitespace: the cases where a literal spans
    # words or sits inside a longer word are exactly where an index could lose a match.
    text = "".join(piece + sep for piece, sep in zip(pieces, separators, strict=False))
    normalized = normalize(text).text
    rules = load_rules()
    full = [
        (rule.id, found.span())
        for rule in rules.rules
        for pattern in rule.patterns
        for found in pattern.finditer(normalized)
    ]
    gated = [(rule.id, hit.span()) for rule, hit in rules._matches(normalized) if rule is not None]
    assert gated == full
    gated_idioms = [hit.span() for rule, hit in rules._matches(normalized) if rule is None]
    idioms = [
        hit.span()
        for rule, idiom in rules.patterns
        if rule is None
        for hit in idiom.finditer(normalized)
    ]
    assert gated_idioms == idioms


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="ab !@$0134579 .", max_size=30))
def test_leet_is_only_undone_where_the_quick_check_says_it_can_be(text: str) -> None:
    chars = list(text)
    _undo_leet(chars)
    if not LEET_CANDIDATE.search(text):
        assert "".join(chars) == text
