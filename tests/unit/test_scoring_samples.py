"""Accuracy on the real labelled samples in ../shared/samples (skipped, with the reason, when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosures.core.evaluation import evaluate, load_rows
from disclosures.core.scoring import score_text
from disclosures.core.types import AREAS

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
CTSCA_LABELS = SAMPLES / "ctsca" / "labels.csv"
LEGALBENCH = SAMPLES / "legalbench-train"

pytestmark = pytest.mark.skipif(not CTSCA_LABELS.exists(), reason=f"samples not found at {SAMPLES}")


def statuses(text: str) -> dict[str, str]:
    return {area: finding.status for area, finding in score_text(text).areas.items()}


@pytest.mark.parametrize("area", AREAS)
def test_it_reaches_ninety_percent_balanced_accuracy_for_addressed_on_the_ctsca_samples(area: str) -> None:
    report = evaluate(load_rows(CTSCA_LABELS), statuses)
    result = report.areas[area].addressed
    assert result.balanced_accuracy is not None
    assert result.balanced_accuracy >= 0.90, report.areas[area].misses


def test_it_reaches_ninety_percent_balanced_accuracy_for_does_on_the_ctsca_samples() -> None:
    report = evaluate(load_rows(CTSCA_LABELS), statuses)
    mean = report.mean("does")
    assert mean is not None
    assert mean >= 0.90


@pytest.mark.skipif(not LEGALBENCH.exists(), reason=f"LegalBench samples not found at {LEGALBENCH}")
def test_it_answers_the_legalbench_questions_well_on_average() -> None:
    disclosed, best = [], []
    for path in sorted(LEGALBENCH.glob("*.tsv")):
        area = path.stem.split("_")[-1]
        report = evaluate(load_rows(path), statuses).areas[area]
        if path.stem.startswith("disclosed"):
            disclosed.append(report.addressed.balanced_accuracy)
        else:
            best.append(report.does.balanced_accuracy)
    assert len(disclosed) == len(best) == 5
    assert sum(disclosed) / 5 >= 0.90
    assert sum(best) / 5 >= 0.85
