"""Compare predicted area statuses with hand labels: accuracy, balanced accuracy, confusion tables.

Three label formats load into the same ``EvalRow``:

- a *wide* CSV (RUBRIC.md §7): ``text`` or ``path`` (relative to the CSV's folder) plus one column per area
  holding the expected status;
- the samples' *long* CSV (``slug, area, status, evidence, notes``, text in ``<slug>.txt`` beside it), whose
  labellers filed hedged statements under ``does``;
- LegalBench TSVs (``text, answer``): ``disclosed_<area>.tsv`` asks whether the area is addressed at all,
  ``best_practice_<area>.tsv`` whether the company does it, so each row knows only one side of the status.

Everything is pure: ``compare`` takes predictions, ``evaluate`` takes a scoring function.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from disclosures.core.types import AREAS, STATUSES

ADDRESSED = "addressed"  # LegalBench disclosed_*: Yes
NOT_ADDRESSED = "not_addressed"  # LegalBench disclosed_*: No
DOES_ANY = "does_any"  # LegalBench best_practice_*: Yes
NOT_DOES = "not_does"  # LegalBench best_practice_*: No
LABELS = (*STATUSES, ADDRESSED, NOT_ADDRESSED, DOES_ANY, NOT_DOES)
_ADDRESSED_STATUSES = frozenset({"does", "does_hedged", "does_not"})
_DOES_STATUSES = frozenset({"does", "does_hedged"})
_LEGALBENCH_RE = re.compile(r"^(?P<kind>disclosed|best_practice)_(?P<area>[a-z]+)$")
_CSV_FIELD_LIMIT = 2**31 - 1


class EvaluationError(ValueError):
    """A labels file that cannot be read; the message names the file (and row)."""


@dataclass(frozen=True, slots=True)
class EvalRow:
    id: str
    text: str
    expected: dict[str, str]  # area -> a status or one of ADDRESSED / NOT_ADDRESSED / DOES_ANY / NOT_DOES
    source: str = ""
    hedged_as_does: bool = False  # the labellers filed hedged statements under "does"


# ----------------------------------------------------------------------------------------------------------
# Truth tables
# ----------------------------------------------------------------------------------------------------------


def addressed_truth(label: str) -> bool | None:
    """Whether a label says the area is addressed (does/does_hedged/does_not); None when it cannot tell."""
    if label in STATUSES:
        return label in _ADDRESSED_STATUSES
    return {ADDRESSED: True, NOT_ADDRESSED: False, DOES_ANY: True}.get(label)


def does_truth(label: str) -> bool | None:
    """Whether a label says the company does it (does/does_hedged); None when it cannot tell."""
    if label in STATUSES:
        return label in _DOES_STATUSES
    return {DOES_ANY: True, NOT_DOES: False, NOT_ADDRESSED: False}.get(label)


def is_exact_match(expected: str, predicted: str, *, hedged_as_does: bool = False) -> bool | None:
    if expected not in STATUSES:
        return None
    if hedged_as_does and expected == "does":
        return predicted in _DOES_STATUSES
    return expected == predicted


# ----------------------------------------------------------------------------------------------------------
# Metrics
# ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BinaryCounts:
    tp: int = 0
    fn: int = 0
    tn: int = 0
    fp: int = 0

    @property
    def n(self) -> int:
        return self.tp + self.fn + self.tn + self.fp

    @property
    def tpr(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def tnr(self) -> float | None:
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else None

    @property
    def balanced_accuracy(self) -> float | None:
        """Mean of the true-positive and true-negative rates; the one available when a class is absent."""
        rates = [rate for rate in (self.tpr, self.tnr) if rate is not None]
        return sum(rates) / len(rates) if rates else None

    def add(self, truth: bool, predicted: bool) -> BinaryCounts:
        return BinaryCounts(
            tp=self.tp + (truth and predicted),
            fn=self.fn + (truth and not predicted),
            tn=self.tn + (not truth and not predicted),
            fp=self.fp + (not truth and predicted),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "tp": self.tp,
            "fn": self.fn,
            "tn": self.tn,
            "fp": self.fp,
            "balanced_accuracy": _rounded(self.balanced_accuracy),
        }


@dataclass(frozen=True, slots=True)
class AreaReport:
    area: str
    exact_n: int = 0
    exact_correct: int = 0
    addressed: BinaryCounts = field(default_factory=BinaryCounts)
    does: BinaryCounts = field(default_factory=BinaryCounts)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # expected label -> predicted -> count
    misses: tuple[str, ...] = ()  # row ids where addressed or does disagreed

    @property
    def accuracy(self) -> float | None:
        return self.exact_correct / self.exact_n if self.exact_n else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "accuracy": _rounded(self.accuracy),
            "exact_n": self.exact_n,
            "addressed": self.addressed.to_dict(),
            "does": self.does.to_dict(),
            "confusion": self.confusion,
            "misses": list(self.misses),
        }


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    rows: int
    areas: dict[str, AreaReport]

    def mean(self, metric: str) -> float | None:
        """Average over areas of ``addressed`` or ``does`` balanced accuracy (areas without data skipped)."""
        values = [getattr(report, metric).balanced_accuracy for report in self.areas.values()]
        present = [value for value in values if value is not None]
        return sum(present) / len(present) if present else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "mean_addressed_balanced_accuracy": _rounded(self.mean("addressed")),
            "mean_does_balanced_accuracy": _rounded(self.mean("does")),
            "areas": {area: report.to_dict() for area, report in self.areas.items()},
        }

    def format_text(self, *, confusion: bool = True) -> str:
        lines = [f"rows: {self.rows}", f"{'area':<16}{'accuracy':>10}{'addressed BA':>14}{'does BA':>10}{'n':>6}"]
        for area, report in self.areas.items():
            n = max(report.addressed.n, report.does.n, report.exact_n)
            lines.append(
                f"{area:<16}{_fmt(report.accuracy):>10}{_fmt(report.addressed.balanced_accuracy):>14}"
                f"{_fmt(report.does.balanced_accuracy):>10}{n:>6}"
            )
        lines.append(f"{'mean':<16}{'':>10}{_fmt(self.mean('addressed')):>14}{_fmt(self.mean('does')):>10}")
        if confusion:
            lines.extend(_format_confusion(self.areas))
        return "\n".join(lines)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _format_confusion(areas: dict[str, AreaReport]) -> list[str]:
    lines = ["", "confusion (rows: expected, columns: predicted)"]
    header = f"{'':<16}" + "".join(f"{status:>12}" for status in STATUSES)
    for area, report in areas.items():
        if not report.confusion:
            continue
        lines.extend(["", area, header])
        for label in LABELS:
            counts = report.confusion.get(label)
            if counts:
                lines.append(f"{label:<16}" + "".join(f"{counts.get(status, 0):>12}" for status in STATUSES))
    return lines


def compare(rows: Iterable[EvalRow], predictions: Iterable[dict[str, str]]) -> EvaluationReport:
    """Score predicted statuses (one dict area -> status per row, same order) against the rows' labels."""
    builders = {area: _AreaBuilder(area) for area in AREAS}
    count = 0
    for row, predicted in zip(rows, predictions, strict=True):
        count += 1
        for area, label in row.expected.items():
            if area in builders:
                builders[area].add(row, label, predicted.get(area, "silent"))
    return EvaluationReport(rows=count, areas={area: builder.build() for area, builder in builders.items()})


def evaluate(rows: list[EvalRow], score: Callable[[str], dict[str, str]]) -> EvaluationReport:
    """Run ``score(text) -> {area: status}`` on every row and compare."""
    return compare(rows, [score(row.text) for row in rows])


class _AreaBuilder:
    def __init__(self, area: str) -> None:
        self.area = area
        self.exact_n = 0
        self.exact_correct = 0
        self.addressed = BinaryCounts()
        self.does = BinaryCounts()
        self.confusion: dict[str, dict[str, int]] = {}
        self.misses: list[str] = []

    def add(self, row: EvalRow, label: str, predicted: str) -> None:
        exact = is_exact_match(label, predicted, hedged_as_does=row.hedged_as_does)
        if exact is not None:
            self.exact_n += 1
            self.exact_correct += int(exact)
        missed = False
        truth = addressed_truth(label)
        if truth is not None:
            guess = predicted in _ADDRESSED_STATUSES
            self.addressed = self.addressed.add(truth, guess)
            missed = missed or truth != guess
        truth = does_truth(label)
        if truth is not None:
            guess = predicted in _DOES_STATUSES
            self.does = self.does.add(truth, guess)
            missed = missed or truth != guess
        if missed:
            self.misses.append(f"{row.id}: expected {label}, predicted {predicted}")
        counts = self.confusion.setdefault(label, {})
        counts[predicted] = counts.get(predicted, 0) + 1

    def build(self) -> AreaReport:
        return AreaReport(
            area=self.area,
            exact_n=self.exact_n,
            exact_correct=self.exact_correct,
            addressed=self.addressed,
            does=self.does,
            confusion=self.confusion,
            misses=tuple(self.misses),
        )


# ----------------------------------------------------------------------------------------------------------
# Loaders
# ----------------------------------------------------------------------------------------------------------


def load_rows(path: str | Path) -> list[EvalRow]:
    """Load any supported labels file, detected by suffix (``.tsv``: LegalBench) and CSV header."""
    path = Path(path)
    if not path.is_file():
        raise EvaluationError(f"{path}: no such labels file")
    if path.suffix.lower() == ".tsv":
        return load_legalbench_tsv(path)
    header = set(_read_table(path, delimiter=",")[0])
    if {"slug", "area", "status"} <= header:
        return load_long_csv(path)
    if "text" in header or "path" in header:
        return load_wide_csv(path)
    raise EvaluationError(f"{path}: expected a 'text' or 'path' column, or 'slug,area,status' columns")


def load_wide_csv(path: str | Path) -> list[EvalRow]:
    """One row per document: ``text`` or ``path`` plus a column per area holding the expected status."""
    path = Path(path)
    header, records = _read_table(path, delimiter=",")
    areas = [area for area in AREAS if area in header]
    if not areas:
        raise EvaluationError(f"{path}: no area columns (expected some of {', '.join(AREAS)})")
    rows = []
    for number, record in enumerate(records, start=2):
        expected = {}
        for area in areas:
            label = (record.get(area) or "").strip().lower()
            if not label:
                continue
            if label not in LABELS:
                raise EvaluationError(f"{path}:{number}: {area}: unknown status {label!r}")
            expected[area] = label
        rows.append(
            EvalRow(
                id=f"{path.name}:{number}", text=_row_text(path, record, number), expected=expected, source=str(path)
            )
        )
    return rows


def load_long_csv(path: str | Path) -> list[EvalRow]:
    """The samples' ``slug, area, status, ...`` file; the text of each slug is ``<slug>.txt`` beside it."""
    path = Path(path)
    _, records = _read_table(path, delimiter=",")
    by_slug: dict[str, dict[str, str]] = {}
    for number, record in enumerate(records, start=2):
        slug, area = (record.get("slug") or "").strip(), (record.get("area") or "").strip()
        status = (record.get("status") or "").strip().lower()
        if area not in AREAS or status not in STATUSES or not slug:
            raise EvaluationError(f"{path}:{number}: need a slug, an area in {AREAS} and a status in {STATUSES}")
        by_slug.setdefault(slug, {})[area] = status
    rows = []
    for slug, expected in by_slug.items():
        text_path = path.parent / f"{slug}.txt"
        rows.append(
            EvalRow(id=slug, text=_read_text(text_path), expected=expected, source=str(path), hedged_as_does=True)
        )
    return rows


def load_legalbench_tsv(path: str | Path) -> list[EvalRow]:
    """LegalBench ``supply_chain_disclosure`` TSV: ``disclosed_<area>`` or ``best_practice_<area>``."""
    path = Path(path)
    match = _LEGALBENCH_RE.match(path.stem)
    if match is None or match.group("area") not in AREAS:
        raise EvaluationError(f"{path}: file name must be disclosed_<area>.tsv or best_practice_<area>.tsv")
    area = match.group("area")
    yes, no = (ADDRESSED, NOT_ADDRESSED) if match.group("kind") == "disclosed" else (DOES_ANY, NOT_DOES)
    header, records = _read_table(path, delimiter="\t")
    if "text" not in header or "answer" not in header:
        raise EvaluationError(f"{path}: expected 'text' and 'answer' columns")
    rows = []
    for number, record in enumerate(records, start=2):
        answer = (record.get("answer") or "").strip().lower()
        if answer not in {"yes", "no"}:
            raise EvaluationError(f"{path}:{number}: answer must be Yes or No, got {answer!r}")
        label = yes if answer == "yes" else no
        rows.append(
            EvalRow(id=f"{path.stem}:{number}", text=record.get("text") or "", expected={area: label}, source=str(path))
        )
    return rows


def _read_table(path: Path, *, delimiter: str) -> tuple[list[str], list[dict[str, str]]]:
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)  # LegalBench texts are longer than csv's 128 KiB default
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, delimiter=delimiter)
            records = list(reader)
            header = [name.strip() for name in reader.fieldnames or []]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise EvaluationError(f"{path}: cannot read ({exc})") from exc
    if not header:
        raise EvaluationError(f"{path}: empty file")
    cleaned = [{(key or "").strip(): value for key, value in record.items()} for record in records]
    return header, cleaned


def _row_text(path: Path, record: dict[str, str], number: int) -> str:
    if record.get("text"):
        return record["text"]
    relative = (record.get("path") or "").strip()
    if not relative:
        raise EvaluationError(f"{path}:{number}: needs a text or a path")
    return _read_text(path.parent / relative)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"{path}: cannot read text ({exc})") from exc
