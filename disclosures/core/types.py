"""Data shapes shared by the pure core: extraction produces an ``ExtractedDocument``, scoring a ``ScoreCard``.

Nothing here imports Django. Everything is a frozen dataclass so results can be cached and compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

AREAS: tuple[str, ...] = ("verification", "audits", "certification", "accountability", "training")
STATUSES: tuple[str, ...] = ("does", "does_hedged", "does_not", "silent", "unclear")


class ExtractionError(Exception):
    """A file that cannot be turned into text. ``code`` is stable for programs, ``reason`` is for people."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    kind: str  # "pdf" | "html" | "text"
    pages: tuple[str, ...]  # page texts; offsets in evidence point into these strings
    title: str = ""
    reporting_period: str = ""

    @property
    def page_count(self) -> int:
        return len(self.pages)


@dataclass(frozen=True, slots=True)
class Evidence:
    quote: str  # at most 300 characters
    page: int  # 1-based
    start: int  # offsets into pages[page - 1]
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"quote": self.quote, "page": self.page, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class AreaFinding:
    area: str
    status: str
    qualifiers: dict[str, str] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    confidence: float = 1.0
    signals: tuple[str, ...] = ()  # quality signals found, e.g. "worker_interviews"

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "qualifiers": dict(self.qualifiers),
            "evidence": [item.to_dict() for item in self.evidence],
            "confidence": round(self.confidence, 3),
            "signals": list(self.signals),
        }


@dataclass(frozen=True, slots=True)
class HomepageSignal:
    """What a homepage check found, when one was made (adds up to 3 compliance points)."""

    link_found: bool
    label_understandable: bool


@dataclass(frozen=True, slots=True)
class ScoreCard:
    rubric: str
    areas: dict[str, AreaFinding]  # keyed by area id, in AREAS order
    compliance_score: int
    practice_score: int
    tier: str
    grade: str
    flags: tuple[str, ...] = ()
    beyond_statute: tuple[str, ...] = ()
    crosswalk: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rubric": self.rubric,
            "areas": {area: finding.to_dict() for area, finding in self.areas.items()},
            "compliance_score": self.compliance_score,
            "practice_score": self.practice_score,
            "tier": self.tier,
            "grade": self.grade,
            "flags": list(self.flags),
            "beyond_statute": list(self.beyond_statute),
            "crosswalk": self.crosswalk,
        }
