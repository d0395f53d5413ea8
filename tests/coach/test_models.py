"""The coach's models: the shipped artefact's behaviour, its round trip, and failing safe."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from holdspace.coach import STRATEGIES, DraftRequest, coach_many
from holdspace.coach.models import DEFAULT_DIR, JSON_NAME, NPZ_NAME, CoachModels, ModelUnavailable
from holdspace.coach.training import Corpus, Pair, fit_models

QUESTION = "How have you been feeling about it since then?"
STORY = "When my mum died I drank for a year and lost my job too."
ADVICE = "You should try going for a run every morning and cut out caffeine."
PLAIN = "That sounds so hard, I'm really sorry you're going through this."


@pytest.fixture(scope="module")
def shipped() -> CoachModels:
    return CoachModels.load()


def test_the_shipped_models_load_and_give_probabilities(shipped: CoachModels) -> None:
    [output] = shipped.predict([QUESTION], ["I lost my job."])
    assert set(output.strategies) == set(STRATEGIES)
    assert abs(sum(output.strategies.values()) - 1.0) < 1e-9
    assert max(output.strategies, key=output.strategies.__getitem__) == "Questions"
    assert output.empathy["explorations"] >= 1
    assert all(level in (0, 1, 2) for level in output.empathy.values())


def test_the_graded_heads_rank_what_they_are_for(shipped: CoachModels) -> None:
    story, advice, plain = shipped.predict([STORY, ADVICE, PLAIN], ["My dad died."] * 3)
    assert story.self_disclosure > max(advice.self_disclosure, plain.self_disclosure)
    assert advice.advice > max(story.advice, plain.advice)


def test_sentence_scores_point_at_the_sentence_that_carries_the_advice() -> None:
    models = CoachModels.load()
    models.thresholds["advice"] = 0.0  # score the sentences of every draft
    [output] = models.predict([f"{PLAIN} {ADVICE}"], ["I can't sleep."])
    advice = output.sentences["advice"]
    assert len(advice) == 2 and advice[1] > advice[0]
    [quiet] = CoachModels.load().predict([PLAIN], ["I can't sleep."])
    assert "advice" not in quiet.sentences  # below the threshold nothing is scored twice


def test_empathy_evidence_points_at_words_of_the_draft(shipped: CoachModels) -> None:
    [output] = shipped.predict([QUESTION], ["I failed my exam."])
    for spans in output.evidence.values():
        for start, end in spans:
            assert 0 <= start < end <= len(QUESTION)


def _tiny_corpus() -> Corpus:
    replies = [
        ("How are you feeling now?", "Questions"),
        ("What happened next?", "Questions"),
        ("So you feel left out at work.", "Restatement or Paraphrasing"),
        ("You mean your boss ignored you.", "Restatement or Paraphrasing"),
        ("You sound really hurt and alone.", "Reflection of feelings"),
        ("That must feel so lonely.", "Reflection of feelings"),
        ("When I lost my job I felt the same.", "Self-disclosure"),
        ("I went through a divorce too.", "Self-disclosure"),
        ("You are stronger than you think.", "Affirmation and Reassurance"),
        ("It will get better, you are not alone.", "Affirmation and Reassurance"),
        ("You should try talking to your manager.", "Providing Suggestions"),
        ("Maybe try a walk every morning.", "Providing Suggestions"),
        ("Many people feel anxious before exams.", "Information"),
        ("Research says sleep helps mood.", "Information"),
        ("Hello there.", "Other"),
        ("Thanks for chatting.", "Other"),
    ]
    esconv = [
        Pair(
            text,
            "I feel bad at work",
            f"g{i}",
            {
                "strategy": s,
                "self_disclosure": int(s == "Self-disclosure"),
                "advice": int(s == "Providing Suggestions"),
            },
        )
        for i, (text, s) in enumerate(replies * 2)
    ]
    epitome = [
        Pair(
            text,
            "I feel bad",
            f"e{i}",
            {
                "emotional_reactions": i % 3,
                "interpretations": (i + 1) % 3,
                "explorations": (i + 2) % 3,
            },
        )
        for i, (text, _) in enumerate(replies * 2)
    ]
    annomi = [
        Pair(
            text,
            "ok",
            f"t{i % 4}",
            {
                "advice": int(s == "Providing Suggestions"),
                "annomi_advice": int(s == "Providing Suggestions"),
            },
        )
        for i, (text, s) in enumerate(replies * 2)
    ]
    return Corpus(epitome, esconv, annomi)


def test_a_saved_artefact_loads_back_to_the_same_scores(tmp_path: Path) -> None:
    models = fit_models(_tiny_corpus())
    models.save(tmp_path)
    again = CoachModels.load(tmp_path)
    texts, seekers = ["Maybe try a walk.", "How are you?", ""], ["I feel bad", "", "hi"]
    before, after = models.probabilities(texts, seekers), again.probabilities(texts, seekers)
    assert before.keys() == after.keys()
    for name in before:
        # Coefficients are stored as float32.
        np.testing.assert_allclose(before[name], after[name], atol=1e-5)


@pytest.mark.parametrize("damage", ["missing", "truncated", "checksum", "version", "shape"])
def test_a_damaged_artefact_is_refused(tmp_path: Path, damage: str) -> None:
    for name in (NPZ_NAME, JSON_NAME):
        shutil.copy(DEFAULT_DIR / name, tmp_path / name)
    meta = json.loads((tmp_path / JSON_NAME).read_text())
    if damage == "missing":
        (tmp_path / NPZ_NAME).unlink()
    elif damage == "truncated":
        data = (tmp_path / NPZ_NAME).read_bytes()
        (tmp_path / NPZ_NAME).write_bytes(data[: len(data) // 2])
    elif damage == "checksum":
        meta["npz_sha256"] = "0" * 64
    elif damage == "version":
        meta["version"] = 999
    elif damage == "shape":
        meta["heads"][0]["classes"] = ["0", "1"]
    (tmp_path / JSON_NAME).write_text(json.dumps(meta))
    with pytest.raises(ModelUnavailable):
        CoachModels.load(tmp_path)


class Exploding:
    def predict(self, drafts, seekers):
        raise RuntimeError("the draft text must never reach the log: add me on snap")


def test_a_failing_model_leaves_the_rules_and_logs_no_draft(caplog) -> None:
    [result] = coach_many([DraftRequest("add me on snap x", "hi")], models=Exploding())
    assert result.degraded is True
    assert result.verdict == "hold"
    assert "snap" not in caplog.text
    assert "RuntimeError" in caplog.text
