"""`coach(draft, seeker)`: rules for the lines that must not be crossed, models for what is graded.

Rules (rules/flags.toml, contact.py) decide the exact flags. The trained models grade empathy,
strategies and advice, and add the graded flags (self-disclosure, advice) where no rule fired.
`missing_referral` screens the member's message with `holdspace.safety`. If the models cannot
load, the rules still run and the coaching says it is degraded.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from holdspace.coach.contact import contact_details, mentions_help_service
from holdspace.coach.models import MODEL_FLAG_WORDS, CoachModels, ModelOutput, neutral_output
from holdspace.coach.rules import CoachRules, RuleHit, load_rules, sentences
from holdspace.coach.types import FLAG_CODES, Coaching, Empathy, Flag, Severity
from holdspace.safety import Level, resources_for, screen_many
from holdspace.safety.once import once
from holdspace.safety.screen import as_text
from holdspace.safety.types import Span

logger = logging.getLogger(__name__)

# Longer drafts are coached on their start: nobody types a novel into a chat box, and the rules
# and models stay fast whatever is pasted.
MAX_DRAFT_CHARS = 5_000
SEEKER_CACHE_SIZE = 4_096
ASKED_FOR_ADVICE = re.compile(
    r"\b(?:what (?:should|do|can|could|would) i|should i|how (?:do|can|should|could) i|"
    r"any (?:advice|tips|suggestions|ideas)|advice|what would you do|what do you (?:think|suggest|"
    r"recommend)|help me (?:decide|figure|work out|with)|suggestions?|tips|ideas\?|"
    r"que (?:hago|debo hacer|harias)|consejos?)\b",
    re.IGNORECASE,
)
MODEL_FLAG_MIN_WORDS, MODEL_FLAG_MAX_WORDS = MODEL_FLAG_WORDS
FLAG_ORDER = {code: i for i, code in enumerate(FLAG_CODES)}
SEVERITY_ORDER: dict[Severity, int] = {"block": 0, "warn": 1, "tip": 2}


@dataclass(frozen=True)
class DraftRequest:
    draft: str
    seeker: str | None = None
    disclosure_invited: bool = False
    locale: str | None = None


def coach(
    draft: str,
    seeker: str | None = None,
    disclosure_invited: bool = False,
    locale: str | None = None,
) -> Coaching:
    return coach_many([DraftRequest(draft, seeker, disclosure_invited, locale)])[0]


def contact_flags(text: str, locale: str | None = None) -> tuple[Flag, ...]:
    """Only the contact-exchange flags: what is held back in anyone's message, members' too."""
    text = as_text(text)[:MAX_DRAFT_CHARS]
    rules = load_rules()
    fillers = _fillers(locale, None)
    flags = [
        _flag(rules, "contact_exchange", hit.span, fillers, hit)
        for hit in rules.hits(text)
        if hit.rule.flag == "contact_exchange" and not hit.cancelled
    ]
    details = contact_details(text, locale)
    flags += [_flag(rules, "contact_exchange", span, fillers) for span, _ in details]
    return _merge(flags)


def coach_many(
    requests: Sequence[DraftRequest], models: CoachModels | None = None
) -> list[Coaching]:
    """Coach a batch of drafts; the models score the whole batch at once."""
    drafts = [as_text(request.draft)[:MAX_DRAFT_CHARS] for request in requests]
    seekers = [as_text(request.seeker) if request.seeker else "" for request in requests]
    models, degraded = (models, False) if models is not None else _models()
    outputs, degraded = _model_outputs(models, drafts, seekers, degraded)
    screened = _screen_seekers(seekers, [request.locale for request in requests])
    rules = load_rules()
    return [
        _coach_one(rules, request, draft, seeker, output, level, degraded)
        for request, draft, seeker, output, level in zip(
            requests, drafts, seekers, outputs, screened, strict=True
        )
    ]


def _coach_one(
    rules: CoachRules,
    request: DraftRequest,
    draft: str,
    seeker: str,
    output: ModelOutput,
    seeker_level: Level | None,
    degraded: bool,
) -> Coaching:
    fillers = _fillers(request.locale, seeker_level)
    found = rules.hits(draft, seeker)
    hits = [h for h in found if not h.cancelled and _applies(h.rule.flag, request, seeker)]
    flags = [_flag(rules, hit.rule.flag, hit.span, fillers, hit) for hit in hits]
    # Codes whose phrases the rules found and explained away: the models may not overrule.
    explained = {h.rule.flag for h in found if h.cancelled}
    flags += [
        _flag(rules, "contact_exchange", span, fillers)
        for span, _ in contact_details(draft, request.locale)
    ]
    raised = {flag.code for flag in flags}
    # "A&E will just make a fuss" names help only to talk them out of it: not a referral.
    discouraging = [hit.span for hit in hits if hit.rule.flag == "advice_on_risk"]
    kept = _without_sentences(draft, discouraging)
    refers = rules.refers(kept) or mentions_help_service(kept)
    sentence_spans = sentences(draft)
    flags += (
        _model_flags(
            rules, request, seeker, output, raised | explained, refers, sentence_spans, fillers
        )
        if MODEL_FLAG_MIN_WORDS <= len(draft.split()) <= MODEL_FLAG_MAX_WORDS
        else []
    )
    if seeker_level is not None and seeker_level >= Level.HIGH and not refers:
        flags.append(_flag(rules, "missing_referral", (0, len(draft)), fillers))
    return Coaching(
        empathy=Empathy(levels=output.empathy, evidence=output.evidence),
        strategy=max(output.strategies, key=output.strategies.__getitem__),
        strategies=output.strategies,
        advice=output.advice,
        flags=_merge(flags),
        strengths=_strengths(output, seeker_level, refers),
        degraded=degraded,
        seeker_level=seeker_level.label if seeker_level is not None else None,
    )


def _without_sentences(draft: str, spans: list[Span]) -> str:
    """The draft with the sentences that hold any of the spans blanked out."""
    if not spans:
        return draft
    chars = list(draft)
    for start, end in sentences(draft):
        if any(start <= s < end for s, _ in spans):
            chars[start:end] = " " * (end - start)
    return "".join(chars)


def _model_flags(
    rules: CoachRules,
    request: DraftRequest,
    seeker: str,
    output: ModelOutput,
    raised: set[str],
    refers: bool,
    spans: list[Span],
    fillers: dict[str, str],
) -> list[Flag]:
    """What the models see where no rule fired. A model's guess asks (warn) rather than holds,
    and advice the model alone sees is only a tip."""
    found: list[Flag] = []
    scores = {f"flag:{code}": p for code, p in output.flags.items()}
    scores["self_disclosure"] = output.self_disclosure
    scores["advice"] = output.advice
    codes = {"self_disclosure": "uninvited_self_disclosure", "advice": "unsolicited_advice"}
    for name, p in scores.items():
        code = codes.get(name, name.removeprefix("flag:"))
        if name not in output.thresholds or p < output.thresholds[name]:
            continue
        if code in raised or code == "missing_referral" or not _applies(code, request, seeker):
            continue
        if code == "unsolicited_advice" and refers:
            continue
        severity: Severity = "tip" if name == "advice" else "warn"
        span = _strongest(spans, output.sentences.get(name, ()))
        found.append(_flag(rules, code, span, fillers, severity=severity))
        raised.add(code)
    return found


def _applies(code: str, request: DraftRequest, seeker: str) -> bool:
    if code == "uninvited_self_disclosure":
        return not request.disclosure_invited
    if code == "unsolicited_advice":
        return not ASKED_FOR_ADVICE.search(seeker)
    return True


def _flag(
    rules: CoachRules,
    code: str,
    span: Span,
    fillers: dict[str, str],
    hit: RuleHit | None = None,
    severity: Severity | None = None,
) -> Flag:
    text = rules.texts[code]
    rule = hit.rule if hit is not None else None
    return Flag(
        code=code,
        severity=severity or (rule.severity if rule and rule.severity else text.severity),
        span=span,
        message=(rule.message if rule and rule.message else text.message),
        suggestion=(rule.suggestion if rule and rule.suggestion else text.suggestion).format_map(
            fillers
        ),
    )


def _merge(flags: list[Flag]) -> tuple[Flag, ...]:
    """One flag a code and stretch of text: overlapping evidence of one code reads as one."""
    merged: list[Flag] = []
    for flag in sorted(flags, key=lambda f: (FLAG_ORDER[f.code], f.span)):
        last = merged[-1] if merged else None
        if last and last.code == flag.code and flag.span[0] <= last.span[1]:
            severity = min(last.severity, flag.severity, key=SEVERITY_ORDER.__getitem__)
            span = (last.span[0], max(last.span[1], flag.span[1]))
            merged[-1] = Flag(last.code, severity, span, last.message, last.suggestion)
        else:
            merged.append(flag)
    return tuple(sorted(merged, key=lambda f: (SEVERITY_ORDER[f.severity], f.span)))


def _strongest(spans: list[Span], scores: Sequence[float]) -> Span:
    """The sentence that scores highest; the whole draft when there are no sentence scores."""
    if not spans:
        return (0, 0)
    if len(scores) != len(spans):
        return (spans[0][0], spans[-1][1])
    return spans[max(range(len(spans)), key=lambda i: scores[i])]


def _fillers(locale: str | None, level: Level | None) -> dict[str, str]:
    found = resources_for(locale, max(level or Level.HIGH, Level.HIGH))
    line = next((r for r in found if r.kind == "crisis_line"), None)
    emergency = next((r for r in found if r.kind == "emergency"), None)
    directory = next((r for r in found if r.kind == "directory"), None)
    if line is not None:
        how = line.phone or line.text or line.chat or line.url
        crisis_line = f"{line.name} ({how})" if how else line.name
    elif directory is not None:
        crisis_line = f"a crisis line near you ({directory.url})"
    else:
        crisis_line = "a crisis line near you"
    return {
        "crisis_line": crisis_line,
        "emergency": emergency.phone or "emergency services" if emergency else "emergency services",
    }


def _strengths(output: ModelOutput, seeker_level: Level | None, refers: bool) -> tuple[str, ...]:
    notes = []
    if output.empathy.get("emotional_reactions", 0) >= 1:
        notes.append("You let them know you care about how they feel.")
    if output.empathy.get("interpretations", 0) >= 1:
        notes.append("You showed you understand what they're going through.")
    if output.empathy.get("explorations", 0) >= 1:
        notes.append("Your question invites them to say more.")
    if seeker_level is not None and seeker_level >= Level.HIGH and refers:
        notes.append("You pointed them to help they can reach right now.")
    return tuple(notes)


class _ScreenedSeekers:
    """The levels of recently screened member messages. A supporter is coached on every pause
    while typing a reply to the same message: screen it once. Bounded (the keys are members'
    words, kept in this process's memory only) and thread-safe."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.levels: OrderedDict[tuple[str, str | None], Level] = OrderedDict()
        self.lock = threading.Lock()

    def levels_of(self, seekers: list[str], locales: list[str | None]) -> list[Level | None]:
        keys = [(seeker, locale) for seeker, locale in zip(seekers, locales, strict=True)]
        levels: list[Level | None] = [None] * len(keys)
        with self.lock:
            for i, key in enumerate(keys):
                if key in self.levels:
                    self.levels.move_to_end(key)
                    levels[i] = self.levels[key]
        missing = [i for i, key in enumerate(keys) if levels[i] is None and key[0].strip()]
        if missing:
            results = screen_many([seekers[i] for i in missing], [locales[i] for i in missing])
            with self.lock:
                for i, result in zip(missing, results, strict=True):
                    levels[i] = self.levels[keys[i]] = result.level
                    # A degraded screening (no model) is not kept: the next one may do better.
                    if result.degraded:
                        del self.levels[keys[i]]
                while len(self.levels) > self.size:
                    self.levels.popitem(last=False)
        return levels


_screened = _ScreenedSeekers(SEEKER_CACHE_SIZE)


def _screen_seekers(seekers: list[str], locales: list[str | None]) -> list[Level | None]:
    return _screened.levels_of(seekers, locales)


def _model_outputs(
    models: CoachModels | None, drafts: list[str], seekers: list[str], degraded: bool
) -> tuple[list[ModelOutput], bool]:
    if models is not None:
        try:
            return models.predict(drafts, seekers), degraded
        except Exception as error:
            # The class only: an exception's message can quote the draft.
            logger.error("coach models failed (%s); coaching with rules only", type(error).__name__)
    return [neutral_output() for _ in drafts], True


def _load_models() -> tuple[CoachModels | None, bool]:
    try:
        directory = os.environ.get("HOLDSPACE_COACH_MODEL_DIR")
        return CoachModels.load(Path(directory) if directory else None), False
    except Exception:
        logger.warning("coach models unavailable: coaching with rules only (degraded)")
        return None, True


# Loaded once per process; (None, True) when it cannot load.
_models = once(_load_models)
