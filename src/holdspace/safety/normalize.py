"""Text as the rules read it, with a map back to the characters the person typed.

Lower case, accents and compatibility forms folded, zero-width and control characters dropped,
leetspeak inside words undone ("k1ll" -> "kill"), runs of three or more of a letter squeezed to
one ("dieeee" -> "die"), and spelled-out words joined ("k i l l" -> "kill"). Rules therefore
write doubled letters as `l+` ("kil+" matches "kill", "kil" and "killll").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"}
QUOTES = {"\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"', "\u201e": '"'}
SPELLED_OUT = re.compile(r"(?<![^\W_])(?:[a-z][ .*_-]){2,}[a-z](?![^\W_])")


@dataclass(frozen=True)
class Normalized:
    text: str
    starts: tuple[int, ...]  # text[i] comes from original[starts[i]:ends[i]]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering normalized text[start:end]."""
        if start >= end:
            position = self.starts[start] if start < len(self.starts) else self._end()
            return position, position
        return self.starts[start], self.ends[end - 1]

    def _end(self) -> int:
        return self.ends[-1] if self.ends else 0


PLAIN_ASCII = re.compile(r"[\x20-\x7e\n\t]*")
ASCII_FOLD = str.maketrans({"`": "'", "\n": " ", "\t": " "})
# Where `_undo_leet` can change something: a leet character touching a letter ("!" only before
# one), or a digit after "!" ("a!1"). "thanks!" and "40 pills" skip the slow path.
LEET_CANDIDATE = re.compile(r"[a-z!][013457@$]|[013457@$][a-z]|![a-z]")
RUN_OF_THREE = re.compile(r"([a-z])\1\1")


def normalize(text: str) -> Normalized:
    if PLAIN_ASCII.fullmatch(text) and not RUN_OF_THREE.search(text.lower()):
        return _normalize_plain(text)
    return _normalize_any(text)


def _normalize_plain(text: str) -> Normalized:
    """The common case, printable ASCII: every step maps one character to one character."""
    folded = text.lower().translate(ASCII_FOLD)
    if LEET_CANDIDATE.search(folded):
        chars = list(folded)
        _undo_leet(chars)
        folded = "".join(chars)
    if RUN_OF_THREE.search(folded):  # leet may have made one: "k111" -> "kiii"
        return _normalize_any(text)
    identity = range(len(folded))
    return _join_spelled_out(folded, list(identity), list(range(1, len(folded) + 1)))


def _normalize_any(text: str) -> Normalized:
    chars: list[str] = []
    starts: list[int] = []
    for index, char in enumerate(text):
        for folded in _fold(char):
            chars.append(folded)
            starts.append(index)
    _undo_leet(chars)
    ends = [start + 1 for start in starts]
    chars, starts, ends = _squeeze_repeats(chars, starts, ends)
    return _join_spelled_out("".join(chars), starts, ends)


def _fold(char: str) -> str:
    if char in APOSTROPHES:
        return "'"
    if char in QUOTES:
        return '"'
    category = unicodedata.category(char)
    if category in {"Cc", "Cf", "Cs", "Co", "Cn"}:
        # Control, format (zero-width), surrogate and unassigned characters; keep line breaks.
        return " " if char in "\n\r\t\v\f" else ""
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _undo_leet(chars: list[str]) -> None:
    """Leet inside a word is letters in disguise ("k1ll", "d13"); "40 pills" and "100mg" stay.

    A word that starts with a letter and holds only letters and leet characters is read as
    letters; elsewhere a leet character touching a letter is, unless a digit touches it too.
    """
    i = 0
    while i < len(chars):
        j = i
        while j < len(chars) and (chars[j].isalpha() or chars[j] in LEET):
            j += 1
        word = chars[i:j]
        if j > i and word[0].isalpha() and any(c in LEET for c in word):
            for k in range(i, j):
                after = chars[k + 1] if k + 1 < j else ""
                if chars[k] in LEET and (chars[k] != "!" or after.isalpha()):
                    chars[k] = LEET[chars[k]]
        i = max(j, i + 1)
    for i, char in enumerate(chars):
        if char not in LEET:
            continue
        before = chars[i - 1] if i > 0 else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        if char.isdigit() and (before.isdigit() or after.isdigit()):
            continue
        if char == "!" and not (before.isalpha() and after.isalpha()):
            continue  # "help!" is an exclamation
        if before.isalpha() or after.isalpha():
            chars[i] = LEET[char]


def _squeeze_repeats(
    chars: list[str], starts: list[int], ends: list[int]
) -> tuple[list[str], list[int], list[int]]:
    out: tuple[list[str], list[int], list[int]] = ([], [], [])
    i = 0
    while i < len(chars):
        j = i
        while j < len(chars) and chars[j] == chars[i]:
            j += 1
        if j - i >= 3 and chars[i].isalpha():
            # One letter stands for the whole run, and its span covers the run.
            out[0].append(chars[i])
            out[1].append(starts[i])
            out[2].append(ends[j - 1])
        else:
            out[0].extend(chars[i:j])
            out[1].extend(starts[i:j])
            out[2].extend(ends[i:j])
        i = j
    return out


def _join_spelled_out(text: str, starts: list[int], ends: list[int]) -> Normalized:
    if not SPELLED_OUT.search(text):
        return Normalized(text, tuple(starts), tuple(ends))
    keep = [True] * len(text)
    for match in SPELLED_OUT.finditer(text):
        for k in range(match.start(), match.end()):
            keep[k] = text[k].isalpha()
    return Normalized(
        "".join(c for c, kept in zip(text, keep, strict=True) if kept),
        tuple(s for s, kept in zip(starts, keep, strict=True) if kept),
        tuple(e for e, kept in zip(ends, keep, strict=True) if kept),
    )
