"""``python manage.py evaluate_scorer LABELS [LABELS ...] [--json]``: the scorer against hand labels.

Accepts the wide CSV of RUBRIC.md §7, the samples' ``labels.csv`` (detected by its header) and LegalBench
``disclosed_<area>.tsv`` / ``best_practice_<area>.tsv`` files. All logic lives in ``disclosures.core.evaluation``.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from disclosures.core.evaluation import EvaluationError, EvaluationReport, evaluate, load_rows
from disclosures.core.rubric import CURRENT_RUBRIC, RubricError, load_rubric
from disclosures.core.scoring import score_text


class Command(BaseCommand):
    help = "Compare the scorer's area statuses with labelled disclosures: accuracy, balanced accuracy, confusion."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "labels", nargs="+", metavar="LABELS", help="wide CSV, samples labels.csv, or LegalBench .tsv"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
        parser.add_argument("--rubric", default=CURRENT_RUBRIC, help=f"rubric version (default {CURRENT_RUBRIC})")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rubric = load_rubric(options["rubric"])
            files = {path: load_rows(path) for path in options["labels"]}
        except (EvaluationError, RubricError) as error:
            raise CommandError(str(error), returncode=2) from None
        cache: dict[str, dict[str, str]] = {}

        def statuses(text: str) -> dict[str, str]:
            if text not in cache:  # the same disclosure often appears in several LegalBench files
                cache[text] = {area: finding.status for area, finding in score_text(text, rubric).areas.items()}
            return cache[text]

        reports = {path: evaluate(rows, statuses) for path, rows in files.items()}
        combined = evaluate([row for rows in files.values() for row in rows], statuses) if len(files) > 1 else None
        if options["json"]:
            self.stdout.write(_as_json(rubric.version, reports, combined))
            return
        for path, report in reports.items():
            self.stdout.write(f"== {path}\n{report.format_text()}\n")
        if combined is not None:
            self.stdout.write(f"== all files\n{combined.format_text(confusion=False)}\n")


def _as_json(version: str, reports: dict[str, EvaluationReport], combined: EvaluationReport | None) -> str:
    data: dict[str, Any] = {"rubric": version, "files": {path: report.to_dict() for path, report in reports.items()}}
    if combined is not None:
        data["combined"] = combined.to_dict()
    return json.dumps(data, indent=2)
