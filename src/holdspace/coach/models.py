"""The coach's trained models at run time: pure numpy/scipy, loaded once per process.

The artefact is two plain files written by `holdspace.coach.training`:

- ``coach_models.npz``: arrays only (vocabularies as fixed-width unicode arrays, idf,
  coefficients, intercepts), read with ``allow_pickle=False``;
- ``coach_models.json``: version, the text spaces, the heads in the order they run, their
  inputs, classes and thresholds, and the arrays' checksum.

A *space* turns the draft (or the member's message) into tf-idf features; the *dense* input is
`dense.features` of the pair; a *head* is a logistic model over some spaces, the dense input
and the outputs of heads before it (a stack). Heads: the three EPITOME mechanisms, the eight
ESConv strategies, advice and self-disclosure.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from holdspace.coach.dense import DENSE_NAMES, dense_features
from holdspace.coach.features import TextSpace, word_ngrams
from holdspace.coach.rules import sentences
from holdspace.coach.types import MECHANISMS, STRATEGIES
from holdspace.safety.types import Span

ARTEFACT_VERSION = 1
FLAG_HEAD = "flag:"  # heads named "flag:<code>" score a flag where no rule fired
# The flag heads learnt from chat-length drafts (1st percentile 6 words, median 21): outside
# this range ("I hear you.", a long forum post) their guesses mean little; the rules still run.
MODEL_FLAG_WORDS = (8, 80)
NPZ_NAME = "coach_models.npz"
JSON_NAME = "coach_models.json"
DEFAULT_DIR = Path(__file__).parent / "data"
MAX_EVIDENCE = 3


class ModelUnavailable(RuntimeError):
    """The artefact is missing, damaged or from another version: coach with the rules only."""


@dataclass(frozen=True)
class ModelOutput:
    empathy: dict[str, int]
    evidence: dict[str, tuple[Span, ...]]
    strategies: dict[str, float]
    advice: float
    self_disclosure: float
    # Flag code -> probability, from the heads trained on the hand-labelled drafts.
    flags: dict[str, float] = field(default_factory=dict)
    # Per binary head over its threshold, a score per sentence of the draft (rules.sentences):
    # a model flag points at the sentence that carries it.
    sentences: dict[str, tuple[float, ...]] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)


def neutral_output() -> ModelOutput:
    """What the coach reports when no model could run: no grades, no model flags."""
    return ModelOutput(
        empathy={name: 0 for name in MECHANISMS},
        evidence={name: () for name in MECHANISMS},
        strategies={name: 1.0 / len(STRATEGIES) for name in STRATEGIES},
        advice=0.0,
        self_disclosure=0.0,
        thresholds={},  # no model flag without a model
    )


@dataclass(frozen=True)
class Head:
    name: str
    spaces: tuple[str, ...]  # text spaces it reads
    dense: bool  # whether it reads the dense features
    stacked: tuple[str, ...]  # heads whose probabilities it reads
    classes: tuple[str, ...]  # one column a class; binary heads have one column, class "1"
    coef: np.ndarray  # (columns, inputs)
    intercept: np.ndarray  # (columns,)

    def probabilities(self, inputs: sparse.csr_matrix) -> np.ndarray:
        z = np.asarray(inputs @ self.coef.T) + self.intercept
        if z.shape[1] == 1:
            return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -40, 40))))
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=1, keepdims=True))


class CoachModels:
    """All heads over shared spaces; `predict` scores drafts (and their sentences) in batches."""

    def __init__(
        self,
        spaces: dict[str, tuple[TextSpace, str]],  # name -> (space, "response" or "seeker")
        heads: list[Head],
        thresholds: dict[str, float],
        settings: dict[str, Any] | None = None,
    ) -> None:
        self.spaces = spaces
        self.heads = heads
        self.thresholds = dict(thresholds)
        self.settings = dict(settings or {})
        by_name = {head.name: head for head in heads}
        for head in heads:
            width = sum(spaces[s][0].size for s in head.spaces)
            width += len(DENSE_NAMES) if head.dense else 0
            width += sum(max(1, len(by_name[h].classes)) for h in head.stacked)
            if head.coef.shape != (len(head.classes), width):
                raise ModelUnavailable(f"coach model {head.name}: coefficients do not fit")
            if not (np.all(np.isfinite(head.coef)) and np.all(np.isfinite(head.intercept))):
                raise ModelUnavailable(f"coach model {head.name}: non-finite coefficients")
        missing = {
            "emotional_reactions",
            "interpretations",
            "explorations",
            "strategy",
            "advice",
            "self_disclosure",
        } - by_name.keys()
        if missing:
            raise ModelUnavailable(f"coach models missing: {sorted(missing)}")
        self.evidence_weights = self._evidence_weights()

    def probabilities(
        self, responses: Sequence[str], seekers: Sequence[str]
    ) -> dict[str, np.ndarray]:
        """Every head's probabilities for response/seeker pairs, in head order."""
        matrices = {
            name: space.transform(responses if side == "response" else seekers)
            for name, (space, side) in self.spaces.items()
        }
        dense = sparse.csr_matrix(dense_features(responses, seekers))
        out: dict[str, np.ndarray] = {}
        for head in self.heads:
            parts = [matrices[s] for s in head.spaces]
            if head.dense:
                parts.append(dense)
            parts += [sparse.csr_matrix(out[h]) for h in head.stacked]
            out[head.name] = head.probabilities(sparse.hstack(parts, format="csr"))
        return out

    def predict(self, drafts: Sequence[str], seekers: Sequence[str]) -> list[ModelOutput]:
        probs = self.probabilities(drafts, seekers)
        sentence_scores = self._sentence_scores(drafts, seekers, probs)
        outputs = []
        for i, draft in enumerate(drafts):
            levels = {m: self._level(probs[m][i], m) for m in MECHANISMS}
            outputs.append(
                ModelOutput(
                    empathy=levels,
                    evidence={m: self._evidence(draft, m) if levels[m] else () for m in MECHANISMS},
                    strategies={
                        name: float(p)
                        for name, p in zip(STRATEGIES, self._strategy_row(probs, i), strict=True)
                    },
                    advice=float(probs["advice"][i, 0]),
                    self_disclosure=float(probs["self_disclosure"][i, 0]),
                    flags={
                        name.removeprefix(FLAG_HEAD): float(p[i, 0])
                        for name, p in probs.items()
                        if name.startswith(FLAG_HEAD)
                    },
                    sentences=sentence_scores.get(i, {}),
                    thresholds=self.thresholds,
                )
            )
        return outputs

    def _sentence_scores(
        self, drafts: Sequence[str], seekers: Sequence[str], probs: dict[str, np.ndarray]
    ) -> dict[int, dict[str, tuple[float, ...]]]:
        """Per draft, the sentence scores of each binary head over its threshold; only drafts
        a model flag may point into are scored twice."""
        over = {
            i: [
                name
                for name in self.thresholds
                if name in probs and probs[name][i, 0] >= self.thresholds[name]
            ]
            for i in range(len(drafts))
        }
        wanted = [i for i, names in over.items() if names]
        pieces = {i: sentences(drafts[i]) for i in wanted}
        texts = [drafts[i][s:e] for i in wanted for s, e in pieces[i]]
        context = [seekers[i] for i in wanted for _ in pieces[i]]
        if not texts:
            return {}
        scores = self.probabilities(texts, context)
        found = {}
        offset = 0
        for i in wanted:
            rows = slice(offset, offset + len(pieces[i]))
            offset += len(pieces[i])
            found[i] = {name: tuple(float(p) for p in scores[name][rows, 0]) for name in over[i]}
        return found

    def _level(self, row: np.ndarray, mechanism: str) -> int:
        """The most probable level (the heads are trained with balanced class weights)."""
        head = next(h for h in self.heads if h.name == mechanism)
        return int(head.classes[int(np.argmax(row))])

    def _strategy_row(self, probs: dict[str, np.ndarray], i: int) -> np.ndarray:
        head = next(h for h in self.heads if h.name == "strategy")
        order = [head.classes.index(name) for name in STRATEGIES]
        return np.asarray(probs["strategy"][i, order])

    def _evidence_weights(self) -> dict[str, tuple[TextSpace, np.ndarray]]:
        """Per mechanism, the draft's word space and how much each of its n-grams pushes
        towards the mechanism (the best level against none)."""
        found = {}
        for mechanism in MECHANISMS:
            head = next(h for h in self.heads if h.name == mechanism)
            start = 0
            for name in head.spaces:
                space, side = self.spaces[name]
                if space.analyzer == "word" and side == "response":
                    columns = head.coef[:, start : start + space.size]
                    weight = columns[1:].max(axis=0) - columns[0]
                    found[mechanism] = (space, np.ascontiguousarray(weight))
                    break
                start += space.size
        return found

    def _evidence(self, draft: str, mechanism: str) -> tuple[Span, ...]:
        """The word n-grams of the draft that push most towards the mechanism: the words that
        show it, like the EPITOME rationales."""
        if mechanism not in self.evidence_weights:
            return ()
        space, weight = self.evidence_weights[mechanism]
        lowered = draft.lower()
        scored = []
        for gram in set(word_ngrams(draft, space.min_n, space.max_n)):
            column = space.vocabulary.get(gram)
            if column is not None and weight[column] > 0:
                scored.append((float(weight[column]), gram))
        spans: list[Span] = []
        for _, gram in sorted(scored, reverse=True):
            at = lowered.find(gram)
            if at >= 0 and not any(s <= at < e for s, e in spans):
                spans.append((at, at + len(gram)))
            if len(spans) == MAX_EVIDENCE:
                break
        return tuple(sorted(spans))

    # -- artefact --------------------------------------------------------------------------

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {}
        for name, (space, _) in self.spaces.items():
            arrays.update(space.arrays(f"space.{name}"))
        for head in self.heads:
            arrays[f"head.{head.name}.coef"] = head.coef.astype(np.float32)
            arrays[f"head.{head.name}.intercept"] = head.intercept.astype(np.float64)
        npz_path = directory / NPZ_NAME
        np.savez_compressed(npz_path, **arrays)  # type: ignore[arg-type]
        meta = {
            "version": ARTEFACT_VERSION,
            "kind": "holdspace.coach",
            "dense": list(DENSE_NAMES),
            "spaces": {
                name: {**space.settings(), "side": side}
                for name, (space, side) in self.spaces.items()
            },
            "heads": [
                {
                    "name": h.name,
                    "spaces": list(h.spaces),
                    "dense": h.dense,
                    "stacked": list(h.stacked),
                    "classes": list(h.classes),
                }
                for h in self.heads
            ],
            "thresholds": self.thresholds,
            "settings": self.settings,
            "npz_sha256": hashlib.sha256(npz_path.read_bytes()).hexdigest(),
        }
        (directory / JSON_NAME).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")

    @classmethod
    def load(cls, directory: Path | None = None) -> CoachModels:
        """Read the artefact; raise `ModelUnavailable` for anything wrong with it."""
        directory = Path(directory) if directory is not None else DEFAULT_DIR
        try:
            return cls._load(directory)
        except ModelUnavailable:
            raise
        except Exception as exc:
            raise ModelUnavailable(f"coach models unavailable: {type(exc).__name__}") from exc

    @classmethod
    def _load(cls, directory: Path) -> CoachModels:
        json_path, npz_path = directory / JSON_NAME, directory / NPZ_NAME
        if not json_path.is_file() or not npz_path.is_file():
            raise ModelUnavailable(f"coach models not found in {directory}")
        meta = json.loads(json_path.read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or meta.get("version") != ARTEFACT_VERSION:
            raise ModelUnavailable("coach models have another version")
        if hashlib.sha256(npz_path.read_bytes()).hexdigest() != meta.get("npz_sha256"):
            raise ModelUnavailable("coach model arrays do not match their description")
        if list(meta.get("dense", [])) != list(DENSE_NAMES):
            raise ModelUnavailable("coach models were trained on other dense features")
        with np.load(npz_path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
        spaces = {
            name: (TextSpace.from_arrays(settings, arrays, f"space.{name}"), settings["side"])
            for name, settings in meta["spaces"].items()
        }
        heads = [
            Head(
                name=h["name"],
                spaces=tuple(h["spaces"]),
                dense=bool(h["dense"]),
                stacked=tuple(h["stacked"]),
                classes=tuple(str(c) for c in h["classes"]),
                coef=np.array(arrays[f"head.{h['name']}.coef"], dtype=np.float64),
                intercept=np.array(arrays[f"head.{h['name']}.intercept"], dtype=np.float64),
            )
            for h in meta["heads"]
        ]
        thresholds = {k: float(v) for k, v in meta["thresholds"].items()}
        return cls(spaces, heads, thresholds, meta.get("settings"))
