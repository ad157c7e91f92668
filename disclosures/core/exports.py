"""Bulk-export formats, written piece by piece so a response can stream them and a snapshot can write them.

CSV: two leading metadata rows whose first cell starts with ``#`` (``# licence`` and ``# generated_at``), then
the header row, then one row per record. Spreadsheet users see the licence; programs skip the first two rows
(``pandas.read_csv(..., skiprows=2)`` or ``comment="#"``). JSON: one object
``{"licence": ..., "licence_url": ..., "attribution": ..., "generated_at": ..., "<key>": [...]}`` whose list
is written record by record.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ExportMeta:
    licence: str
    licence_url: str
    attribution: str
    generated_at: str  # ISO 8601


# Spreadsheets run a cell that starts with one of these as a formula; company names come from outside.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_line(values: Sequence[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([_cell(value) for value in values])
    return buffer.getvalue()


def csv_lines(*, meta: ExportMeta, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    yield _csv_line(["# licence", f"{meta.licence} {meta.licence_url} {meta.attribution}".strip()])
    yield _csv_line(["# generated_at", meta.generated_at])
    yield _csv_line(columns)
    for row in rows:
        yield _csv_line([row.get(column) for column in columns])


def json_chunks(*, meta: ExportMeta, key: str, rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    head = {
        "licence": meta.licence,
        "licence_url": meta.licence_url,
        "attribution": meta.attribution,
        "generated_at": meta.generated_at,
    }
    # The head object is written without its closing brace so the list can follow it, one record at a time.
    yield json.dumps(head, ensure_ascii=False)[:-1] + f', "{key}": ['
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(row, ensure_ascii=False, sort_keys=False)
        separator = ",\n"
    yield "\n]}\n"
