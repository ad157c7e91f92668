"""``python manage.py bench {search,parse,http}``: the budgets of DESIGN.md §6, measured, as a table or JSON."""

from __future__ import annotations

import json
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

MIN_NAMES = 100


class Command(BaseCommand):
    help = "Measure search, parsing and HTTP throughput against their baselines (DESIGN.md §6)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="which", required=True)
        search = sub.add_parser("search", help="Brand index vs rapidfuzz brute force (and pg_trgm on PostgreSQL).")
        search.add_argument("--names", type=int, default=100_000)
        search.add_argument("--queries", type=int, default=300)
        search.add_argument("--baseline-queries", type=int, default=20)
        search.add_argument("--seed", type=int, default=0)
        search.add_argument("--json", action="store_true")
        parse = sub.add_parser("parse", help="PDF extraction and extract+score pages/s vs pdfplumber.")
        parse.add_argument("--files", type=int, default=20)
        parse.add_argument("--pages", type=int, default=30)
        parse.add_argument("--seed", type=int, default=0)
        parse.add_argument("--json", action="store_true")
        http = sub.add_parser("http", help="gunicorn throughput: search and company pages vs a trivial JSON view.")
        http.add_argument("--names", type=int, default=100_000)
        http.add_argument("--seconds", type=float, default=5.0)
        http.add_argument("--clients", default="1,8,32")
        http.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        which = options["which"]
        if which == "search":
            result, table = self._search(options)
        elif which == "parse":
            result, table = self._parse(options)
        else:
            result, table = self._http(options)
        self.stdout.write(json.dumps(result, indent=2) if options["json"] else table)

    def _search(self, options: dict[str, Any]) -> tuple[dict[str, Any], str]:
        from disclosures.bench.search import format_table, run_search_bench

        if options["names"] < MIN_NAMES:
            raise CommandError(f"--names must be at least {MIN_NAMES}.")
        pg_dsn = _postgres_dsn()
        result = run_search_bench(
            names=options["names"],
            queries=options["queries"],
            seed=options["seed"],
            baseline_queries=options["baseline_queries"],
            pg_dsn=pg_dsn,
        )
        return result, format_table(result)

    def _parse(self, options: dict[str, Any]) -> tuple[dict[str, Any], str]:
        from disclosures.bench.parse import format_table, run_parse_bench

        if options["files"] < 1 or options["pages"] < 1:
            raise CommandError("--files and --pages must be at least 1.")
        result = run_parse_bench(files=options["files"], pages=options["pages"], seed=options["seed"])
        return result, format_table(result)

    def _http(self, options: dict[str, Any]) -> tuple[dict[str, Any], str]:
        from disclosures.bench.http import format_table, run_http_bench

        try:
            clients = [int(part) for part in options["clients"].split(",") if part.strip()]
        except ValueError:
            raise CommandError("--clients takes whole numbers separated by commas, e.g. 1,8,32.") from None
        result = run_http_bench(names=options["names"], seconds=options["seconds"], clients=clients)
        return result, format_table(result)


def _postgres_dsn() -> str | None:
    """The configured PostgreSQL, for the pg_trgm baseline; None on SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None
