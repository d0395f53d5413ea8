"""Text features at run time, in numpy: tf-idf over word or character n-grams exactly as
scikit-learn's TfidfVectorizer computes them (lowercase, default token pattern, ``char_wb``),
from a fixed vocabulary and idf. Training fits the vectorizer with scikit-learn and stores the
arrays; `tests/coach/test_features.py` checks the two agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from scipy import sparse

Analyzer = Literal["word", "char_wb"]
TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern
WORD_CACHE_SIZE = 1 << 15


def word_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    tokens = TOKEN.findall(text.lower())
    grams = list(tokens) if min_n == 1 else []
    for n in range(max(min_n, 2), max_n + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def char_wb_ngrams_of_word(word: str, min_n: int, max_n: int) -> list[str]:
    padded = " " + word + " "
    grams = []
    for n in range(min_n, max_n + 1):
        if len(padded) <= n:
            grams.append(padded)
            break
        grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


@dataclass(frozen=True)
class TextSpace:
    """One fitted TfidfVectorizer (sublinear tf or not, l2 norm), as plain arrays."""

    analyzer: Analyzer
    min_n: int
    max_n: int
    sublinear_tf: bool
    vocabulary: dict[str, int]
    idf: np.ndarray

    def __post_init__(self) -> None:
        # Words come back again and again: cut each into n-gram ids once per process.
        # lru_cache is thread-safe, and bounded because words come from people's input.
        object.__setattr__(self, "_ids", lru_cache(maxsize=WORD_CACHE_SIZE)(self._word_ids))

    @property
    def size(self) -> int:
        return len(self.vocabulary)

    def _word_ids(self, word: str) -> tuple[int, ...]:
        get = self.vocabulary.get
        ids = map(get, char_wb_ngrams_of_word(word, self.min_n, self.max_n))
        return tuple(i for i in ids if i is not None)

    def ids(self, text: str) -> list[int]:
        """Vocabulary ids of the text's n-grams, one per occurrence."""
        if self.analyzer == "word":
            get = self.vocabulary.get
            return [i for i in map(get, word_ngrams(text, self.min_n, self.max_n)) if i is not None]
        word_ids = self._ids  # type: ignore[attr-defined]
        out: list[int] = []
        for word in text.lower().split():
            out.extend(word_ids(word))
        return out

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        indptr = [0]
        indices: list[int] = []
        for text in texts:
            indices.extend(self.ids(text))
            indptr.append(len(indices))
        counts = sparse.csr_matrix(
            (np.ones(len(indices)), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
            shape=(len(texts), self.size),
        )
        counts.sum_duplicates()
        if self.sublinear_tf:
            counts.data = 1.0 + np.log(counts.data)
        counts.data *= self.idf[counts.indices]
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0.0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ counts)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        ordered = sorted(self.vocabulary.items(), key=lambda kv: kv[1])
        longest = max((len(gram) for gram, _ in ordered), default=1)
        return {
            f"{prefix}.vocabulary": np.array([g for g, _ in ordered], dtype=f"<U{longest}"),
            f"{prefix}.idf": np.asarray(self.idf, dtype=np.float64),
        }

    def settings(self) -> dict[str, Any]:
        return {
            "analyzer": self.analyzer,
            "min_n": self.min_n,
            "max_n": self.max_n,
            "sublinear_tf": self.sublinear_tf,
        }

    @classmethod
    def from_arrays(
        cls, settings: dict[str, Any], arrays: dict[str, np.ndarray], prefix: str
    ) -> TextSpace:
        vocab = arrays[f"{prefix}.vocabulary"]
        idf = np.array(arrays[f"{prefix}.idf"], dtype=np.float64)
        if vocab.ndim != 1 or idf.shape != vocab.shape:
            raise ValueError(f"{prefix}: vocabulary and idf do not match")
        vocabulary = {str(g): i for i, g in enumerate(vocab.tolist())}
        if len(vocabulary) != len(vocab):
            raise ValueError(f"{prefix}: duplicate n-grams")
        analyzer = settings["analyzer"]
        if analyzer not in ("word", "char_wb"):
            raise ValueError(f"{prefix}: unknown analyzer {analyzer!r}")
        idf.setflags(write=False)
        return cls(
            analyzer=analyzer,
            min_n=int(settings["min_n"]),
            max_n=int(settings["max_n"]),
            sublinear_tf=bool(settings["sublinear_tf"]),
            vocabulary=vocabulary,
            idf=idf,
        )

    @classmethod
    def from_sklearn(cls, vectorizer: object) -> TextSpace:
        """From a fitted TfidfVectorizer (training only)."""
        v = vectorizer
        return cls(
            analyzer=v.analyzer,  # type: ignore[attr-defined]
            min_n=v.ngram_range[0],  # type: ignore[attr-defined]
            max_n=v.ngram_range[1],  # type: ignore[attr-defined]
            sublinear_tf=bool(v.sublinear_tf),  # type: ignore[attr-defined]
            vocabulary={str(k): int(i) for k, i in v.vocabulary_.items()},  # type: ignore[attr-defined]
            idf=np.asarray(v.idf_, dtype=np.float64),  # type: ignore[attr-defined]
        )
