"""What the coach says about a draft. Plain dataclasses: the web platform and the CLI read these."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from holdspace.safety.types import Span

Severity = Literal["block", "warn", "tip"]
Verdict = Literal["send", "revise", "hold"]

MECHANISMS = ("emotional_reactions", "interpretations", "explorations")
STRATEGIES = (
    "Questions",
    "Restatement or Paraphrasing",
    "Reflection of feelings",
    "Self-disclosure",
    "Affirmation and Reassurance",
    "Providing Suggestions",
    "Information",
    "Other",
)
FLAG_CODES = (
    "method_information",
    "advice_on_risk",
    "secrecy_promise",
    "contact_exchange",
    "physical_intervention",
    "uninvited_self_disclosure",
    "unsolicited_advice",
    "medical_advice",
    "diagnosing",
    "judgment",
    "minimising",
    "imposing_beliefs",
    "hostile_language",
    "over_involvement",
    "third_party_disclosure",
    "missing_referral",
)


@dataclass(frozen=True)
class Flag:
    code: str
    severity: Severity
    span: Span  # in the draft as written
    message: str  # why, in one sentence
    suggestion: str  # a better way to say it

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "span": list(self.span),
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class Empathy:
    """EPITOME levels (0 none, 1 weak, 2 strong) with the words that show each mechanism."""

    levels: dict[str, int]
    evidence: dict[str, tuple[Span, ...]]


@dataclass(frozen=True)
class Coaching:
    empathy: Empathy
    strategy: str
    strategies: dict[str, float]
    advice: float
    flags: tuple[Flag, ...] = ()
    strengths: tuple[str, ...] = ()  # what is good in the draft, one kind sentence each
    degraded: bool = False  # a model could not load: rules only, model outputs are neutral
    seeker_level: str | None = field(default=None)  # the screening of the member's message

    @property
    def verdict(self) -> Verdict:
        severities = {flag.severity for flag in self.flags}
        if "block" in severities:
            return "hold"
        return "revise" if "warn" in severities else "send"

    def as_dict(self) -> dict[str, object]:
        return {
            "empathy": dict(self.empathy.levels),
            "strategy": self.strategy,
            "strategies": {name: round(p, 4) for name, p in self.strategies.items()},
            "advice": round(self.advice, 4),
            "flags": [flag.as_dict() for flag in self.flags],
            "verdict": self.verdict,
            "empathy_evidence": {
                name: [list(span) for span in spans]
                for name, spans in self.empathy.evidence.items()
            },
            "strengths": list(self.strengths),
            "seeker_level": self.seeker_level,
            "degraded": self.degraded,
        }
