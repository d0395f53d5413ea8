"""Crisis-language rules: loaded from the reviewed TOML files in `rules/`, matched with scope.

A rule fires on a phrase; its scope then decides what the phrase means here:
- an idiom over the phrase ("killed it", "dying of laughter") cancels it;
- a negation just before it in the same clause ("I would never") cancels it;
- the past ("ten years ago"), a hypothetical ("what if someone"), fiction or a quotation, or a
  second person ("don't kill yourself") lower it to `concern` at most;
- a third person ("my friend wants to die") keeps its level and marks the message third-party.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Literal, NamedTuple

from holdspace.safety.normalize import Normalized
from holdspace.safety.prefilter import required_literals
from holdspace.safety.types import CATEGORIES, Level, Span

Person = Literal["first", "second", "third", "generic"]
Gate = tuple[frozenset[str], ...]  # conditions, see prefilter; empty: always run

RULE_FILES = ("en.toml", "es.toml")
UNIT_BREAK = re.compile(
    r"[.!?;,:\n()\[\]]+|\s(?:but|however|although|though|pero|aunque|sin embargo|y ahora)\s"
)
NEGATION_WINDOW_WORDS = 5
SUBJECT_WINDOW_WORDS = 8
WORD_CACHE_SIZE = 1 << 15
SHORT_WORD = 16  # up to this length, a word's substrings are fewer than the literals' parts


@dataclass(frozen=True)
class Rule:
    id: str
    categories: tuple[str, ...]  # empty: the rule only marks distress
    level: Level
    patterns: tuple[re.Pattern[str], ...]
    gates: tuple[Gate, ...]  # one a pattern
    person: Person | None  # None: decided from the words around the match
    scoped: bool  # False: negation, past and hypothetical cues do not apply (e.g. "goodbye")
    unless: re.Pattern[str] | None  # anywhere in the message, this makes the rule not apply


@dataclass(frozen=True)
class Finding:
    rule: Rule
    level: Level
    span: Span  # in the normalized text
    person: Person


@dataclass(frozen=True)
class Match:
    findings: tuple[Finding, ...]
    explained_away: tuple[Span, ...]  # normalized spans that scope cancelled or lowered


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    # Every rule pattern with its rule, then every idiom (rule None), numbered as in `index`.
    patterns: tuple[tuple[Rule | None, re.Pattern[str]], ...]
    index: LiteralIndex
    tail: re.Pattern[str]
    negation: re.Pattern[str]
    past: re.Pattern[str]
    recent: re.Pattern[str]
    hypothetical: re.Pattern[str]
    fiction: re.Pattern[str]
    first_person: re.Pattern[str]
    second_person: re.Pattern[str]
    third_person: re.Pattern[str]
    generic_person: re.Pattern[str]
    reflexive: dict[Person, re.Pattern[str]]

    def match(self, normalized: Normalized) -> Match:
        text = normalized.text
        hits = self._matches(text)
        # Clauses matter only around a rule's phrase; most messages have none.
        units = _units(text) if any(rule is not None for rule, _ in hits) else []
        idioms = [hit.span() for rule, hit in hits if rule is None]
        findings: list[Finding] = []
        # An idiom is explained away whether or not a rule fired inside it: the model must not
        # read "this exam is killing me" as risk either.
        explained: list[Span] = list(idioms)
        for rule, hit in hits:
            if rule is None:
                continue
            span = self._with_tail(text, hit.span())
            if span[0] == span[1]:
                continue
            if any(_overlaps(span, idiom) for idiom in idioms) or (
                rule.unless and rule.unless.search(text)
            ):
                explained.append(span)
                continue
            unit = _unit_of(units, span[0])
            before = text[unit[0] : span[0]]
            whole = text[unit[0] : unit[1]]
            if rule.scoped and self._negated(before):
                explained.append(span)
                continue
            person = rule.person or self._person(hit.group(0), before)
            level = rule.level
            lowered = person in ("second", "generic") or (
                rule.scoped
                and (
                    (self.past.search(whole) and not self.recent.search(whole))
                    or self.hypothetical.search(whole)
                    or self.fiction.search(whole)
                    or _quoted(text, span)
                )
            )
            if lowered and level > Level.CONCERN:
                level = Level.CONCERN
                explained.append(span)
            findings.append(Finding(rule, level, span, person))
        return Match(tuple(findings), tuple(explained))

    def _matches(self, text: str) -> list[tuple[Rule | None, re.Match[str]]]:
        """Rule and idiom hits (rule None). Each pattern runs on its own, since alternatives
        of one regex would hide overlapping evidence, and only where its gate lets it."""
        patterns = self.patterns
        return [
            (patterns[i][0], hit)
            for i in self.index.candidates(text)
            for hit in patterns[i][1].finditer(text)
        ]

    def _with_tail(self, text: str, span: Span) -> Span:
        """Evidence runs on over words that tell when: "cut" + " again last night"."""
        tail = self.tail.match(text, span[1])
        return (span[0], tail.end()) if tail else span

    def _negated(self, before: str) -> bool:
        window = " ".join(before.split()[-NEGATION_WINDOW_WORDS:])
        return bool(self.negation.search(window))

    def _person(self, matched: str, before: str) -> Person:
        for person, pattern in self.reflexive.items():
            if pattern.search(matched):
                return person
        # The phrase may start with its own subject: "she took all the pills".
        first_word = matched.split()[:1]
        if first_word and not self.generic_person.fullmatch(first_word[0]):
            words = before.split()[-SUBJECT_WINDOW_WORDS:] + first_word
        else:
            words = before.split()[-SUBJECT_WINDOW_WORDS:]
        for index in range(len(words) - 1, -1, -1):
            # Two words at a time so that "my friend" reads as a third person, not as "my".
            pair = " ".join(words[max(0, index - 1) : index + 1])
            word = words[index]
            if self.third_person.fullmatch(word) or self.third_person.fullmatch(pair):
                return "third"
            if self.generic_person.fullmatch(word):
                return "generic"
            if self.second_person.fullmatch(word):
                return "second"
            if self.first_person.fullmatch(word):
                return "first"
        return "first"  # chat drops the "I": "want to die" speaks of oneself


class LiteralIndex:
    """Finds which patterns are worth running on a text from the literals the text contains.

    Patterns are numbered in the order of their gates. A literal's longest whitespace-free part
    lies inside one word of any text that contains the literal, so each distinct word is looked
    up once (cached) for the literals whose part it holds; only literals with whitespace then
    need checking against the whole text.
    """

    def __init__(self, gates: list[Gate]) -> None:
        self.always = [i for i, gate in enumerate(gates) if not gate]
        # The first (most selective) condition is indexed; the others are checked afterwards.
        self.also_needed = [gate[1:] for gate in gates]
        self.by_literal: dict[str, list[int]] = {}
        for i, gate in enumerate(gates):
            for literal in gate[0] if gate else ():
                self.by_literal.setdefault(literal, []).append(i)
        every_literal = {literal for gate in gates for condition in gate for literal in condition}
        self.spaced = frozenset(lit for lit in every_literal if any(c.isspace() for c in lit))
        self.by_part: dict[str, list[str]] = {}
        self.unanchored: list[str] = []  # all whitespace: checked on every text
        for literal in every_literal:
            parts = literal.split()
            if parts:
                self.by_part.setdefault(max(parts, key=len), []).append(literal)
            else:
                self.unanchored.append(literal)
        # Bounded: words come from members' input. lru_cache is thread-safe.
        self.literals_in_word = lru_cache(maxsize=WORD_CACHE_SIZE)(self._literals_in_word)

    def _literals_in_word(self, word: str) -> WordLiterals:
        if len(word) <= SHORT_WORD:
            substrings = {word[i:j] for i in range(len(word)) for j in range(i + 1, len(word) + 1)}
            parts = substrings & self.by_part.keys()
        else:
            parts = {part for part in self.by_part if part in word}
        literals = {literal for part in parts for literal in self.by_part[part]}
        # A literal without whitespace is its own part, so the word holding it proves it.
        present = frozenset(literals - self.spaced)
        patterns = frozenset(i for literal in present for i in self.by_literal.get(literal, ()))
        return WordLiterals(present, frozenset(literals & self.spaced), patterns)

    def candidates(self, text: str) -> list[int]:
        """The numbers of the patterns whose gates the text passes, in order."""
        found: set[str] = set()
        spaced: set[str] = set(self.unanchored)
        wanted = set(self.always)
        for word in set(text.split()):
            entry = self.literals_in_word(word)
            found |= entry.present
            spaced |= entry.spaced
            wanted |= entry.patterns
        for literal in spaced:
            if literal in text:
                found.add(literal)
                wanted.update(self.by_literal.get(literal, ()))
        return [
            i
            for i in sorted(wanted)
            if all(not found.isdisjoint(needed) for needed in self.also_needed[i])
        ]


class WordLiterals(NamedTuple):
    present: frozenset[str]  # gate literals the word contains
    spaced: frozenset[str]  # literals with whitespace whose longest part the word contains
    patterns: frozenset[int]  # patterns whose indexed condition a present literal satisfies


def _units(text: str) -> list[Span]:
    units: list[Span] = []
    start = 0
    for brk in UNIT_BREAK.finditer(text):
        units.append((start, brk.start()))
        start = brk.end()
    units.append((start, len(text)))
    return units


def _unit_of(units: list[Span], position: int) -> Span:
    for unit in units:
        if unit[0] <= position < unit[1] or position < unit[0]:
            return unit
    return units[-1]


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _quoted(text: str, span: Span) -> bool:
    """Inside a pair of double quotes on the same line."""
    line_start = text.rfind("\n", 0, span[0]) + 1
    return text.count('"', line_start, span[0]) % 2 == 1 and '"' in text[span[1] :].split("\n")[0]


@cache
def load_rules() -> RuleSet:
    """Every language's rules in one set, compiled once per process."""
    documents = [
        tomllib.loads((resources.files("holdspace.safety") / "rules" / name).read_text("utf-8"))
        for name in RULE_FILES
    ]
    return _compile(documents)


def _compile(documents: list[dict]) -> RuleSet:  # type: ignore[type-arg]
    rules: list[Rule] = []
    scope: dict[str, list[str]] = {}
    idioms: list[str] = []
    for document in documents:
        macros = document.get("macros", {})
        for key, values in document.get("scope", {}).items():
            scope.setdefault(key, []).extend(expand_macros(v, macros) for v in values)
        idioms.extend(
            expand_macros(entry["pattern"], macros) for entry in document.get("idiom", [])
        )
        for entry in document["rule"]:
            categories = tuple(entry.get("categories", ()))
            if unknown := set(categories) - set(CATEGORIES):
                raise ValueError(f"rule {entry['id']}: unknown categories {sorted(unknown)}")
            unless = entry.get("unless")
            compiled = tuple(re.compile(expand_macros(p, macros)) for p in entry["patterns"])
            rules.append(
                Rule(
                    id=entry["id"],
                    categories=categories,
                    level=Level.parse(entry["level"]),
                    patterns=compiled,
                    gates=tuple(required_literals(pattern) for pattern in compiled),
                    person=entry.get("person"),
                    scoped=entry.get("scoped", True),
                    unless=re.compile(expand_macros(unless, macros)) if unless else None,
                )
            )
    patterns: list[tuple[Rule | None, re.Pattern[str]]] = [
        (rule, pattern) for rule in rules for pattern in rule.patterns
    ]
    gates = [gate for rule in rules for gate in rule.gates]
    for idiom in map(re.compile, idioms):
        patterns.append((None, idiom))
        gates.append(required_literals(idiom))
    return RuleSet(
        rules=tuple(rules),
        patterns=tuple(patterns),
        index=LiteralIndex(gates),
        tail=re.compile(r"(?:\s+(?:" + "|".join(scope["tail"]) + r")\b)+"),
        negation=_words(scope["negation"]),
        past=_words(scope["past"]),
        recent=_words(scope["recent"]),
        hypothetical=_words(scope["hypothetical"]),
        fiction=_words(scope["fiction"]),
        first_person=_alternatives(scope["first_person"]),
        second_person=_alternatives(scope["second_person"]),
        third_person=_alternatives(scope["third_person"]),
        generic_person=_alternatives(scope["generic_person"]),
        reflexive={
            "first": _words(scope["reflexive_first"]),
            "second": _words(scope["reflexive_second"]),
            "third": _words(scope["reflexive_third"]),
        },
    )


def expand_macros(pattern: str, macros: dict[str, str]) -> str:
    """Replace <name> by its macro, repeatedly, so macros may use macros."""
    for _ in range(5):
        expanded = re.sub(r"<(\w+)>", lambda m: f"(?:{macros[m.group(1)]})", pattern)
        if expanded == pattern:
            return expanded
        pattern = expanded
    raise ValueError(f"macros nest too deep in {pattern!r}")


def _words(alternatives: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


def _alternatives(alternatives: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(alternatives))
