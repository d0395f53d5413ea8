"""`screen(text)`: the rules decide what they recognise; the model ranks what they do not."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from holdspace.safety.language import detect_language
from holdspace.safety.normalize import normalize
from holdspace.safety.once import once
from holdspace.safety.policy import CHAT_MAX_WORDS
from holdspace.safety.resources import resources_for
from holdspace.safety.rules import Finding, load_rules
from holdspace.safety.types import CategoryFinding, Level, Screening, Span

logger = logging.getLogger(__name__)

# Longer texts are screened at their start and their end: a pasted novel still gets its first
# and last words read, in bounded time.
WINDOW_CHARS = 50_000
MODEL_LANGUAGES = frozenset({"en", "und"})


class ScoringModel(Protocol):
    thresholds: dict[str, float]

    def predict(self, texts: Sequence[str]) -> Iterable[float]: ...


@dataclass(frozen=True)
class _RuleResult:
    findings: list[tuple[Finding, Span]]  # with the span in the original text
    explained: list[Span]
    head: str  # the normalized start of the text, for language detection


def screen(text: str, locale: str | None = None) -> Screening:
    return screen_many([text], [locale])[0]


def screen_many(
    texts: Sequence[str],
    locales: Sequence[str | None],
    model: ScoringModel | None = None,
) -> list[Screening]:
    """Screen a batch; the model (default: the shipped one) scores the whole batch at once."""
    if len(texts) != len(locales):
        raise ValueError("texts and locales must have the same length")
    texts = [as_text(text) for text in texts]
    rule_results = [_apply_rules(text) for text in texts]
    languages = [
        detect_language(result.head, locale)
        for result, locale in zip(rule_results, locales, strict=True)
    ]
    model, degraded = (model, False) if model is not None else _model()
    probabilities: list[float | None] = [None] * len(texts)
    if model is not None:
        wanted = [
            i for i, lang in enumerate(languages) if lang in MODEL_LANGUAGES and texts[i].strip()
        ]
        masked = [_mask(texts[i], rule_results[i].explained) for i in wanted]
        try:
            scores = model.predict(masked) if masked else []
        except Exception as error:
            # The class only: an exception's message can quote the member's text.
            logger.error("risk model failed (%s); screening with rules only", type(error).__name__)
            degraded, scores = True, []
        for i, score in zip(wanted, scores, strict=False):
            probabilities[i] = float(score)
    return [
        _combine(result, probability, language, locale, degraded, model, _words(text))
        for result, probability, language, locale, text in zip(
            rule_results, probabilities, languages, locales, texts, strict=True
        )
    ]


def as_text(text: object) -> str:
    """Any input as a valid str: lone surrogates replaced, bytes decoded, None empty."""
    if isinstance(text, str):
        return text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates
    if isinstance(text, bytes):
        return text.decode("utf-8", "replace")
    return "" if text is None else str(text)


def _apply_rules(text: str) -> _RuleResult:
    rules = load_rules()
    findings: list[tuple[Finding, Span]] = []
    explained: list[Span] = []
    head = ""
    for offset, window in _windows(text):
        normalized = normalize(window)
        head = head or normalized.text[:2000]
        match = rules.match(normalized)
        for finding in match.findings:
            start, end = normalized.span(*finding.span)
            findings.append((finding, (start + offset, end + offset)))
        for span in match.explained_away:
            start, end = normalized.span(*span)
            explained.append((start + offset, end + offset))
    return _RuleResult(findings, explained, head)


def _windows(text: str) -> list[tuple[int, str]]:
    if len(text) <= 2 * WINDOW_CHARS:
        return [(0, text)]
    tail = len(text) - WINDOW_CHARS
    return [(0, text[:WINDOW_CHARS]), (tail, text[tail:])]


def _words(text: str) -> int:
    """Words in the text, counted no further than the model's length limit needs."""
    return len(text[: CHAT_MAX_WORDS * 40].split())


def _mask(text: str, spans: list[Span]) -> str:
    """Hide from the model what the rules explained away ("I would never kill myself")."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _combine(
    result: _RuleResult,
    probability: float | None,
    language: str,
    locale: str | None,
    degraded: bool,
    model: ScoringModel | None,
    words: int,
) -> Screening:
    level = Level.NONE
    by_category: dict[str, tuple[Level, list[Span]]] = {}
    someone_elses_risk = someone_elses_pain = own_risk = False
    for finding, span in result.findings:
        level = max(level, finding.level)
        third, risk = finding.person == "third", bool(finding.rule.categories)
        someone_elses_risk |= third and risk
        someone_elses_pain |= third and not risk
        own_risk |= finding.person == "first" and risk
        for category in finding.rule.categories:
            known_level, spans = by_category.get(category, (Level.NONE, []))
            by_category[category] = (max(known_level, finding.level), [*spans, span])
    if probability is not None and model is not None:
        model_level = _model_level(probability, model, words)
        if model_level > level:
            level = model_level
            if "suicide" not in by_category or by_category["suicide"][0] < model_level:
                spans = by_category.get("suicide", (Level.NONE, []))[1]
                by_category["suicide"] = (model_level, spans)
    categories = tuple(
        CategoryFinding(name, found_level, _merge(spans))
        for name, (found_level, spans) in sorted(
            by_category.items(), key=lambda item: (-item[1][0], item[0])
        )
    )
    rank = probability if probability is not None else 0.0
    score = (int(level) + min(max(rank, 0.0), 1.0) * 0.999) / (int(Level.IMMINENT) + 1)
    resources = resources_for(locale, level) if level >= Level.CONCERN else ()
    return Screening(
        level=level,
        score=score,
        categories=categories,
        # Someone else's risk makes the author a helper; someone else's pain only does when the
        # author's own risk was not found ("he says it's my fault for making him angry").
        third_party=someone_elses_risk or (someone_elses_pain and not own_risk),
        language=language,
        degraded=degraded,
        resources=resources,
    )


def _model_level(probability: float, model: ScoringModel, words: int) -> Level:
    thresholds = model.thresholds
    if words < CHAT_MAX_WORDS:
        # A chat line: the model may ask for a gentle check-in, never raise an alarm.
        return Level.CONCERN if probability >= thresholds["short_concern"] else Level.NONE
    if probability >= thresholds["high"]:
        return Level.HIGH
    if probability >= thresholds["concern"]:
        return Level.CONCERN
    return Level.NONE


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    merged: list[Span] = []
    for start, end in sorted(set(spans)):
        # Phrases one space apart read as one piece of evidence: "ways to" + "kill myself".
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def _load_model() -> tuple[ScoringModel | None, bool]:
    try:
        from holdspace.safety.model import RiskModel

        directory = os.environ.get("HOLDSPACE_RISK_MODEL_DIR")
        return RiskModel.load(Path(directory) if directory else None), False
    except Exception:
        logger.warning("risk model unavailable: screening with rules only (degraded)")
        return None, True


# Loaded once per process; (None, True) when it cannot load.
_model = once(_load_model)
