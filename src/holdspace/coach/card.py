"""The model card written next to the coach's artefact by `holdspace train coach`."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from holdspace.coach.models import NPZ_NAME, CoachModels

CARD_NAME = "COACH_MODEL_CARD.md"
GOALS = {
    "EPITOME emotional_reactions": 0.76,
    "EPITOME interpretations": 0.65,
    "EPITOME explorations": 0.75,
    "ESConv strategy (8)": 0.55,
    "ESConv self-disclosure": 0.70,
    "AnnoMI advice": 0.90,
}
BASELINES = {
    "EPITOME emotional_reactions": 0.73,
    "EPITOME interpretations": 0.54,
    "EPITOME explorations": 0.63,
    "ESConv strategy (8)": 0.44,
    "ESConv self-disclosure": 0.58,
    "AnnoMI advice": 0.87,
}


def write_model_card(
    out_dir: Path,
    rows: list[dict[str, Any]],
    thresholds: dict[str, float],
    models: CoachModels,
    seconds: float,
) -> None:
    size_mb = (out_dir / NPZ_NAME).stat().st_size / 1e6
    spaces = ", ".join(
        f"{name}: {space.analyzer} {space.min_n}-{space.max_n}-grams, {space.size:,} features"
        for name, (space, _) in models.spaces.items()
    )
    table = "\n".join(
        f"| {r['model']} | {r['metric']} | {r['value']:.3f} | {BASELINES.get(r['model'], '-')} "
        f"| {GOALS.get(r['model'], '-')} | {r['n']:,} |"
        for r in rows
    )
    text = f"""# Model card: Holdspace response coach models

Trained {datetime.date.today().isoformat()} with `holdspace train coach --data ../shared/data`.
Artefact: `coach_models.npz` ({size_mb:.1f} MB, arrays only, read with `allow_pickle=False`) and
`coach_models.json` (settings, heads, thresholds, checksum). Run time is numpy/scipy only.

## What it does
Grades a peer supporter's draft reply before it is sent: the three EPITOME empathy mechanisms
(emotional reactions, interpretations, explorations; levels 0/1/2), the eight ESConv support
strategies (probabilities), the probability that the draft gives advice, and the probability
that it is self-disclosure. The last two raise the coach's *graded* flags
(`unsolicited_advice` as a tip, `uninvited_self_disclosure` as a warning) only where no rule
fired and the model is sure (thresholds below). Every flag that must be exact (contact details,
method information, secrecy, physical intervention, ...) comes from reviewed rules, not from
these models.

## Model
Shared text spaces fitted on every reply of the three data sets ({spaces}); a few hand-made
features of the reply and the message it answers (`holdspace/coach/dense.py`: questions,
persons, tense, modal verbs, sympathy and understanding phrases, overlap with the member's
words).
One logistic regression a head (balanced class weights): three EPITOME heads, one multinomial
strategy head, binary heads for self-disclosure (ESConv) and advice (AnnoMI therapist `advice`
utterances), and one binary *flag head* per coach flag (but `missing_referral`), trained on the
project's own hand-labelled drafts (`tests/coach/cases.jsonl`, `cases2.jsonl`, `cases3.jsonl`:
1,273 drafts written for Holdspace by three writers). A flag head adds a flag only where no rule
fired, as a warning (never a hold), on drafts of 8 to 80 words, at a threshold set for 80%
precision by 5-fold cross-validation on those drafts and then raised, where needed, so that the
head flags at most 0.5% of the data sets' real supporter replies (the CV recall below is at the
first threshold, before that floor).

## Data and licences
- EPITOME (Sharma et al., EMNLP 2020), 2,434 Reddit post/reply pairs: research use.
- ESConv (Liu et al., ACL 2021), 2,985 supporter turns of the dev split: CC BY-NC 4.0.
- AnnoMI (Wu et al., ICASSP 2022), 5,731 therapist utterances: no licence stated, research use.
The licences are research / non-commercial: an operator using Holdspace commercially must
retrain on data they may use. The data sets' other splits were not used.

## Dev figures (5-fold cross-validation, folds grouped by conversation)
Held out together: fold k of EPITOME (grouped by seeker post), ESConv (by seeker turn) and
AnnoMI (by transcript); vectorizers and models fit on the rest. {seconds:.0f} s.

| model | metric | dev | baseline | goal | n |
|---|---|---|---|---|---|
{table}

Thresholds (set on the out-of-fold predictions for precision
{models.settings.get("recipe", {}).get("flag_precision", "-")}): advice
{thresholds.get("advice", float("nan")):.3f}, self-disclosure
{thresholds.get("self_disclosure", float("nan")):.3f}.

## Intended use
Feedback to trained volunteer supporters while they write, in English. Not a judgement of a
person, not a filter on members' messages, not for any decision about a supporter's standing.

## Known limits
- English only: Spanish drafts get the rules, and the model figures say nothing about them.
- Reddit, crowd-worker and counselling-transcript language; short chat replies and slang differ.
- Level 1 ("weak") is rare for interpretations and explorations (86 of 2,434 each), and the
  heads rarely predict it.
- The advice head mixes two notions of advice (counselling advice, peer suggestions); its
  AnnoMI AUC is the figure to watch.
- Labels are one annotator's reading; EPITOME's inter-rater agreement is moderate.
- The flag heads learn from 1,273 drafts written by three helpers: they know those writers'
  phrasings best. Their CV figures are on the same kind of text; on a blind set written by a
  third helper, rules plus flag heads caught far more than rules alone but still not all
  (figures in docs/coach.md).
"""
    (out_dir / CARD_NAME).write_text(text, encoding="utf-8")
