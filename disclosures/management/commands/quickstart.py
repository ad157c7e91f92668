"""``python manage.py quickstart``: migrate, load the demo data, then serve on http://127.0.0.1:8000."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Migrate the database, seed the demo data and run the development server — the one command to try the site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "addrport", nargs="?", default="127.0.0.1:8000", help="Where to serve (default %(default)s)."
        )
        parser.add_argument("--no-serve", action="store_true", help="Prepare the database and demo data only.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        call_command("seed_demo", stdout=self.stdout)
        if options["no_serve"]:
            return
        self.stdout.write(f"Serving on http://{options['addrport']}/ — press Ctrl+C to stop.")
        call_command("runserver", options["addrport"], use_reloader=False)
