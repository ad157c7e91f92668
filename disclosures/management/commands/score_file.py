"""``manage.py score_file PATH [PATH ...] [--jsonl]``: score disclosure files without a database (DESIGN.md §5.1)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from disclosures.core.pipeline import internal_error_result, process_path
from disclosures.core.rubric import CURRENT_RUBRIC, RubricError, load_rubric


class Command(BaseCommand):
    help = (
        "Score PDF, HTML or plain-text disclosure files (recognised by content) against the current rubric, "
        "without touching the database. Prints one JSON object per file; exits 2 if any file could not be read."
    )
    requires_system_checks: list[str] = []  # no database, no models: start fast

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="files to score")
        parser.add_argument("--jsonl", action="store_true", help="one JSON object per line")
        parser.add_argument("--rubric", default=CURRENT_RUBRIC, help=f"rubric version (default {CURRENT_RUBRIC})")
        parser.add_argument(
            "--max-pages", type=int, default=settings.DISCLOSURE_MAX_PAGES, help="refuse longer documents"
        )

    def handle(self, *args: Any, paths: list[str], jsonl: bool, rubric: str, max_pages: int, **options: Any) -> None:
        try:
            loaded = load_rubric(rubric)
        except RubricError as error:
            raise CommandError(f"Unknown or invalid rubric {rubric!r}: {error}", returncode=2) from None
        failures = 0
        for path in paths:
            try:
                result = process_path(
                    Path(path),
                    rubric=loaded,
                    max_pages=max_pages,
                    max_chars=settings.DISCLOSURE_MAX_TEXT_CHARS,
                    max_bytes=settings.DISCLOSURE_MAX_UPLOAD_BYTES,
                )
            except Exception as error:  # one bad file must not hide the results of the others
                result = internal_error_result(path, error)
            failures += "error" in result
            self.stdout.write(json.dumps(result) if jsonl else json.dumps(result, indent=2))
            self.stdout.flush()
        if failures:
            raise CommandError(f"{failures} of {len(paths)} file(s) could not be scored.", returncode=2)
