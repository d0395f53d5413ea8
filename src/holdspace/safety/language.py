"""Which language a message is in, as far as the rules go: English, Spanish, or neither."""

import re

WORD = re.compile(r"[a-z']+")
ENGLISH = frozenset(
    [
        "i",
        "you",
        "he",
        "she",
        "it",
        "we",
        "they",
        "me",
        "my",
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "am",
        "im",
        "i'm",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "not",
        "no",
        "don't",
        "dont",
        "can't",
        "cant",
        "this",
        "that",
        "what",
        "why",
        "how",
        "just",
        "so",
        "want",
        "feel",
        "like",
        "have",
        "had",
        "do",
        "did",
        "will",
        "would",
        "get",
        "it's",
        "its",
        "really",
    ]
)
SPANISH = frozenset(
    [
        "yo",
        "tu",
        "el",
        "ella",
        "nosotros",
        "ellos",
        "me",
        "mi",
        "mis",
        "te",
        "se",
        "lo",
        "la",
        "los",
        "las",
        "un",
        "una",
        "y",
        "o",
        "pero",
        "es",
        "son",
        "era",
        "fue",
        "estoy",
        "esta",
        "estan",
        "soy",
        "de",
        "del",
        "en",
        "con",
        "por",
        "para",
        "que",
        "porque",
        "como",
        "no",
        "si",
        "ya",
        "muy",
        "quiero",
        "siento",
        "tengo",
        "hay",
        "nada",
        "todo",
        "mas",
    ]
)
SUPPORTED = ("en", "es")
UNDETERMINED = "und"


def detect_language(normalized_text: str, locale: str | None = None) -> str:
    words = WORD.findall(normalized_text[:2000])
    english = sum(word in ENGLISH for word in words)
    spanish = sum(word in SPANISH for word in words)
    hinted = (locale or "").split("-")[0].split("_")[0].lower()
    if hinted in SUPPORTED and (english + spanish == 0 or hinted == _larger(english, spanish)):
        return hinted
    if english + spanish == 0:
        # Too little to tell; a locale we do not support still tells us something.
        return hinted if hinted else UNDETERMINED
    if len(words) >= 4 and (english + spanish) / len(words) < 0.1:
        return hinted or UNDETERMINED
    return _larger(english, spanish)


def _larger(english: int, spanish: int) -> str:
    return "es" if spanish > english else "en"
