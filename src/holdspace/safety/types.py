"""What a screening says. Plain dataclasses: the web platform and the CLI read these."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class Level(IntEnum):
    """Risk levels of PRODUCT.md, ordered: a higher value is more urgent."""

    NONE = 0
    DISTRESS = 1
    CONCERN = 2
    HIGH = 3
    IMMINENT = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, label: str) -> Level:
        return cls[label.upper()]


CATEGORIES = (
    "suicide",
    "self_harm",
    "harm_to_others",
    "abuse",
    "severe_mental_illness",
    "medical_emergency",
    "substance",
)

Span = tuple[int, int]


@dataclass(frozen=True)
class CategoryFinding:
    name: str
    level: Level
    evidence: tuple[Span, ...]


@dataclass(frozen=True)
class Resource:
    name: str
    phone: str | None = None
    text: str | None = None
    chat: str | None = None
    url: str | None = None
    hours: str | None = None
    kind: str = "crisis_line"  # "emergency", "crisis_line" or "directory"

    def as_dict(self) -> dict[str, str]:
        return {key: value for key, value in self.__dict__.items() if value is not None}


@dataclass(frozen=True)
class Screening:
    level: Level
    score: float
    categories: tuple[CategoryFinding, ...] = ()
    third_party: bool = False
    language: str = "en"
    degraded: bool = False
    resources: tuple[Resource, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        return {
            "level": self.level.label,
            "score": round(self.score, 4),
            "categories": [
                {"name": c.name, "level": c.level.label, "evidence": [list(s) for s in c.evidence]}
                for c in self.categories
            ],
            "third_party": self.third_party,
            "language": self.language,
            "degraded": self.degraded,
            "resources": [resource.as_dict() for resource in self.resources],
        }
