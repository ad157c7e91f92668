"""``manage.py rescore [--rubric ctsca-1]``: score stored disclosures again without re-reading them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Re-score every published disclosure from its stored pages (no re-extraction)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rubric", default=None, help="Rubric version, e.g. ctsca-1 (default: the current one).")

    def handle(self, *args: Any, **options: Any) -> None:
        from disclosures.core.rubric import CURRENT_RUBRIC, RubricError
        from disclosures.services.disclosures import disclosure_rescore_all

        version = options["rubric"] or CURRENT_RUBRIC
        try:
            count = disclosure_rescore_all(rubric_version=version)
        except RubricError as error:
            raise CommandError(f"Cannot re-score with rubric {version!r}: {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Re-scored {count} disclosures with rubric {version}."))
