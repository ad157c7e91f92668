"""Comparing predicted statuses with labels, and loading the three label formats."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from disclosures.core.evaluation import (
    ADDRESSED,
    DOES_ANY,
    NOT_ADDRESSED,
    NOT_DOES,
    BinaryCounts,
    EvalRow,
    EvaluationError,
    addressed_truth,
    compare,
    does_truth,
    evaluate,
    load_rows,
)

TRUTHS = [
    ("does", True, True),
    ("does_hedged", True, True),
    ("does_not", True, False),
    ("silent", False, False),
    ("unclear", False, False),
    (ADDRESSED, True, None),
    (NOT_ADDRESSED, False, False),
    (DOES_ANY, True, True),
    (NOT_DOES, None, False),
]


@pytest.mark.parametrize(("label", "addressed", "does"), TRUTHS)
def test_it_knows_what_each_label_says(label: str, addressed: bool | None, does: bool | None) -> None:
    assert addressed_truth(label) is addressed
    assert does_truth(label) is does


def test_it_computes_balanced_accuracy() -> None:
    counts = BinaryCounts()
    for truth, guess in [(True, True), (True, False), (False, False), (False, False)]:
        counts = counts.add(truth, guess)
    assert (counts.tp, counts.fn, counts.tn, counts.fp) == (1, 1, 2, 0)
    assert counts.balanced_accuracy == pytest.approx(0.75)


def test_it_falls_back_to_the_one_rate_available() -> None:
    counts = BinaryCounts().add(True, True).add(True, False)
    assert counts.balanced_accuracy == pytest.approx(0.5)
    assert BinaryCounts().balanced_accuracy is None


def test_it_compares_rows_per_area_with_a_confusion_table() -> None:
    rows = [
        EvalRow(id="a", text="", expected={"audits": "does", "training": "silent"}),
        EvalRow(id="b", text="", expected={"audits": "does_not", "training": "does"}),
        EvalRow(id="c", text="", expected={"audits": "silent"}),
    ]
    predictions = [
        {"audits": "does_hedged", "training": "silent"},
        {"audits": "does_not", "training": "does_not"},
        {"audits": "does"},
    ]
    report = compare(rows, predictions)
    audits = report.areas["audits"]
    assert audits.exact_n == 3
    assert audits.accuracy == pytest.approx(1 / 3)
    assert audits.addressed.balanced_accuracy == pytest.approx(0.5)  # 2/2 addressed found, 0/1 silent kept
    assert audits.confusion == {"does": {"does_hedged": 1}, "does_not": {"does_not": 1}, "silent": {"does": 1}}
    assert report.areas["training"].does.balanced_accuracy == pytest.approx(0.5)
    assert any(miss.startswith("c:") for miss in audits.misses)


def test_it_counts_hedged_as_does_when_the_labellers_did() -> None:
    rows = [EvalRow(id="a", text="", expected={"audits": "does"}, hedged_as_does=True)]
    assert compare(rows, [{"audits": "does_hedged"}]).areas["audits"].accuracy == 1.0


def test_it_runs_a_scorer_over_rows() -> None:
    rows = [EvalRow(id="a", text="x", expected={"audits": ADDRESSED})]
    report = evaluate(rows, lambda text: {"audits": "does_not"})
    assert report.areas["audits"].addressed.tp == 1
    assert report.mean("addressed") == 1.0
    assert "audits" in report.format_text()
    assert report.to_dict()["areas"]["audits"]["addressed"]["balanced_accuracy"] == 1.0


def write(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def test_it_loads_a_wide_csv_with_text_or_path(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "one.txt").write_text("We audit suppliers.", encoding="utf-8")
    labels = write(
        tmp_path / "labels.csv",
        [
            ["text", "path", "audits", "training"],
            ["We train buyers.", "", "silent", "does"],
            ["", "docs/one.txt", "does", ""],
        ],
    )
    rows = load_rows(labels)
    assert [row.text for row in rows] == ["We train buyers.", "We audit suppliers."]
    assert rows[0].expected == {"audits": "silent", "training": "does"}
    assert rows[1].expected == {"audits": "does"}


def test_it_rejects_an_unknown_status_with_its_row(tmp_path: Path) -> None:
    labels = write(tmp_path / "labels.csv", [["text", "audits"], ["x", "maybe"]])
    with pytest.raises(EvaluationError, match=r"labels\.csv:2: audits: unknown status 'maybe'"):
        load_rows(labels)


def test_it_loads_the_samples_long_format(tmp_path: Path) -> None:
    (tmp_path / "acme.txt").write_text("We audit suppliers.", encoding="utf-8")
    labels = write(
        tmp_path / "labels.csv",
        [
            ["slug", "area", "status", "evidence", "notes"],
            ["acme", "audits", "does", "", ""],
            ["acme", "training", "silent", "", ""],
        ],
    )
    (row,) = load_rows(labels)
    assert row.id == "acme"
    assert row.text == "We audit suppliers."
    assert row.expected == {"audits": "does", "training": "silent"}
    assert row.hedged_as_does is True


def test_it_needs_the_text_file_for_each_slug(tmp_path: Path) -> None:
    labels = write(tmp_path / "labels.csv", [["slug", "area", "status"], ["ghost", "audits", "does"]])
    with pytest.raises(EvaluationError, match=r"ghost\.txt"):
        load_rows(labels)


@pytest.mark.parametrize(
    ("name", "yes", "no"),
    [("disclosed_audits", ADDRESSED, NOT_ADDRESSED), ("best_practice_audits", DOES_ANY, NOT_DOES)],
)
def test_it_loads_legalbench_tsvs(tmp_path: Path, name: str, yes: str, no: str) -> None:
    path = write(tmp_path / f"{name}.tsv", [["text", "answer"], ["We audit.", "Yes"], ["Hello.", "No"]], delimiter="\t")
    rows = load_rows(path)
    assert [row.expected for row in rows] == [{"audits": yes}, {"audits": no}]


def test_it_rejects_a_tsv_with_an_unknown_question(tmp_path: Path) -> None:
    path = write(tmp_path / "disclosed_shipping.tsv", [["text", "answer"], ["x", "Yes"]], delimiter="\t")
    with pytest.raises(EvaluationError, match="disclosed_<area>"):
        load_rows(path)


def test_it_rejects_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="no such labels file"):
        load_rows(tmp_path / "nope.csv")


def test_it_rejects_a_csv_without_known_columns(tmp_path: Path) -> None:
    labels = write(tmp_path / "labels.csv", [["name", "score"], ["a", "1"]])
    with pytest.raises(EvaluationError, match="expected a 'text' or 'path' column"):
        load_rows(labels)


# ----------------------------------------------------------------------------------------------------------
# The management command is a thin shell around the functions above
# ----------------------------------------------------------------------------------------------------------


def test_the_command_prints_json_for_a_labels_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    labels = write(
        tmp_path / "labels.csv",
        [
            ["text", "audits", "training"],
            ["We audit all suppliers annually.", "does", "silent"],
            ["Hello.", "silent", "silent"],
        ],
    )
    call_command("evaluate_scorer", str(labels), "--json")
    data = json.loads(capsys.readouterr().out)
    audits = data["files"][str(labels)]["areas"]["audits"]
    assert audits["addressed"]["balanced_accuracy"] == 1.0
    assert data["rubric"] == "ctsca-1"


def test_the_command_prints_tables_and_a_combined_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    first = write(
        tmp_path / "disclosed_audits.tsv", [["text", "answer"], ["We audit suppliers.", "Yes"]], delimiter="\t"
    )
    second = write(tmp_path / "best_practice_audits.tsv", [["text", "answer"], ["Hello.", "No"]], delimiter="\t")
    call_command("evaluate_scorer", str(first), str(second))
    out = capsys.readouterr().out
    assert "addressed BA" in out
    assert "== all files" in out


def test_the_command_exits_2_on_a_bad_path(tmp_path: Path) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such labels file") as caught:
        call_command("evaluate_scorer", str(tmp_path / "missing.csv"))
    assert caught.value.returncode == 2
