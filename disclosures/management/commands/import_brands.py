"""``manage.py import_brands FILE.csv``: brands and their owning companies, idempotently."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, DjangoHelpFormatter

from disclosures.services.imports import (
    BRAND_COLUMNS,
    CsvFormatError,
    ImportSummary,
    brands_import_csv,
    csv_rows,
    import_missing_columns,
)

BAR_WIDTH = 30


class _HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's ordering of options, but the column documentation keeps its line breaks."""


class CsvImportCommand(BaseCommand):
    """Reading, header checks, progress and the summary; subclasses name the columns and the service."""

    required_columns: tuple[str, ...] = ()
    columns_help = ""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = _HelpFormatter
        parser.epilog = self.columns_help
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The CSV file (UTF-8, first line is the header).")
        parser.add_argument("--no-progress", action="store_true", help="Do not print progress to stderr.")

    def run_import(self, rows: Any, progress: Callable[[int], None] | None) -> ImportSummary:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        text = _read_text(path)
        try:
            fieldnames, rows = csv_rows(text)
        except CsvFormatError as error:
            raise CommandError(f"{path}: not a readable CSV file ({error})", returncode=2) from error
        missing = import_missing_columns(fieldnames, self.required_columns)
        if missing:
            raise CommandError(f"{path}: missing required column(s): {', '.join(missing)}", returncode=2)
        total = max(text.count("\n") - 1, 1)  # lines, not records: exact unless a cell spans lines
        progress = None if options["no_progress"] else self._progress_printer(total)
        try:
            summary = self.run_import(rows, progress)
        except CsvFormatError as error:
            raise CommandError(f"{path}: stopped at {error}; rows before it were imported", returncode=2) from error
        finally:
            if progress is not None and self.stderr.isatty():
                self.stderr.write("")  # end the redrawn progress line
        self._report(summary)

    def _progress_printer(self, total: int) -> Callable[[int], None]:
        interactive = self.stderr.isatty()

        def show(done: int) -> None:
            share = min(done / total, 1.0)
            bar = "#" * round(share * BAR_WIDTH)
            line = f"[{bar:<{BAR_WIDTH}}] {share:4.0%} {done:,} rows"
            # On a terminal the bar redraws in place; in a log file each update is its own line.
            self.stderr.write(f"\r{line}" if interactive else line, ending="" if interactive else "\n")
            self.stderr.flush()

        return show

    def _report(self, summary: ImportSummary) -> None:
        for line, message in summary.errors:
            self.stderr.write(f"line {line}: {message}")
        if summary.error_count > len(summary.errors):
            self.stderr.write(f"... and {summary.error_count - len(summary.errors):,} more rejected rows")
        parts = ", ".join(f"{key.replace('_', ' ')}: {value:,}" for key, value in summary.as_dict().items())
        style = self.style.WARNING if summary.error_count else self.style.SUCCESS
        self.stdout.write(style(f"Done. {parts}"))


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise CommandError(f"{path}: no such file", returncode=2) from error
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror or error})", returncode=2) from error
    if b"\x00" in data:
        raise CommandError(f"{path}: looks like a binary file, not CSV text", returncode=2)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommandError(f"{path}: is not UTF-8 text (byte {error.start})", returncode=2) from error


class Command(CsvImportCommand):
    help = "Import brands and the companies that own them from a CSV file. Safe to run again."
    required_columns = BRAND_COLUMNS
    columns_help = """\
columns (header row required, any order, extra columns ignored):
  brand     the brand name                                  required
  company   the owning company's name; created if missing   required
  aliases   other names for the brand, separated by |       optional

example:
  brand,company,aliases
  Levi's,Levi Strauss & Co.,Levis|Levi Strauss
  Dockers,Levi Strauss & Co.,

Companies are matched by name (case-insensitively); a brand by company and exact name. Aliases are added,
never removed. Rows that cannot be imported are listed with their line numbers; the others are kept.
Exit status: 0 when the file was read (even with rejected rows); 2 when the file is missing, unreadable,
not UTF-8 CSV, or lacks a required column."""

    def run_import(self, rows: Any, progress: Callable[[int], None] | None) -> ImportSummary:
        return brands_import_csv(rows=rows, progress=progress)
