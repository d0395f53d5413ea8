"""screen(): the contract of its result, levels as PRODUCT.md orders them, and bad input."""

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from holdspace.safety import CATEGORIES, Level, screen, screen_many
from holdspace.safety.resources import country_of, resources_for

RESOURCE_FILE = Path(__file__).parents[2] / "src/holdspace/safety/data/crisis_resources.json"


def test_empty_and_whitespace_text_is_level_none() -> None:
    for text in ["", "   ", "\n\t"]:
        result = screen(text)
        assert result.level is Level.NONE
        assert result.categories == ()


def test_score_rises_with_level() -> None:
    texts = [
        "what time is the group tonight?",
        "I feel so alone lately",
        "I wish I could sleep and never wake up",
        "I want to kill myself",
        "I have the pills in front of me and I'm taking them tonight",
    ]
    results = [screen(text) for text in texts]
    assert [r.level for r in results] == list(Level)
    scores = [r.score for r in results]
    assert scores == sorted(scores) and len(set(scores)) == len(scores)
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_evidence_points_at_the_words_in_the_original_text() -> None:
    text = "ok so... I WANT TO DIEEEE tonight, honestly"
    result = screen(text)
    spans = [span for category in result.categories for span in category.evidence]
    assert any("WANT TO DIEEEE" in text[s:e] for s, e in spans), spans


def test_imminent_puts_the_emergency_number_first_and_high_puts_crisis_lines_first() -> None:
    imminent = screen("I just took 30 pills", "en-GB")
    high = screen("I want to kill myself", "en-GB")
    assert imminent.resources[0].kind == "emergency"
    assert high.resources[0].kind == "crisis_line"
    assert imminent.resources[-1].kind == high.resources[-1].kind == "directory"


def test_no_resources_below_concern() -> None:
    assert screen("lovely weather today", "en-GB").resources == ()


def test_an_unknown_country_gets_the_international_directory_only() -> None:
    result = screen("I want to kill myself", "en-ZZ")
    assert result.resources and all(r.kind == "directory" for r in result.resources)


def test_spanish_is_detected_and_screened() -> None:
    result = screen("ya no quiero vivir, me quiero matar")
    assert result.language == "es"
    assert result.level >= Level.HIGH


def test_a_language_the_rules_do_not_read_is_said_to_be_undetermined() -> None:
    result = screen("Ich habe heute einen langen Spaziergang gemacht und Kuchen gegessen")
    assert result.language == "und"


def test_a_batch_answers_each_message_as_screening_it_alone_would() -> None:
    texts = ["I want to die", "hello there", "my friend wants to kill herself", ""]
    batch = screen_many(texts, [None] * len(texts))
    assert [r.level for r in batch] == [screen(t).level for t in texts]
    assert [r.third_party for r in batch] == [False, False, True, False]


def test_a_huge_paste_is_screened_at_its_start_and_its_end() -> None:
    filler = "and then we talked about the weather for a while. " * 110_000  # about 5.6 MB
    start = screen("I want to kill myself. " + filler)
    end = screen(filler + "goodbye everyone, I wrote my note")
    assert len(filler) > 5_000_000
    assert start.level >= Level.HIGH
    assert end.level is Level.IMMINENT
    # Offsets from the tail window point into the whole text, at the closing words.
    closing = filler + "goodbye everyone, I wrote my note"
    spans = end.categories[0].evidence
    assert all(start >= len(filler) for start, _ in spans)
    assert "wrote my note" in [closing[s:e] for s, e in spans]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400), st.one_of(st.none(), st.text(max_size=12)))
def test_any_text_and_locale_gives_a_valid_result(text: str, locale: str | None) -> None:
    result = screen(text, locale)
    assert isinstance(result.level, Level)
    assert 0.0 <= result.score <= 1.0
    for category in result.categories:
        assert category.name in CATEGORIES
        for start, end in category.evidence:
            assert 0 <= start <= end <= len(text)
    json.dumps(result.as_dict())


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "I want to die",
                "k1ll mys3lf",
                "\x00",
                "\u200b",
                "\ud800",
                "🙂",
                "NOT",
                "never",
                " ",
                "\n",
                "é",
                "ß",
                "ǅ",
                "\u0301",
                "1",
                "!",
            ]
        ),
        max_size=40,
    )
)
def test_control_characters_surrogates_and_odd_letters_never_crash(pieces: list[str]) -> None:
    text = "".join(pieces)
    result = screen(text)
    for category in result.categories:
        for start, end in category.evidence:
            assert 0 <= start <= end <= len(text)


def test_resources_file_has_a_source_and_a_date_for_every_number() -> None:
    data = json.loads(RESOURCE_FILE.read_text(encoding="utf-8"))
    assert len(data["countries"]) >= 30
    assert data["fallback"]
    for code, country in data["countries"].items():
        assert len(code) == 2 and code.isupper()
        entries = [country["emergency"], *country["lines"]]
        for entry in entries:
            assert entry["source"].startswith("http"), (code, entry)
            assert len(entry["checked"]) == 10, (code, entry)


@pytest.mark.parametrize(
    ("locale", "country"),
    [
        ("en-GB", "GB"),
        ("es_MX", "MX"),
        ("es", None),
        ("GB", "GB"),
        (None, None),
        ("", None),
        ("en-gb", "GB"),
        ("zz", None),
    ],
)
def test_locales_name_a_country_or_none(locale: str | None, country: str | None) -> None:
    assert country_of(locale) == country


def test_resources_for_a_known_country_list_its_lines_before_the_directory() -> None:
    resources = resources_for("en-US")
    assert resources[0].kind == "crisis_line"
    assert any(r.kind == "emergency" for r in resources)
    assert resources[-1].kind == "directory"


def test_the_shipped_model_loads_so_screening_is_not_degraded() -> None:
    assert screen("just checking in with everyone").degraded is False


def test_on_a_chat_line_the_model_alone_never_raises_an_alarm() -> None:
    # Risky words the rules explain away or do not take as risk: the model may rank, not alarm.
    for text in [
        "going to hang out with my cousins tonight",
        "my boss is going to kill me lol",
        "how do you talk to a kid about a relative's suicide?",
    ]:
        assert screen(text).level <= Level.CONCERN, text


class _BrokenModel:
    thresholds = {"concern": 0.2, "high": 0.3, "short_concern": 0.5}

    def predict(self, texts: list[str]) -> list[float]:
        raise KeyError(texts[0])


def test_a_model_that_fails_mid_batch_degrades_and_keeps_the_text_out_of_the_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "my name is Ana Example and I want to die"
    (result,) = screen_many([secret], [None], model=_BrokenModel())
    assert result.degraded is True
    assert result.level >= Level.HIGH
    assert "Ana Example" not in caplog.text
    assert "KeyError" in caplog.text
