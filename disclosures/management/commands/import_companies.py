"""``manage.py import_companies FILE.csv``: company attributes and parent groups, idempotently."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from disclosures.management.commands.import_brands import CsvImportCommand
from disclosures.services.imports import COMPANY_COLUMNS, ImportSummary, companies_import_csv


class Command(CsvImportCommand):
    help = "Import company attributes (website, industry, revenue band, California sales, parent) from a CSV file."
    required_columns = COMPANY_COLUMNS
    columns_help = """\
columns (header row required, any order, extra columns ignored; empty cells leave stored values alone):
  company              the company's name; created if missing                      required
  website              homepage URL, e.g. https://www.example.com                    required column
  industry             apparel, food, electronics, toys, home_goods, retail, other   required column
  revenue_band         under_100m, 100m_1b, over_1b, unknown (worldwide receipts)    required column
  sells_in_california  yes / no / empty for unknown                                  required column
  parent               the parent company's name; created if missing                 required column
  naics                principal activity, 2-6 digit NAICS code                      optional
  disclosure_url       where the company publishes its disclosure                    optional
  aliases              other names, separated by |                                   optional

example:
  company,website,industry,revenue_band,sells_in_california,parent,naics
  Levi Strauss & Co.,https://www.levistrauss.com,apparel,over_1b,yes,,315

Coverage by the law is re-inferred from these attributes (an inference, never a legal finding). Ownership
loops are rejected. Rows that cannot be imported are listed with their line numbers; the others are kept.
Exit status: 0 when the file was read (even with rejected rows); 2 when the file is missing, unreadable,
not UTF-8 CSV, or lacks a required column."""

    def run_import(self, rows: Any, progress: Callable[[int], None] | None) -> ImportSummary:
        return companies_import_csv(rows=rows, progress=progress)
