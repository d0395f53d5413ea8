"""The risk text classifier: artefact loading, scores, robustness, failure modes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from holdspace.safety.model import (
    JSON_NAME,
    NPZ_NAME,
    ModelUnavailable,
    RiskModel,
    analyze,
    prepare,
)

DATA = Path(__file__).resolve().parents[2] / "src" / "holdspace" / "safety" / "data"


@pytest.fixture(scope="module")
def model() -> RiskModel:
    return RiskModel.load()


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "artefact"
    target.mkdir()
    for name in (NPZ_NAME, JSON_NAME):
        shutil.copy(DATA / name, target / name)
    return target


def test_loads_with_thresholds(model: RiskModel) -> None:
    assert set(model.thresholds) >= {"concern", "high", "short_concern"}
    assert 0.0 < model.thresholds["concern"] <= model.thresholds["high"] < 1.0


def test_scores_in_unit_interval(model: RiskModel) -> None:
    texts = ["hi, how are you", "I want to kill myself tonight", "", "so tired", "ok " * 500]
    scores = model.predict(texts)
    assert scores.shape == (len(texts),)
    assert np.all((scores >= 0.0) & (scores <= 1.0))


def test_explicit_above_everyday(model: RiskModel) -> None:
    risky = model.predict(
        ["I want to kill myself tonight", "I'm going to end my life, I have the pills ready"]
    )
    everyday = model.predict(
        [
            "hi, how are you",
            "Work was stressful today but the walk helped.",
            "thanks, see you tomorrow",
        ]
    )
    assert risky.min() > everyday.max()
    assert risky.min() >= model.thresholds["high"]
    assert everyday.max() < model.thresholds["concern"]
    assert model.predict(["hi, how are you"])[0] < 0.1


def test_empty_and_huge_inputs(model: RiskModel) -> None:
    assert model.predict([]).shape == (0,)
    huge = "I feel alone and nobody listens. " * 32_000  # about 1 MB
    scores = model.predict(["", huge, " \n\t "])
    assert scores.shape == (3,)
    assert np.all(np.isfinite(scores))


def test_batch_equals_single(model: RiskModel) -> None:
    texts = ["I want to die", "lovely weather", "my meds are not working and I feel hopeless"]
    batch = model.predict(texts)
    single = np.array([model.predict([t])[0] for t in texts])
    np.testing.assert_allclose(batch, single, rtol=0, atol=1e-12)


def test_truncation_keeps_start_and_end() -> None:
    text = "START " + "x" * 100_000 + " END"
    prepared = prepare(text)
    assert prepared.startswith("start") and prepared.endswith("end")
    assert len(prepared) < 10_000


def test_analyzer_matches_sklearn_char_wb() -> None:
    sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")
    reference = sklearn_text.CountVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), lowercase=False
    ).build_analyzer()
    for text in ["a ab abc abcd abcde abcdef", "i can't go on. goodbye", ""]:
        assert analyze(text) == reference(text)


def test_missing_artefact(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable):
        RiskModel.load(tmp_path)
    target = _copy(tmp_path)
    (target / NPZ_NAME).unlink()
    with pytest.raises(ModelUnavailable):
        RiskModel.load(target)


def test_truncated_artefact(tmp_path: Path) -> None:
    target = _copy(tmp_path)
    raw = (target / NPZ_NAME).read_bytes()
    (target / NPZ_NAME).write_bytes(raw[: len(raw) // 2])
    with pytest.raises(ModelUnavailable):
        RiskModel.load(target)


def test_corrupted_artefact(tmp_path: Path) -> None:
    target = _copy(tmp_path)
    raw = bytearray((target / NPZ_NAME).read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    (target / NPZ_NAME).write_bytes(bytes(raw))
    with pytest.raises(ModelUnavailable):
        RiskModel.load(target)


def test_corrupted_json(tmp_path: Path) -> None:
    target = _copy(tmp_path)
    (target / JSON_NAME).write_text("{not json")
    with pytest.raises(ModelUnavailable):
        RiskModel.load(target)


def test_version_mismatch(tmp_path: Path) -> None:
    target = _copy(tmp_path)
    meta = json.loads((target / JSON_NAME).read_text())
    meta["version"] = 999
    (target / JSON_NAME).write_text(json.dumps(meta))
    with pytest.raises(ModelUnavailable):
        RiskModel.load(target)


def test_wrong_shapes(tmp_path: Path) -> None:
    """Arrays of the wrong shape, re-saved with a matching checksum, are still refused."""
    import hashlib

    target = _copy(tmp_path)
    with np.load(target / NPZ_NAME, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["coef"] = arrays["coef"][:, :-5]
    np.savez_compressed(target / NPZ_NAME, **arrays)
    meta = json.loads((target / JSON_NAME).read_text())
    meta["npz_sha256"] = hashlib.sha256((target / NPZ_NAME).read_bytes()).hexdigest()
    (target / JSON_NAME).write_text(json.dumps(meta))
    with pytest.raises(ModelUnavailable):
        RiskModel.load(target)


def test_numpy_matches_sklearn_pipeline(tmp_path: Path) -> None:
    """A small model fitted by the training code scores the same with the numpy runtime as
    with scikit-learn's TfidfVectorizer + LogisticRegression rebuilt from the saved arrays."""
    training = pytest.importorskip("holdspace.safety.training")
    positives = [
        "I want to kill myself, I have a plan",
        "I can't go on, goodbye everyone",
        "thinking about suicide every night",
        "nobody would miss me, I want to die",
        "depressed and tired, therapy is not helping",
        "my meds make me numb and sad",
        "I feel empty and depressed all the time",
        "therapist says it is depression",
    ]
    labels = np.array([1, 1, 1, 1, 0, 0, 0, 0])
    negatives = ["hi, how are you", "thanks for listening", "work was busy today", "I like my dog"]
    settings = {"min_df": 1, "max_features": 5000}
    fitted = training.fit_model(
        positives, labels, negatives, settings, {"concern": 0.3, "high": 0.6, "short_concern": 0.6}
    )
    fitted.save(tmp_path)
    loaded = RiskModel.load(tmp_path)
    probe = ["I want to die tonight", "hello there", "", "depressed again, therapy tomorrow"]
    reference = training.sklearn_decision(loaded, positives + negatives, probe)
    np.testing.assert_allclose(loaded.decision(probe), reference, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fitted.predict(probe), loaded.predict(probe), rtol=0, atol=1e-12)
