"""The coach's rules: the reviewed TOML files in `rules/`, matched sentence by sentence.

A rule fires on a phrase in a sentence of the normalized draft, unless its `unless` pattern is
in the same sentence or, for a negatable rule, a negation comes just before the phrase ("I would
never tell you to stop your meds"). Patterns are gated by their required literals, as the
screening rules are, so a draft only runs the patterns it could match.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, cast

from holdspace.coach.types import FLAG_CODES, Severity
from holdspace.safety.normalize import Normalized, normalize
from holdspace.safety.prefilter import required_literals
from holdspace.safety.rules import LiteralIndex, expand_macros
from holdspace.safety.types import Span

SENTENCE_BREAK = re.compile(r"[.!?;]+(?=\s|$)|\n+|\s[-\u2013\u2014]\s")
NEGATION_WINDOW_WORDS = 5
# A negation speaks to its own clause: "I don't know, but you should leave him" advises.
CLAUSE_BREAK = re.compile(r".*(?:[,:()]|\b(?:but|and|so|because|though|pero|y)\b)", re.DOTALL)
SEVERITIES: tuple[Severity, ...] = ("block", "warn", "tip")


@dataclass(frozen=True)
class FlagRule:
    id: str
    flag: str
    patterns: tuple[re.Pattern[str], ...]
    negatable: bool
    unless: re.Pattern[str] | None
    seeker: re.Pattern[str] | None  # must be in the member's message for the rule to apply
    severity: Severity | None  # None: the flag's own
    message: str | None
    suggestion: str | None


@dataclass(frozen=True)
class FlagText:
    severity: Severity
    message: str
    suggestion: str


@dataclass(frozen=True)
class RuleHit:
    rule: FlagRule
    span: Span  # in the draft as written
    # The phrase is there but its scope cancels it ("unless I'm worried about your safety",
    # "I would never"): no flag, and the models may not raise the flag over it either.
    cancelled: bool = False


@dataclass(frozen=True)
class CoachRules:
    rules: tuple[FlagRule, ...]
    patterns: tuple[tuple[FlagRule, re.Pattern[str]], ...]  # numbered as in `index`
    index: LiteralIndex
    negation: re.Pattern[str]
    referral: tuple[re.Pattern[str], ...]
    texts: dict[str, FlagText]

    def hits(self, draft: str, seeker: str = "") -> list[RuleHit]:
        """Every rule phrase in the draft, with its evidence in the draft as written and whether
        its scope cancelled it."""
        normalized = normalize(draft)
        context = normalize(seeker).text if seeker else ""
        found: list[RuleHit] = []
        # A literal missing from the whole draft is missing from each sentence: gate once.
        candidates = self.index.candidates(normalized.text)
        for start, end in sentences(normalized.text):
            sentence = normalized.text[start:end]
            for i in candidates:
                rule, pattern = self.patterns[i]
                if rule.seeker is not None and not rule.seeker.search(context):
                    continue
                for hit in pattern.finditer(sentence):
                    span = _original(normalized, start + hit.start(), start + hit.end())
                    found.append(RuleHit(rule, span, self._cancelled(rule, sentence, hit)))
        return found

    def refers(self, draft: str) -> bool:
        """Whether the draft points to professional or emergency help."""
        text = normalize(draft).text
        return any(pattern.search(text) for pattern in self.referral)

    def _cancelled(self, rule: FlagRule, sentence: str, hit: re.Match[str]) -> bool:
        if rule.unless is not None and rule.unless.search(sentence):
            return True
        if rule.negatable:
            before = CLAUSE_BREAK.sub("", sentence[: hit.start()])
            words = before.split()[-NEGATION_WINDOW_WORDS:]
            return bool(self.negation.search(" ".join(words)))
        return False


def sentences(text: str) -> list[Span]:
    """Spans of the sentences of a normalized text (empty ones left out)."""
    spans: list[Span] = []
    start = 0
    for brk in SENTENCE_BREAK.finditer(text):
        if text[start : brk.start()].strip():
            spans.append((start, brk.start()))
        start = brk.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _original(normalized: Normalized, start: int, end: int) -> Span:
    # Leading and trailing spaces of a match are not evidence.
    text = normalized.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return normalized.span(start, end)


@cache
def load_rules() -> CoachRules:
    """The flag rules and texts, compiled once per process."""
    folder = resources.files("holdspace.coach") / "rules"
    document = tomllib.loads((folder / "flags.toml").read_text("utf-8"))
    texts = tomllib.loads((folder / "messages.toml").read_text("utf-8"))
    return compile_rules(document, texts)


def compile_rules(document: dict[str, Any], texts: dict[str, Any]) -> CoachRules:
    macros: dict[str, str] = document.get("macros", {})
    flag_texts = {code: _flag_text(code, texts.get(code)) for code in FLAG_CODES}
    rules: list[FlagRule] = []
    for entry in document["rule"]:
        if entry["flag"] not in FLAG_CODES:
            raise ValueError(f"rule {entry['id']}: unknown flag {entry['flag']!r}")
        severity = entry.get("severity")
        if severity is not None and severity not in SEVERITIES:
            raise ValueError(f"rule {entry['id']}: unknown severity {severity!r}")
        unless = entry.get("unless")
        seeker = entry.get("seeker")
        rules.append(
            FlagRule(
                id=entry["id"],
                flag=entry["flag"],
                patterns=tuple(re.compile(expand_macros(p, macros)) for p in entry["patterns"]),
                negatable=bool(entry.get("negatable", True)),
                unless=re.compile(expand_macros(unless, macros)) if unless else None,
                seeker=re.compile(expand_macros(seeker, macros)) if seeker else None,
                severity=cast("Severity | None", severity),
                message=entry.get("message"),
                suggestion=entry.get("suggestion"),
            )
        )
    patterns = tuple((rule, pattern) for rule in rules for pattern in rule.patterns)
    negation = expand_macros("<negation>", macros)
    return CoachRules(
        rules=tuple(rules),
        patterns=patterns,
        index=LiteralIndex([required_literals(pattern) for _, pattern in patterns]),
        negation=re.compile(rf"\b(?:{negation})\b"),
        referral=tuple(
            re.compile(expand_macros(p, macros)) for p in document["referral"]["patterns"]
        ),
        texts=flag_texts,
    )


def _flag_text(code: str, entry: dict[str, str] | None) -> FlagText:
    if not entry or entry.get("severity") not in SEVERITIES:
        raise ValueError(f"messages.toml: flag {code} needs a severity, a message, a suggestion")
    return FlagText(
        severity=cast("Severity", entry["severity"]),
        message=entry["message"],
        suggestion=entry["suggestion"],
    )
