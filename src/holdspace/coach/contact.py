"""Contact details in a draft: phone numbers (the `phonenumbers` library), e-mail addresses,
links and social handles. Crisis lines and help services from the reviewed resources file are
referrals, not contact exchange, and are left alone.
"""

from __future__ import annotations

import json
import re
import tomllib
from functools import cache
from importlib import resources

import phonenumbers

from holdspace.safety.resources import country_of
from holdspace.safety.types import Span

# Numbers are read as if from these regions too, whatever the locale: a supporter's own number
# is written the way their country writes it.
DEFAULT_REGIONS = ("US", "GB", "ES")
MIN_PHONE_DIGITS = 7
HELP_NUMBER = re.compile(r"(?<![\d+])\+?\d[\d -]{1,14}\d(?!\d)")
DIGIT = re.compile(r"\d")
DIGIT_RUN = re.compile(r"(?<![\w+])\+?\d[\d ().-]{6,}\d(?!\w)")
YEAR_RANGE = re.compile(r"(?:19|20)\d\d\s*[-\u2013/]\s*(?:19|20)?\d\d")
MAIL_PROVIDER = (
    r"(?:gmail|googlemail|hotmail|yahoo|outlook|icloud|protonmail|proton|aol|live|msn|ymail)"
)
EMAIL = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    # Spelled out: "sam at gmail dot com", "sam [at] mail [dot] com", "sam at hotmail.com".
    r"|\b[\w.+-]+\s?(?:\(at\)|\[at\]|\sat\s)\s?(?:[\w-]+\s?(?:\(dot\)|\[dot\]|\sdot\s)\s?"
    r"|" + MAIL_PROVIDER + r"\s?\.\s?)(?:com|net|org|co|uk|io|me|es|mx|de|fr|ca|au)\b",
    re.IGNORECASE,
)
LINK = re.compile(
    r"\bhttps?://\S+|\bwww\.\S+"
    r"|\b(?:[\w-]+\.)+(?:com|net|org|io|me|co|uk|ly|gg|app|es|mx|link|page|tv|social)(?:/\S*)?\b"
    r"|\b(?:t\.me|wa\.me|discord\.gg|linktr\.ee)/\S+",
    re.IGNORECASE,
)
# Public health services, governments, organisations: a link there is not a private channel.
PUBLIC_SERVICE_HOST = re.compile(
    r"(?:^|\.)(?:gov|gob|gouv|nhs|gc|govt)(?:\.[a-z]{2})?$|\.gov\.[a-z]{2}$"
    # An organisation's or a university's site is a resource, not a private channel.
    r"|\.(?:org|edu)(?:\.[a-z]{2})?$|\.(?:ac|org)\.[a-z]{2}$"
)
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_.]{2,30}\b|\bu/[A-Za-z0-9_-]{3,20}\b|\b\w{2,}#\d{4}\b")


# A number given as a service's ("Beat's helpline is 0808 801 0677") is a referral, unless the
# same sentence offers the supporter's own line ("call me on...").
SERVICE_WORDS = re.compile(
    r"\b(?:(?:help|hot|life|crisis|text|support|advice|night|child|silver|youth)s? ?lines?|"
    r"crisis|samaritans|shout|papyrus|nspcc|frank|is on|are on|"
    r"service|charity|support line|nhs|poison control|victim support|refuge|beat|mind|nurses?|"
    r"advice line|text line|helpline|linea|servicio|telefono de)\b",
    re.IGNORECASE,
)
OWN_CONTACT = re.compile(
    r"\b(?:me|my|mine|i'?m|myself|personal|private|mi|me llamas|escribeme)\b", re.IGNORECASE
)
SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?\n]|$)")


def contact_details(draft: str, locale: str | None = None) -> list[tuple[Span, str]]:
    """Spans of contact details with their kind: "phone", "email", "link" or "handle"."""
    found: list[tuple[Span, str]] = []
    emails = [
        m.span() for m in EMAIL.finditer(draft) if not _is_help_service(m.group(0).split("@")[-1])
    ]
    found += [(span, "email") for span in emails]
    for match in LINK.finditer(draft):
        if not _inside(match.span(), emails) and not _is_help_service(match.group(0)):
            found.append((match.span(), "link"))
    found += [(m.span(), "handle") for m in HANDLE.finditer(draft) if not _inside(m.span(), emails)]
    found += [
        (span, "phone") for span in _phones(draft, locale) if not _a_service_number(draft, span)
    ]
    return sorted(found)


def mentions_help_service(draft: str) -> bool:
    """A number or link of a crisis line or help service from the reviewed resources."""
    numbers = {re.sub(r"\D", "", m.group(0)) for m in HELP_NUMBER.finditer(draft)}
    if numbers & _help_numbers():
        return True
    return any(_is_help_service(m.group(0)) for m in LINK.finditer(draft))


def _a_service_number(draft: str, span: Span) -> bool:
    for sentence in SENTENCE.finditer(draft):
        if sentence.start() <= span[0] < max(sentence.end(), sentence.start() + 1):
            text = sentence.group(0)
            return bool(SERVICE_WORDS.search(text)) and not OWN_CONTACT.search(text)
    return False


def _phones(draft: str, locale: str | None) -> list[Span]:
    if len(DIGIT.findall(draft)) < MIN_PHONE_DIGITS:
        return []
    regions = dict.fromkeys([country_of(locale) or "", *DEFAULT_REGIONS])
    spans: set[Span] = set()
    for region in regions:
        if not region:
            continue
        for match in phonenumbers.PhoneNumberMatcher(
            draft, region, leniency=phonenumbers.Leniency.POSSIBLE
        ):
            spans.add((match.start, match.end))
    spans.update(m.span() for m in DIGIT_RUN.finditer(draft))
    numbers: list[Span] = []
    for start, end in sorted(spans):
        raw = draft[start:end]
        digits = re.sub(r"\D", "", raw)
        if len(digits) < MIN_PHONE_DIGITS or YEAR_RANGE.fullmatch(raw.strip()):
            continue
        if digits in _help_numbers() or digits.lstrip("0") in _help_numbers():
            continue
        if any(s <= start and end <= e for s, e in numbers):
            continue
        numbers.append((start, end))
    return numbers


def _inside(span: Span, spans: list[Span]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


def _is_help_service(link: str) -> bool:
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", link.lower()).split("/")[0]
    if PUBLIC_SERVICE_HOST.search(host):
        return True
    return any(host == domain or host.endswith("." + domain) for domain in _help_domains())


@cache
def _help_entries() -> list[dict[str, str]]:
    text = (resources.files("holdspace.safety") / "data" / "crisis_resources.json").read_text(
        "utf-8"
    )
    data = json.loads(text)
    entries: list[dict[str, str]] = list(data.get("fallback", []))
    for country in data.get("countries", {}).values():
        entries += country.get("lines", [])
        if country.get("emergency"):
            # Its number only: an emergency number's source may be any page that lists it.
            entries.append({"number": country["emergency"].get("number", "")})
    return entries


@cache
def _help_numbers() -> frozenset[str]:
    numbers = set()
    for entry in _help_entries():
        for key in ("phone", "text", "number"):
            digits = re.sub(r"\D", "", str(entry.get(key) or ""))
            if digits:
                numbers.update({digits, digits.lstrip("0")})
    return frozenset(numbers)


@cache
def _help_domains() -> frozenset[str]:
    domains = set()
    for entry in _help_entries():
        for key in ("url", "chat"):
            value = str(entry.get(key) or "")
            if "." in value:
                host = re.sub(r"^(?:https?://)?(?:www\.)?", "", value.lower()).split("/")[0]
                domains.add(host)
    document = tomllib.loads(
        (resources.files("holdspace.coach") / "rules" / "flags.toml").read_text("utf-8")
    )
    domains.update(document.get("help_services", {}).get("domains", []))
    return frozenset(domains)
