"""The coach's trained models at run time: pure numpy/scipy, loaded once per process."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from holdspace.coach.types import MECHANISMS, STRATEGIES
from holdspace.safety.types import Span


class ModelUnavailable(RuntimeError):
    """The artefact is missing, damaged or from another version: coach with the rules only."""


@dataclass(frozen=True)
class ModelOutput:
    empathy: dict[str, int]
    evidence: dict[str, tuple[Span, ...]]
    strategies: dict[str, float]
    advice: float
    self_disclosure: float
    # Per sentence of the draft (rules.sentences), to point at the sentence that carries it.
    sentence_advice: tuple[float, ...] = ()
    sentence_self_disclosure: tuple[float, ...] = ()
    thresholds: dict[str, float] = field(default_factory=dict)


def neutral_output() -> ModelOutput:
    """What the coach reports when no model could run: no grades, no model flags."""
    return ModelOutput(
        empathy={name: 0 for name in MECHANISMS},
        evidence={name: () for name in MECHANISMS},
        strategies={name: 1.0 / len(STRATEGIES) for name in STRATEGIES},
        advice=0.0,
        self_disclosure=0.0,
        thresholds={"advice": 2.0, "self_disclosure": 2.0},  # never reached
    )


class CoachModels:
    @classmethod
    def load(cls, directory: Path | None = None) -> CoachModels:
        raise ModelUnavailable("coach models not trained yet")

    def predict(self, drafts: Sequence[str], seekers: Sequence[str]) -> list[ModelOutput]:
        raise NotImplementedError
