"""``python manage.py seed_demo``: idempotent fictional demo data, with the demo users' passwords printed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from disclosures.services.demo import DEMO_USERS, demo_seed


class Command(BaseCommand):
    help = "Create or refresh fictional demo data (companies, brands, disclosures, registry, users). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = demo_seed(today=timezone.localdate())
        self.stdout.write(
            f"Demo data ready: {summary['companies']} companies, {summary['brands_created']} new brands, "
            f"{summary['disclosures_created']} new disclosures, registry: {summary['registry']}."
        )
        self.stdout.write("Demo users (username / password — role):")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<11} {user.password:<22} {user.role}")
