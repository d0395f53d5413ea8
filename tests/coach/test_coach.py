"""`coach()`: the rules that must be exact, the referral check, and robustness on any input."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from holdspace.coach import FLAG_CODES, coach
from holdspace.coach.contact import contact_details
from holdspace.coach.rules import load_rules

HIGH_RISK = "I want to kill myself tonight, I have the pills ready."


def codes(draft: str, seeker: str | None = None, invited: bool = False, locale=None) -> set[str]:
    return {flag.code for flag in coach(draft, seeker, invited, locale).flags}


@pytest.mark.parametrize(
    ("draft", "kind"),
    [
        ("Call me on +44 7700 900123 anytime.", "phone"),
        ("my cell is 555-867-5309", "phone"),
        ("text me: 07700900123", "phone"),
        ("mi número es 612 345 678", "phone"),
        ("email me at sam.k@gmail.com", "email"),
        ("sam dot k at gmail dot com", "email"),
        ("add me, I'm @sunny_days", "handle"),
        ("my insta is instagram.com/sunny", "link"),
        ("here https://t.me/sunnydays", "link"),
    ],
)
def test_contact_details_are_found_by_kind(draft: str, kind: str) -> None:
    assert kind in {k for _, k in contact_details(draft)}
    assert "contact_exchange" in codes(draft)


@pytest.mark.parametrize(
    "draft",
    [
        "Please call Samaritans on 116 123, they're there 24/7.",
        "You can call or text 988, or chat at 988lifeline.org.",
        "Could you text SHOUT to 85258? I'll stay here with you.",
        "Please call 999 now if you're in danger.",
        "The NHS page https://www.nhs.uk/mental-health/ explains what help there is.",
        "In 2019-2020 I was in a bad place too.",
        "Take it one day at a time; 3.5 hours of sleep is so little.",
    ],
)
def test_crisis_lines_help_services_and_other_numbers_are_not_contact_exchange(draft: str) -> None:
    assert contact_details(draft) == []


def test_the_span_of_a_flag_is_the_evidence_in_the_draft_as_written() -> None:
    draft = "Honestly?? I WON'T tell anyone, I promise."
    [flag] = [f for f in coach(draft).flags if f.code == "secrecy_promise"]
    assert draft[flag.span[0] : flag.span[1]] == "I WON'T tell"
    assert flag.severity == "block"
    assert coach(draft).verdict == "hold"


def test_secrecy_with_its_honest_limit_is_good_practice() -> None:
    draft = "I won't share this with anyone unless I'm worried about your safety."
    assert "secrecy_promise" not in codes(draft)


def test_a_negation_before_the_phrase_cancels_it_but_only_in_its_own_clause() -> None:
    assert "medical_advice" not in codes("I would never tell you to stop your meds.")
    assert "unsolicited_advice" in codes("I don't know, but you should leave him.", "He hit me.")


def test_self_disclosure_is_flagged_only_when_not_invited() -> None:
    draft = "When my mum died I drank for a year."
    assert "uninvited_self_disclosure" in codes(draft, "My dad died.")
    assert "uninvited_self_disclosure" not in codes(draft, "My dad died.", invited=True)


def test_advice_the_member_asked_for_is_not_unsolicited() -> None:
    draft = "You should talk to your manager about the hours."
    assert "unsolicited_advice" in codes("You should leave him.", "He yelled at me again.")
    assert "unsolicited_advice" not in codes(draft, "What should I do about my boss?")


def test_missing_referral_at_high_names_the_crisis_line_of_the_locale() -> None:
    result = coach("Hang in there, things will get better.", HIGH_RISK, locale="en-GB")
    [flag] = [f for f in result.flags if f.code == "missing_referral"]
    assert flag.severity == "warn"
    assert "Samaritans" in flag.suggestion and "116 123" in flag.suggestion
    assert result.seeker_level in ("high", "imminent")
    assert result.verdict == "revise"


def test_a_draft_that_points_to_help_needs_no_referral() -> None:
    draft = "I'm so glad you told me. Please call 988 or go to the emergency room now."
    assert "missing_referral" not in codes(draft, HIGH_RISK, locale="en-US")
    assert "missing_referral" not in codes("Hang in there.", "I had a rough day at work.")


def test_a_locale_without_sourced_lines_gets_the_international_directory() -> None:
    result = coach("Hang in there.", HIGH_RISK, locale="xx-ZZ")
    [flag] = [f for f in result.flags if f.code == "missing_referral"]
    assert "findahelpline.com" in flag.suggestion


def test_physical_intervention_is_held_but_sending_emergency_services_is_good() -> None:
    assert "physical_intervention" in codes("I'm coming over right now, stay there.")
    assert "physical_intervention" not in codes("Please call 911 so an ambulance can get to you.")


def test_every_flag_has_a_severity_message_and_suggestion() -> None:
    texts = load_rules().texts
    assert set(texts) == set(FLAG_CODES)
    for text in texts.values():
        assert text.severity in ("block", "warn", "tip")
        assert text.message.endswith(".") and len(text.message) < 140
        assert 0 < len(text.suggestion) < 200


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=300),
    st.one_of(st.none(), st.text(max_size=200)),
    st.booleans(),
    st.one_of(st.none(), st.text(max_size=12)),
)
def test_any_input_is_coached_without_a_crash_and_spans_stay_inside(
    draft: str, seeker: str | None, invited: bool, locale: str | None
) -> None:
    result = coach(draft, seeker, invited, locale)
    for flag in result.flags:
        assert 0 <= flag.span[0] <= flag.span[1] <= len(draft)
    assert result.verdict in ("send", "revise", "hold")
    assert abs(sum(result.strategies.values()) - 1.0) < 1e-6
    assert 0.0 <= result.advice <= 1.0


def test_a_huge_paste_is_coached_on_its_start() -> None:
    draft = "add me on snap " + "lorem ipsum " * 200_000
    result = coach(draft)
    assert "contact_exchange" in {f.code for f in result.flags}


@pytest.mark.parametrize("draft", ["I hear you.", "Wow. That's a lot.", "Sending hugs x"])
def test_short_everyday_replies_raise_nothing(draft: str) -> None:
    # Under 8 words only the rules speak: the flag heads learnt from longer drafts.
    assert coach(draft, "I had a rough day.").flags == ()


def test_member_messages_are_screened_once_and_the_memory_is_bounded() -> None:
    from holdspace.coach.coach import _ScreenedSeekers
    from holdspace.safety import Level

    screened = _ScreenedSeekers(size=2)
    seekers = [HIGH_RISK, "I had a nice walk.", "exams are killing me", HIGH_RISK, ""]
    levels = screened.levels_of(seekers, [None] * len(seekers))
    assert levels[0] == levels[3] and levels[0] >= Level.HIGH
    assert levels[1] == Level.NONE and levels[4] is None
    assert len(screened.levels) == 2
    again = screened.levels_of([HIGH_RISK, "exams are killing me"], ["en-GB", None])
    assert again[0] >= Level.HIGH and again[1] == levels[2]


def test_the_literal_gate_skips_no_rule_hit_on_any_labelled_draft(monkeypatch) -> None:
    import json
    from pathlib import Path

    rules = load_rules()
    folder = Path(__file__).parent
    drafts = [
        json.loads(line)["draft"]
        for name in ("cases.jsonl", "cases2.jsonl")
        for line in (folder / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    gated = [rules.hits(draft) for draft in drafts]
    every = list(range(len(rules.patterns)))
    monkeypatch.setattr(type(rules.index), "candidates", lambda self, text: every)
    assert [rules.hits(draft) for draft in drafts] == gated
    assert sum(map(len, gated)) > 500


def test_contact_flags_hold_back_contact_details_and_nothing_else() -> None:
    from holdspace.coach import contact_flags

    assert [f.code for f in contact_flags("text me on 07700 900123 tonight", "GB")] == [
        "contact_exchange"
    ]
    assert contact_flags("add me on snap: robin_22")[0].severity == "block"
    # A crisis line's number and plain feelings are not contact details.
    assert contact_flags("ring Samaritans on 116 123", "GB") == ()
    assert contact_flags("I feel so alone tonight and I can't sleep") == ()
