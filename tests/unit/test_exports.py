"""CSV and JSON export writers: metadata first, rows streamed, formulas neutralised, JSON always valid."""

from __future__ import annotations

import csv
import io
import json

from disclosures.core.exports import ExportMeta, csv_lines, json_chunks

META = ExportMeta(
    licence="CC BY 4.0",
    licence_url="https://creativecommons.org/licenses/by/4.0/",
    attribution="Attribution: test.",
    generated_at="2025-06-01T09:30:00-07:00",
)
ROWS = [{"name": "Acme", "score": 83, "note": None}, {"name": '=cmd|"/c calc"', "score": 0, "note": "a,b\nc"}]


def test_csv_starts_with_licence_and_generated_at_rows_then_the_header() -> None:
    rows = list(csv.reader(io.StringIO("".join(csv_lines(meta=META, columns=["name", "score", "note"], rows=ROWS)))))

    assert rows[0] == ["# licence", "CC BY 4.0 https://creativecommons.org/licenses/by/4.0/ Attribution: test."]
    assert rows[1] == ["# generated_at", "2025-06-01T09:30:00-07:00"]
    assert rows[2] == ["name", "score", "note"]
    assert rows[3] == ["Acme", "83", ""]
    assert rows[4] == ['\'=cmd|"/c calc"', "0", "a,b\nc"]


def test_csv_is_produced_one_line_per_row() -> None:
    lines = list(csv_lines(meta=META, columns=["name"], rows=iter(ROWS)))

    assert len(lines) == 3 + len(ROWS)


def test_json_is_one_valid_object_with_metadata_and_the_rows() -> None:
    document = json.loads("".join(json_chunks(meta=META, key="companies", rows=ROWS)))

    assert document == {
        "licence": "CC BY 4.0",
        "licence_url": "https://creativecommons.org/licenses/by/4.0/",
        "attribution": "Attribution: test.",
        "generated_at": "2025-06-01T09:30:00-07:00",
        "companies": ROWS,
    }


def test_json_with_no_rows_is_still_valid() -> None:
    assert json.loads("".join(json_chunks(meta=META, key="certifications", rows=[])))["certifications"] == []


def test_json_is_streamed_record_by_record() -> None:
    chunks = list(json_chunks(meta=META, key="companies", rows=ROWS))

    assert len(chunks) == 2 + len(ROWS)
