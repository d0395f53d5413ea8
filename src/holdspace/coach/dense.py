"""A few hand-made features of a reply and the message it answers, for the coach's models.

Cues the n-grams see only weakly: how the reply is built (questions, who it talks about, tense,
modal verbs) and how much of the member's own words it takes up (restatement, interpretation).
The names are stored with the trained models; changing them means training again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

WORD = re.compile(r"[a-z']+")
_STOP = """
a an the and or but so to of in on at for with about from by as is am are was were be been
being it its it's this that these those i me my mine you your yours he she they them his her
their we us our do does did have has had not no just really very can could would should will
what how when why who which there here if then than too also like get got
"""
STOP = frozenset(_STOP.split())
CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("question", re.compile(r"\?")),
    (
        "opens_with_question_word",
        re.compile(
            r"(?:^|[.!?]\s+)(?:how|what|why|when|where|who|which|do|does|did|is|are|was|have|has|"
            r"can|could|would|will)\b"
        ),
    ),
    ("first_person", re.compile(r"\b(?:i|me|my|mine|myself|i'm|im|i've|ive|i'd|i'll)\b")),
    (
        "first_person_past",
        re.compile(
            r"\b(?:i was|i had|i went|i felt|i lost|i used to|when i|i've been|i have been|i did|"
            r"i got|i tried|happened to me|my (?:mum|mom|dad|ex|wife|husband|own))\b"
        ),
    ),
    ("second_person", re.compile(r"\b(?:you|your|you're|youre|yourself|u|ur)\b")),
    (
        "modal_advice",
        re.compile(
            r"\b(?:should|could try|try to|try|maybe you|might want|have you tried|"
            r"have you thought|why don't you|how about|consider|recommend|suggest|"
            r"it might help|it may help|"
            r"make sure|don't forget|you need to|you have to|you can)\b"
        ),
    ),
    (
        "feeling_words",
        re.compile(
            r"\b(?:feel|feels|feeling|felt|hurt|hurts|pain|sad|angry|scared|afraid|lonely|alone|"
            r"anxious|overwhelmed|frustrat\w*|upset|hard|tough|difficult|exhaust\w*)\b"
        ),
    ),
    (
        "sympathy",
        re.compile(
            r"\b(?:sorry|hugs?|sending|i hear you|that sucks|sounds (?:so |really )?(?:hard|tough|"
            r"awful|painful|difficult)|my heart|i'm here)\b"
        ),
    ),
    (
        "understanding",
        re.compile(
            r"\b(?:i understand|i can see|it sounds like|sounds like|it seems|seems like|must be|"
            r"i can imagine|makes sense|i get (?:it|that)|i know (?:how|what))\b"
        ),
    ),
    (
        "reassurance",
        re.compile(
            r"\b(?:you(?:'re| are) not alone|it(?:'ll| will) (?:be|get)|you can do|proud|strong|"
            r"brave|you(?:'ve| have) got this|it's okay|it's ok|valid|deserve|hope)\b"
        ),
    ),
    (
        "information",
        re.compile(
            r"\b(?:research|studies|study|according|statistics|percent|%|common|normal|symptom|"
            r"website|resource|called|known as|means that)\b"
        ),
    ),
    ("exclamation", re.compile(r"!")),
)
DENSE_NAMES: tuple[str, ...] = (
    *(name for name, _ in CUES),
    "log_words",
    "seeker_overlap",
    "seeker_asks",
    "seeker_log_words",
)


def dense_features(responses: Sequence[str], seekers: Sequence[str]) -> np.ndarray:
    """One row a pair: cue rates (per 10 words, capped), lengths and word overlap."""
    out = np.zeros((len(responses), len(DENSE_NAMES)), dtype=np.float64)
    n_cues = len(CUES)
    for i, (response, seeker) in enumerate(zip(responses, seekers, strict=True)):
        text = response.lower()
        words = WORD.findall(text)
        n = max(1, len(words))
        row = out[i]
        for j, (_, pattern) in enumerate(CUES):
            row[j] = min(1.0, 10.0 * len(pattern.findall(text)) / n / 3.0)
        seeker_text = (seeker or "").lower()
        seeker_words = WORD.findall(seeker_text)
        content = {w for w in words if w not in STOP and len(w) > 2}
        seeker_content = {w for w in seeker_words if w not in STOP and len(w) > 2}
        row[n_cues] = np.log1p(len(words)) / 5.0
        row[n_cues + 1] = len(content & seeker_content) / max(1, len(content))
        row[n_cues + 2] = 1.0 if "?" in seeker_text else 0.0
        row[n_cues + 3] = np.log1p(len(seeker_words)) / 6.0
    return out
