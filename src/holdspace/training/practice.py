"""Practice-room scenarios, shipped as `practice.toml`: a member's message to answer."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Scenario:
    slug: str
    module: str
    title: str
    message: str
    disclosure_invited: bool
    focus: str
    example_reply: str


@cache
def scenarios() -> tuple[Scenario, ...]:
    text = (resources.files("holdspace.training") / "practice.toml").read_text("utf-8")
    return tuple(Scenario(**entry) for entry in tomllib.loads(text)["scenarios"])


def scenario(slug: str) -> Scenario | None:
    return next((s for s in scenarios() if s.slug == slug), None)
