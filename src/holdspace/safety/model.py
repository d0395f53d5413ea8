"""The trained risk text classifier: ranks suicide risk where no explicit crisis rule fires.

Pure numpy/scipy at run time. The artefact is two plain files written by
`holdspace.safety.training.train_risk`:

- ``risk_model.npz``: arrays only (vocabulary as a fixed-width unicode array, idf, coefficients,
  intercepts), read with ``allow_pickle=False``;
- ``risk_model.json``: version, settings, thresholds, shapes and checksums.

The score combines two logistic models that share one feature space (character n-grams inside
word boundaries, tf-idf, plus a small lexicon of suicidal-intent phrases):

- the *ranker* (SuicideWatch vs depression posts) orders distressed text by suicidality;
- the *gate* (distress posts vs everyday emotional talk) only pulls the score down, and only when
  a text looks clearly like everyday talk: ``z = ranker + weight * min(0, gate - margin)``.

The feature code here is the one the training uses, so the scores at run time are those of the
training pipeline by construction (and `training.py` checks them against scikit-learn).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

ARTEFACT_VERSION = 1
NPZ_NAME = "risk_model.npz"
JSON_NAME = "risk_model.json"

# Very long texts are cut to their start and end (the decisive sentence of a long post is
# usually near one of the two ends); the same cut is applied at training time.
MAX_CHARS = 6000
HEAD_CHARS = 4500

WORD_CACHE_SIZE = 1 << 15

_WHITESPACE = re.compile(r"\s\s+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})

# A small, hand-written lexicon of suicidal intent and its context (not mined from the data).
LEXICON: tuple[tuple[str, str], ...] = (
    ("kill_myself", r"\bkill(?:ing)? (?:my ?self|me)\b|\bkms\b"),
    ("end_my_life", r"\bend(?:ing)? (?:my|it|this) ?(?:life|all)?\b|\bend it\b"),
    ("suicide", r"\bsuicid"),
    ("want_to_die", r"\b(?:want(?:ed)?|wanna|wish|going) (?:to )?(?:die|be dead)\b|\bwanna die\b"),
    (
        "no_reason_to_live",
        r"\b(?:no|any) (?:reason|point) (?:to|in) (?:live|living|go on|going on)",
    ),
    ("goodbye", r"\bgood ?bye|\bfarewell"),
    ("pills", r"\bpills?\b"),
    ("overdose", r"\boverdos|\bod\b"),
    ("rope", r"\brope\b|\bhang(?:ing)? my"),
    ("jump", r"\bjump(?:ing)?\b"),
    ("plan", r"\bplan(?:s|ned|ning)?\b"),
    ("future", r"\bgoing to\b|\bgonna\b|\bwill\b|'ll\b"),
    ("soon", r"\btonight\b|\btomorrow\b|\bsoon\b"),
    ("note", r"\bnote\b"),
    ("gun", r"\bgun\b|\bshoot"),
    ("height", r"\bbridge\b|\bbuilding\b|\broof\b"),
    ("death", r"\bdie\b|\bdead\b|\bdeath\b"),
    ("cutting", r"\bcut(?:ting)?\b|\bblade|\brazor"),
    ("depression", r"\bdepress"),
    ("treatment", r"\btherap|\bmeds\b|\bmedication"),
    ("cant_anymore", r"\bcan'?t (?:do|take) (?:this|it) any ?more\b"),
    ("better_off", r"\bbetter off (?:dead|without me)"),
    ("no_one_cares", r"\bno ?one (?:would|will) (?:care|miss)"),
    ("attempt", r"\battempt"),
)
_LEXICON_RES = tuple(re.compile(pattern) for _, pattern in LEXICON)
_FIRST_PERSON = re.compile(r"\b(?:i|me|my|myself|mine|i'm|i've|i'd|i'll|im)\b")
_OTHER_PERSON = re.compile(
    r"\b(?:he|she|they|him|her|them|his|their|friend|brother|sister|mom|dad|boyfriend|girlfriend)\b"
)
LEXICON_NAMES: tuple[str, ...] = (
    *(n for n, _ in LEXICON),
    "first_person_rate",
    "other_person_rate",
    "log_words",
)
N_LEXICON = len(LEXICON_NAMES)


class ModelUnavailable(RuntimeError):
    """The artefact is missing, damaged or from another version: screen with the rules only."""


def prepare(text: str) -> str:
    """Lower-case, normalise apostrophes and whitespace, cut to start and end."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if len(text) > MAX_CHARS:
        text = text[:HEAD_CHARS] + "\n" + text[-(MAX_CHARS - HEAD_CHARS) :]
    return _WHITESPACE.sub(" ", text.lower().translate(_APOSTROPHES))


def word_ngrams(word: str, min_n: int, max_n: int) -> list[str]:
    """Character n-grams of one word padded with spaces (scikit-learn's ``char_wb``)."""
    padded = " " + word + " "
    length = len(padded)
    if length > max_n:
        return [padded[i : i + n] for n in range(min_n, max_n + 1) for i in range(length - n + 1)]
    grams = [padded[i : i + n] for n in range(min_n, length) for i in range(length - n + 1)]
    grams.append(padded)
    return grams


def analyze(text: str, min_n: int = 2, max_n: int = 5) -> list[str]:
    """All ``char_wb`` n-grams of a prepared text (the training analyser)."""
    grams: list[str] = []
    for word in text.split():
        grams.extend(word_ngrams(word, min_n, max_n))
    return grams


# Cheap necessary conditions for each phrase (plain substring tests), checked before the regex.
_PREFILTERS: tuple[tuple[str, ...], ...] = (
    ("kill", "kms"),
    ("end",),
    ("suicid",),
    ("die", "dead"),
    ("reason", "point"),
    ("good", "farewell"),
    ("pill",),
    ("overdos", "od"),
    ("rope", "hang"),
    ("jump",),
    ("plan",),
    ("going to", "gonna", "will", "'ll"),
    ("tonight", "tomorrow", "soon"),
    ("note",),
    ("gun", "shoot"),
    ("bridge", "building", "roof"),
    ("die", "dead", "death"),
    ("cut", "blade", "razor"),
    ("depress",),
    ("therap", "meds", "medication"),
    ("any",),
    ("better off",),
    ("one",),
    ("attempt",),
)
_CHECKS = tuple(zip(_PREFILTERS, _LEXICON_RES, strict=True))


def lexicon_features(prepared: Sequence[str]) -> np.ndarray:
    """Log counts of the lexicon phrases, pronoun rates and log length, one row a text."""
    out = np.zeros((len(prepared), N_LEXICON), dtype=np.float64)
    n_phrases = len(_LEXICON_RES)
    log1p = np.log1p
    for i, text in enumerate(prepared):
        if not text:
            continue
        row = out[i]
        for j, (keys, pattern) in enumerate(_CHECKS):
            for key in keys:
                if key in text:
                    hits = len(pattern.findall(text))
                    if hits:
                        row[j] = log1p(hits)
                    break
        words = max(1, len(text.split()))
        row[n_phrases] = 5.0 * len(_FIRST_PERSON.findall(text)) / words
        row[n_phrases + 1] = 5.0 * len(_OTHER_PERSON.findall(text)) / words
        row[n_phrases + 2] = log1p(words) / 5.0
    return out


@dataclass(frozen=True)
class Featurizer:
    """tf-idf (sublinear tf, l2 norm) over a fixed vocabulary, plus scaled lexicon features."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    min_n: int
    max_n: int
    lexicon_scale: float

    def __post_init__(self) -> None:
        # Chat reuses a small vocabulary of words: cut each into n-grams once per process.
        # lru_cache is thread-safe, and bounded because words come from members' input.
        object.__setattr__(self, "gram_ids", lru_cache(maxsize=WORD_CACHE_SIZE)(self._gram_ids))

    def _gram_ids(self, word: str) -> tuple[int, ...]:
        ids = map(self.vocabulary.get, word_ngrams(word, self.min_n, self.max_n))
        return tuple(k for k in ids if k is not None)

    @property
    def n_features(self) -> int:
        return len(self.vocabulary) + N_LEXICON

    def counts(self, prepared: Sequence[str]) -> sparse.csr_matrix:
        """Raw n-gram counts (documents x vocabulary), as (documents x words) @ (words x n-grams):
        each distinct word of the batch is cut into n-grams once."""
        vocab = self.vocabulary
        words: dict[str, int] = {}  # local to the call: thread-safe
        doc_ptr = [0]
        doc_words: list[int] = []
        for text in prepared:
            for word in text.split():
                k = words.get(word)
                if k is None:
                    k = words[word] = len(words)
                doc_words.append(k)
            doc_ptr.append(len(doc_words))
        word_ptr = [0]
        word_grams: list[int] = []
        gram_ids = self.gram_ids  # type: ignore[attr-defined]
        for word in words:
            word_grams.extend(gram_ids(word))
            word_ptr.append(len(word_grams))
        docs = sparse.csr_matrix(
            (
                np.ones(len(doc_words)),
                np.asarray(doc_words, dtype=np.int64),
                np.asarray(doc_ptr, dtype=np.int64),
            ),
            shape=(len(prepared), len(words)),
        )
        grams = sparse.csr_matrix(
            (
                np.ones(len(word_grams)),
                np.asarray(word_grams, dtype=np.int64),
                np.asarray(word_ptr, dtype=np.int64),
            ),
            shape=(len(words), len(vocab)),
        )
        matrix = sparse.csr_matrix(docs @ grams)
        matrix.sum_duplicates()
        return matrix

    def scaled(self, prepared: Sequence[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
        """Unnormalised tf-idf (sublinear tf) and the l2 norm of each row."""
        tf = self.counts(prepared)
        tf.data = (1.0 + np.log(tf.data)) * self.idf[tf.indices]
        norms = np.sqrt(np.asarray(tf.multiply(tf).sum(axis=1)).ravel())
        norms[norms == 0.0] = 1.0
        return tf, norms

    def transform(self, prepared: Sequence[str]) -> sparse.csr_matrix:
        """The full feature matrix (used for fitting)."""
        tf, norms = self.scaled(prepared)
        tf = sparse.csr_matrix(sparse.diags(1.0 / norms) @ tf)
        lex = sparse.csr_matrix(lexicon_features(prepared) * self.lexicon_scale)
        return sparse.csr_matrix(sparse.hstack([tf, lex], format="csr"))


def combine(ranker: np.ndarray, gate: np.ndarray, margin: float, weight: float) -> np.ndarray:
    """The score from the two decision values (logits)."""
    z = ranker + weight * np.minimum(0.0, gate - margin)
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0))), dtype=np.float64)


class RiskModel:
    """Scores texts in [0, 1]; `thresholds` holds the ``concern`` and ``high`` cut-offs."""

    def __init__(
        self,
        featurizer: Featurizer,
        coef: np.ndarray,
        intercept: np.ndarray,
        thresholds: dict[str, float],
        gate_margin: float,
        gate_weight: float,
        settings: dict[str, Any] | None = None,
    ) -> None:
        coef = np.asarray(coef, dtype=np.float64)
        intercept = np.asarray(intercept, dtype=np.float64)
        if coef.shape != (2, featurizer.n_features) or intercept.shape != (2,):
            raise ModelUnavailable("risk model: coefficient shapes do not match the vocabulary")
        if not (np.all(np.isfinite(coef)) and np.all(np.isfinite(intercept))):
            raise ModelUnavailable("risk model: non-finite coefficients")
        self.featurizer = featurizer
        self._coef_t = np.ascontiguousarray(coef.T)
        self._coef_t.setflags(write=False)
        self._intercept = intercept
        self._intercept.setflags(write=False)
        self.thresholds: dict[str, float] = dict(thresholds)
        self.gate_margin = float(gate_margin)
        self.gate_weight = float(gate_weight)
        self.settings: dict[str, Any] = dict(settings or {})

    # -- scoring ---------------------------------------------------------------------------

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        """Ranker and gate logits, shape (n, 2)."""
        prepared = [prepare(t) for t in texts]
        if not prepared:
            return np.zeros((0, 2), dtype=np.float64)
        feats = self.featurizer
        n_vocab = len(feats.vocabulary)
        tf, norms = feats.scaled(prepared)
        lex = lexicon_features(prepared) * feats.lexicon_scale
        out = np.asarray(tf @ self._coef_t[:n_vocab]) / norms[:, None]
        decision: np.ndarray = out + lex @ self._coef_t[n_vocab:] + self._intercept
        return decision

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """Risk scores in [0, 1], one a text (empty strings score low)."""
        if isinstance(texts, str):
            texts = [texts]
        logits = self.decision(texts)
        if logits.shape[0] == 0:
            return np.zeros(0, dtype=np.float64)
        return combine(logits[:, 0], logits[:, 1], self.gate_margin, self.gate_weight)

    # -- artefact --------------------------------------------------------------------------

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        vocab_items = sorted(self.featurizer.vocabulary.items(), key=lambda kv: kv[1])
        vocab = np.array([g for g, _ in vocab_items], dtype=f"<U{self.featurizer.max_n}")
        arrays = {
            "vocabulary": vocab,
            "idf": self.featurizer.idf.astype(np.float64),
            "coef": np.ascontiguousarray(self._coef_t.T).astype(np.float64),
            "intercept": self._intercept.astype(np.float64),
        }
        npz_path = directory / NPZ_NAME
        np.savez_compressed(npz_path, **arrays)  # type: ignore[arg-type]
        meta = {
            "version": ARTEFACT_VERSION,
            "kind": "holdspace.safety.risk",
            "features": {
                "analyzer": "char_wb",
                "min_n": self.featurizer.min_n,
                "max_n": self.featurizer.max_n,
                "sublinear_tf": True,
                "norm": "l2",
                "lexicon": [name for name in LEXICON_NAMES],
                "lexicon_scale": self.featurizer.lexicon_scale,
                "max_chars": MAX_CHARS,
                "head_chars": HEAD_CHARS,
            },
            "shapes": {"vocabulary": len(vocab), "coef": [2, self.featurizer.n_features]},
            "models": ["ranker", "gate"],
            "gate_margin": self.gate_margin,
            "gate_weight": self.gate_weight,
            "thresholds": self.thresholds,
            "settings": self.settings,
            "npz_sha256": hashlib.sha256(npz_path.read_bytes()).hexdigest(),
        }
        (directory / JSON_NAME).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")

    @classmethod
    def load(cls, directory: Path | None = None) -> RiskModel:
        """Read the artefact; raise `ModelUnavailable` for anything wrong with it."""
        directory = Path(directory) if directory is not None else Path(__file__).parent / "data"
        try:
            return cls._load(directory)
        except ModelUnavailable:
            raise
        except Exception as exc:
            raise ModelUnavailable(f"risk model unavailable: {type(exc).__name__}: {exc}") from exc

    @classmethod
    def _load(cls, directory: Path) -> RiskModel:
        json_path, npz_path = directory / JSON_NAME, directory / NPZ_NAME
        if not json_path.is_file() or not npz_path.is_file():
            raise ModelUnavailable(f"risk model artefact not found in {directory}")
        meta = json.loads(json_path.read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or meta.get("version") != ARTEFACT_VERSION:
            raise ModelUnavailable("risk model artefact has another version")
        raw = npz_path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != meta.get("npz_sha256"):
            raise ModelUnavailable("risk model arrays do not match their description")
        features = meta["features"]
        if (
            features.get("analyzer") != "char_wb"
            or list(features.get("lexicon", [])) != list(LEXICON_NAMES)
            or features.get("max_chars") != MAX_CHARS
            or features.get("head_chars") != HEAD_CHARS
        ):
            raise ModelUnavailable("risk model features differ from this code's")
        with np.load(npz_path, allow_pickle=False) as npz:
            vocab = npz["vocabulary"]
            idf = np.array(npz["idf"], dtype=np.float64)
            coef = np.array(npz["coef"], dtype=np.float64)
            intercept = np.array(npz["intercept"], dtype=np.float64)
        if (
            vocab.ndim != 1
            or idf.shape != vocab.shape
            or len(vocab) != meta["shapes"]["vocabulary"]
        ):
            raise ModelUnavailable("risk model vocabulary has the wrong shape")
        if list(coef.shape) != list(meta["shapes"]["coef"]):
            raise ModelUnavailable("risk model coefficients have the wrong shape")
        vocabulary = {str(g): i for i, g in enumerate(vocab.tolist())}
        if len(vocabulary) != len(vocab):
            raise ModelUnavailable("risk model vocabulary has duplicates")
        idf.setflags(write=False)
        thresholds = {k: float(v) for k, v in meta["thresholds"].items()}
        if not {"concern", "high", "short_concern"} <= thresholds.keys():
            raise ModelUnavailable("risk model thresholds incomplete")
        if not all(0.0 <= v <= 1.0 for v in thresholds.values()):
            raise ModelUnavailable("risk model thresholds out of range")
        featurizer = Featurizer(
            vocabulary=vocabulary,
            idf=idf,
            min_n=int(features["min_n"]),
            max_n=int(features["max_n"]),
            lexicon_scale=float(features["lexicon_scale"]),
        )
        return cls(
            featurizer,
            coef,
            intercept,
            thresholds,
            gate_margin=float(meta["gate_margin"]),
            gate_weight=float(meta["gate_weight"]),
            settings=dict(meta.get("settings", {})),
        )


__all__ = ["ModelUnavailable", "RiskModel", "analyze", "lexicon_features", "prepare"]
