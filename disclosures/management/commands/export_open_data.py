"""Write today's (or a given day's) dated open-data snapshot: ``manage.py export_open_data [--date YYYY-MM-DD]``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from disclosures.services.open_data import open_data_snapshot


class Command(BaseCommand):
    help = "Write the dated open-data snapshot (companies and registry, CSV and JSON) under OPEN_DATA_DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Snapshot date, YYYY-MM-DD (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD: {error}") from error
        for path in open_data_snapshot(today=today):
            self.stdout.write(str(path))
