"""Training and evaluation of the coach's models (scikit-learn at training time only).

    holdspace train coach --data ../shared/data    writes coach_models.{npz,json} + the card
    holdspace eval coach --data ../shared/data     cross-validated dev figures per model

Data (../shared/data, research / non-commercial licences): EPITOME for the three empathy
mechanisms, ESConv for the eight strategies and self-disclosure, AnnoMI therapist talk and
ESConv "Providing Suggestions" for advice. Evaluation folds are grouped (EPITOME by seeker post,
ESConv by the seeker turn, AnnoMI by transcript) so that no conversation is on both sides.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from holdspace.coach.dense import dense_features
from holdspace.coach.features import TextSpace
from holdspace.coach.models import FLAG_HEAD, MODEL_FLAG_WORDS, CoachModels, Head
from holdspace.coach.types import FLAG_CODES, MECHANISMS

# Flags a model can learn from the hand-labelled drafts; missing_referral is the screening's.
MODEL_FLAGS = tuple(code for code in FLAG_CODES if code != "missing_referral")
CASE_FILES = ("cases.jsonl", "cases2.jsonl", "cases3.jsonl")
REAL_REPLY_FLAG_SHARE = 0.005  # per flag head, on real replies (ESConv, EPITOME)

FOLDS = 5
SEED = 0
RECIPE: dict[str, Any] = {
    "word": {"ngram_range": (1, 2), "min_df": 2, "max_features": 20_000},
    "char": {"ngram_range": (2, 5), "min_df": 3, "max_features": 30_000},
    "C": {"mechanism": 1.0, "strategy": 1.0, "advice": 1.0, "self_disclosure": 3.0, "flag": 3.0},
    # The model flags (unsolicited advice, self-disclosure) fire only where the models are sure:
    # their thresholds are set for this precision on out-of-fold predictions.
    "flag_precision": 0.8,
}


@dataclass
class Pair:
    response: str
    seeker: str
    group: str
    labels: dict[str, Any] = field(default_factory=dict)


@dataclass
class Corpus:
    epitome: list[Pair]
    esconv: list[Pair]
    annomi: list[Pair]

    def all(self) -> list[Pair]:
        return self.epitome + self.esconv + self.annomi


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_corpus(data_dir: Path) -> Corpus:
    mechanism_rows = {m: _csv(data_dir / "epitome" / f"{m}.csv") for m in MECHANISMS}
    epitome = []
    for rows in zip(*mechanism_rows.values(), strict=True):
        first = rows[0]
        labels: dict[str, Any] = {m: int(r["level"]) for m, r in zip(MECHANISMS, rows, strict=True)}
        labels.update(
            {f"{m}.rationales": r["rationales"] for m, r in zip(MECHANISMS, rows, strict=True)}
        )
        epitome.append(Pair(first["response_post"], first["seeker_post"], first["sp_id"], labels))
    esconv = [
        Pair(
            r["response"],
            r["seeker_last"],
            r["seeker_last"],
            {
                "strategy": r["strategy"],
                "self_disclosure": int(r["strategy"] == "Self-disclosure"),
                "advice": int(r["strategy"] == "Providing Suggestions"),
            },
        )
        for r in _csv(data_dir / "esconv" / "strategies.csv")
    ]
    annomi = []
    previous = ""
    for r in _csv(data_dir / "annomi" / "annomi_full.csv"):
        if r["interlocutor"] == "therapist":
            advice = int(r["therapist_input_subtype"] == "advice")
            annomi.append(
                Pair(
                    r["utterance_text"],
                    previous,
                    r["transcript_id"],
                    {"advice": advice, "annomi_advice": advice},
                )
            )
        else:
            previous = r["utterance_text"]
    return Corpus(epitome, esconv, annomi)


def load_cases(folder: Path) -> list[Pair]:
    """The hand-labelled drafts (tests/coach/cases*.jsonl) as training pairs for the flag heads."""
    pairs = []
    for name in CASE_FILES:
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                labels = {"flags": set(case["raise"])}
                pairs.append(Pair(case["draft"], case.get("seeker") or "", case["id"], labels))
    return pairs


def _folds(pairs: Sequence[Pair], key: str | None) -> np.ndarray:
    """A fold number for each pair, groups kept together, stratified by `key` where given."""
    from sklearn.model_selection import GroupKFold, StratifiedGroupKFold

    groups = [p.group for p in pairs]
    fold = np.zeros(len(pairs), dtype=int)
    if key is None:
        splitter: Any = GroupKFold(n_splits=FOLDS)
        splits = splitter.split(np.zeros(len(pairs)), groups=groups)
    else:
        splitter = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
        labels = [str(p.labels[key]) for p in pairs]
        splits = splitter.split(np.zeros(len(pairs)), labels, groups)
    for k, (_, test) in enumerate(splits):
        fold[test] = k
    return fold


def _logistic(x: sparse.csr_matrix, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    model.fit(x, y)
    return np.asarray(model.coef_, dtype=np.float64), np.asarray(model.intercept_, dtype=np.float64)


def fit_models(
    corpus: Corpus, recipe: dict[str, Any] | None = None, cases: Sequence[Pair] = ()
) -> CoachModels:
    """Fit the spaces on every reply of the three data sets, then each head on its data set."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    recipe = recipe or RECIPE
    replies = [p.response for p in corpus.all()]
    spaces = {
        "word": (
            TextSpace.from_sklearn(
                TfidfVectorizer(analyzer="word", sublinear_tf=True, **recipe["word"]).fit(replies)
            ),
            "response",
        ),
        "char": (
            TextSpace.from_sklearn(
                TfidfVectorizer(analyzer="char_wb", sublinear_tf=True, **recipe["char"]).fit(
                    replies
                )
            ),
            "response",
        ),
    }

    def inputs(pairs: Sequence[Pair]) -> sparse.csr_matrix:
        responses = [p.response for p in pairs]
        seekers = [p.seeker for p in pairs]
        parts = [space.transform(responses) for space, _ in spaces.values()]
        parts.append(sparse.csr_matrix(dense_features(responses, seekers)))
        return sparse.csr_matrix(sparse.hstack(parts, format="csr"))

    names = tuple(spaces)
    heads = []
    x_epitome = inputs(corpus.epitome)
    for mechanism in MECHANISMS:
        y = np.array([p.labels[mechanism] for p in corpus.epitome])
        coef, intercept = _logistic(x_epitome, y, recipe["C"]["mechanism"])
        heads.append(Head(mechanism, names, True, (), ("0", "1", "2"), coef, intercept))
    x_esconv = inputs(corpus.esconv)
    y = np.array([p.labels["strategy"] for p in corpus.esconv])
    coef, intercept = _logistic(x_esconv, y, recipe["C"]["strategy"])
    classes = tuple(sorted(set(y)))
    heads.append(Head("strategy", names, True, (), classes, coef, intercept))
    y = np.array([p.labels["self_disclosure"] for p in corpus.esconv])
    coef, intercept = _logistic(x_esconv, y, recipe["C"]["self_disclosure"])
    heads.append(Head("self_disclosure", names, True, (), ("1",), coef, intercept))
    # AnnoMI only: adding ESConv suggestions lowered the AnnoMI AUC (0.87 -> 0.84 measured).
    y = np.array([p.labels["advice"] for p in corpus.annomi])
    coef, intercept = _logistic(inputs(corpus.annomi), y, recipe["C"]["advice"])
    heads.append(Head("advice", names, True, (), ("1",), coef, intercept))
    if cases:
        x_cases = inputs(cases)
        for code in MODEL_FLAGS:
            y = np.array([int(code in p.labels["flags"]) for p in cases])
            coef, intercept = _logistic(x_cases, y, recipe["C"]["flag"])
            heads.append(Head(FLAG_HEAD + code, names, True, (), ("1",), coef, intercept))
    # Set from out-of-fold predictions by `train_coach`; until then, sure ones only.
    thresholds = {"advice": 0.9, "self_disclosure": 0.9}
    thresholds.update({FLAG_HEAD + code: 0.9 for code in MODEL_FLAGS if cases})
    return CoachModels(spaces, heads, thresholds, {"recipe": _jsonable(recipe)})


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


# -- evaluation ------------------------------------------------------------------------------


@dataclass
class OutOfFold:
    """Out-of-fold probabilities of every head on its own data set."""

    epitome: dict[str, np.ndarray]
    esconv: dict[str, np.ndarray]
    annomi: dict[str, np.ndarray]
    strategy_classes: tuple[str, ...]
    seconds: float


def cross_validate(corpus: Corpus, recipe: dict[str, Any] | None = None) -> OutOfFold:
    """Fold k of each data set is held out together; everything is fit on the rest."""
    folds = {
        "epitome": _folds(corpus.epitome, "emotional_reactions"),
        "esconv": _folds(corpus.esconv, "strategy"),
        "annomi": _folds(corpus.annomi, None),
    }
    out: dict[str, dict[str, np.ndarray]] = {"epitome": {}, "esconv": {}, "annomi": {}}
    classes: tuple[str, ...] = ()
    start = time.perf_counter()
    for k in range(FOLDS):
        train = Corpus(
            *(
                [p for p, f in zip(getattr(corpus, name), folds[name], strict=True) if f != k]
                for name in ("epitome", "esconv", "annomi")
            )
        )
        models = fit_models(train, recipe)
        classes = next(h.classes for h in models.heads if h.name == "strategy")
        for name in ("epitome", "esconv", "annomi"):
            pairs = getattr(corpus, name)
            held = np.flatnonzero(folds[name] == k)
            probs = models.probabilities(
                [pairs[i].response for i in held], [pairs[i].seeker for i in held]
            )
            for head, p in probs.items():
                store = out[name].setdefault(head, np.zeros((len(pairs), p.shape[1])))
                store[held] = p
    return OutOfFold(
        out["epitome"], out["esconv"], out["annomi"], classes, time.perf_counter() - start
    )


def macro_f1(y: np.ndarray, predicted: np.ndarray) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y, predicted, average="macro"))


def threshold_for_precision(scores: np.ndarray, y: np.ndarray, precision: float) -> float:
    """The lowest threshold whose positives are at least `precision` right (recall first)."""
    order = np.argsort(-scores)
    hits = np.cumsum(y[order])
    ranks = np.arange(1, len(y) + 1)
    ok = np.flatnonzero(hits / ranks >= precision)
    if len(ok) == 0:
        return 1.0
    return float(scores[order][ok[-1]])


def evaluate(
    corpus: Corpus, oof: OutOfFold, recipe: dict[str, Any] | None = None
) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """Rows of dev figures, and the thresholds chosen on the out-of-fold predictions."""
    from sklearn.metrics import f1_score, roc_auc_score

    recipe = recipe or RECIPE
    rows: list[dict[str, Any]] = []
    thresholds: dict[str, float] = {}
    for mechanism in MECHANISMS:
        y = np.array([p.labels[mechanism] for p in corpus.epitome])
        predicted = oof.epitome[mechanism].argmax(axis=1)
        rows.append(
            {
                "model": f"EPITOME {mechanism}",
                "metric": "macro-F1",
                "value": macro_f1(y, predicted),
                "n": len(y),
            }
        )
    y = np.array([p.labels["strategy"] for p in corpus.esconv])
    predicted = np.array(oof.strategy_classes)[oof.esconv["strategy"].argmax(axis=1)]
    rows.append(
        {
            "model": "ESConv strategy (8)",
            "metric": "macro-F1",
            "value": macro_f1(y, predicted),
            "n": len(y),
        }
    )
    y = np.array([p.labels["self_disclosure"] for p in corpus.esconv])
    scores = oof.esconv["self_disclosure"][:, 0]
    rows.append(
        {
            "model": "ESConv self-disclosure",
            "metric": "F1",
            "value": float(f1_score(y, scores >= 0.5)),
            "auc": float(roc_auc_score(y, scores)),
            "n": len(y),
        }
    )
    thresholds["self_disclosure"] = threshold_for_precision(scores, y, recipe["flag_precision"])
    y = np.array([p.labels["annomi_advice"] for p in corpus.annomi])
    scores = oof.annomi["advice"][:, 0]
    rows.append(
        {
            "model": "AnnoMI advice",
            "metric": "AUC",
            "value": float(roc_auc_score(y, scores)),
            "n": len(y),
        }
    )
    thresholds["advice"] = threshold_for_precision(scores, y, recipe["flag_precision"])
    return rows, thresholds


def cross_validate_flags(
    models: CoachModels, cases: Sequence[Pair], recipe: dict[str, Any] | None = None
) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """5-fold CV of the flag heads on the hand-labelled drafts, in the fitted spaces (fit on the
    data sets' replies, never on these drafts): recall at the threshold, and the thresholds."""
    from sklearn.model_selection import KFold

    recipe = recipe or RECIPE
    responses, seekers = [p.response for p in cases], [p.seeker for p in cases]
    parts = [space.transform(responses) for space, _ in models.spaces.values()]
    parts.append(sparse.csr_matrix(dense_features(responses, seekers)))
    x = sparse.csr_matrix(sparse.hstack(parts, format="csr"))
    good = np.array([not p.labels["flags"] for p in cases])
    flagged_good = np.zeros(len(cases), dtype=bool)
    rows, thresholds = [], {}
    for code in MODEL_FLAGS:
        y = np.array([int(code in p.labels["flags"]) for p in cases])
        scores = np.zeros(len(cases))
        for train, test in KFold(FOLDS, shuffle=True, random_state=SEED).split(x):
            coef, intercept = _logistic(x[train], y[train], recipe["C"]["flag"])
            z = np.asarray(x[test] @ coef.T).ravel() + intercept[0]
            scores[test] = 1.0 / (1.0 + np.exp(-z))
        threshold = threshold_for_precision(scores, y, recipe["flag_precision"])
        thresholds[FLAG_HEAD + code] = threshold
        flagged_good |= (scores >= threshold) & good
        recall = float(((scores >= threshold) & (y == 1)).sum() / max(1, y.sum()))
        rows.append(
            {"model": f"flag {code}", "metric": "CV recall", "value": recall, "n": int(y.sum())}
        )
    share = float(flagged_good.sum() / max(1, good.sum()))
    rows.append(
        {
            "model": "flag heads on good replies",
            "metric": "CV flagged",
            "value": share,
            "n": int(good.sum()),
        }
    )
    return rows, thresholds


def base_rate_floors(
    models: CoachModels, corpus: Corpus, thresholds: dict[str, float]
) -> dict[str, float]:
    """Raise each flag head's threshold so that it flags at most REAL_REPLY_FLAG_SHARE of the
    data sets' real supporter replies of chat length. The hand-labelled drafts are a third
    problems; real replies mostly are not, and precision on the drafts overstates it there."""
    replies = [
        p
        for p in corpus.esconv + corpus.epitome
        if MODEL_FLAG_WORDS[0] <= len(p.response.split()) <= MODEL_FLAG_WORDS[1]
    ]
    probs = models.probabilities([p.response for p in replies], [p.seeker for p in replies])
    return {
        name: max(threshold, float(np.quantile(probs[name][:, 0], 1 - REAL_REPLY_FLAG_SHARE)))
        for name, threshold in thresholds.items()
    }


def evaluate_coach(data_dir: Path, cases_dir: Path) -> list[dict[str, Any]]:
    corpus, cases = load_corpus(data_dir), load_cases(cases_dir)
    rows, _ = evaluate(corpus, cross_validate(corpus))
    flag_rows, _ = cross_validate_flags(fit_models(corpus), cases)
    return rows + flag_rows


def train_coach(data_dir: Path, cases_dir: Path, out_dir: Path) -> dict[str, Any]:
    """Cross-validate (figures and thresholds), fit on everything, write artefact and card."""
    corpus, cases = load_corpus(data_dir), load_cases(cases_dir)
    oof = cross_validate(corpus)
    rows, thresholds = evaluate(corpus, oof)
    models = fit_models(corpus, cases=cases)
    flag_rows, flag_thresholds = cross_validate_flags(models, cases)
    rows += flag_rows
    thresholds.update(flag_thresholds)
    thresholds.update(base_rate_floors(models, corpus, flag_thresholds))
    models.thresholds.update(thresholds)
    models.save(out_dir)
    from holdspace.coach.card import write_model_card

    write_model_card(out_dir, rows, thresholds, models, oof.seconds)
    return {row["model"]: round(row["value"], 3) for row in rows}
