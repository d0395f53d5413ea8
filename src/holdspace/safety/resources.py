"""Crisis resources by country, from the reviewed data file `data/crisis_resources.json`."""

from __future__ import annotations

import json
from functools import cache, lru_cache
from importlib import resources

from holdspace.safety.types import Level, Resource

RESOURCE_FILE = "crisis_resources.json"


@cache
def _load() -> dict:  # type: ignore[type-arg]
    text = (resources.files("holdspace.safety") / "data" / RESOURCE_FILE).read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def country_of(locale: str | None) -> str | None:
    """'en-GB' -> 'GB', 'es_MX' -> 'MX', 'GB' -> 'GB'; a bare language ('es') names no country."""
    if not locale:
        return None
    parts = locale.replace("_", "-").split("-")
    for part in parts[1:] if len(parts) > 1 else parts:
        if len(part) == 2 and part.isalpha() and (len(parts) > 1 or part.isupper()):
            return part.upper()
    return None


def countries() -> list[tuple[str, str]]:
    """(code, name) of every country the reviewed data has lines for, by name."""
    try:
        entries = _load()["countries"]
    except (OSError, ValueError, KeyError):
        return []
    return sorted(((code, entry["name"]) for code, entry in entries.items()), key=lambda c: c[1])


def fallback() -> tuple[Resource, ...]:
    try:
        entries = _load()["fallback"]
    except (OSError, ValueError, KeyError):
        entries = []
    directories = tuple(
        Resource(name=e["name"], url=e.get("url"), kind="directory") for e in entries
    )
    # The international directory is the one thing every person must always get.
    return directories or (
        Resource(name="Find A Helpline", url="https://findahelpline.com/", kind="directory"),
    )


@lru_cache(maxsize=1024)  # bounded: locales come from input
def resources_for(locale: str | None, level: Level = Level.HIGH) -> tuple[Resource, ...]:
    """The emergency number first at `imminent`, crisis lines first below; the fallback last."""
    try:
        country = _load()["countries"].get(country_of(locale) or "")
    except (OSError, ValueError, KeyError):
        country = None
    if not country:
        return fallback()
    emergency = []
    if number := (country.get("emergency") or {}).get("number"):
        emergency = [Resource(name="Emergency services", phone=number, kind="emergency")]
    lines = [
        Resource(
            name=line["name"],
            phone=line.get("phone"),
            text=line.get("text"),
            chat=line.get("chat"),
            url=line.get("url"),
            hours=line.get("hours"),
        )
        for line in country.get("lines", [])
    ]
    ordered = emergency + lines if level >= Level.IMMINENT else lines + emergency
    return (*ordered, *fallback())
