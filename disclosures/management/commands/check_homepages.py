"""``manage.py check_homepages [--company SLUG]``: look for the disclosure link on company homepages."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Check one company's homepage now (--company), or queue a check of every company with a website."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", metavar="SLUG", help="Check only this company, right away.")

    def handle(self, *args: Any, **options: Any) -> None:
        from disclosures.models import Company
        from disclosures.services.discovery import NoWebsite, company_homepage_check, company_homepage_recheck_all

        slug = options["company"]
        if not slug:
            count = company_homepage_recheck_all()
            self.stdout.write(self.style.SUCCESS(f"Checked or queued {count} company homepages."))
            return
        company = Company.objects.filter(slug=slug).first()
        if company is None:
            raise CommandError(f"No company with slug {slug!r}.")
        try:
            check = company_homepage_check(company=company)
        except NoWebsite as error:
            raise CommandError(str(error)) from None
        if check.error:
            self.stdout.write(f"{company.slug}: could not check the homepage: {check.error}")
            return
        found = f"link {check.link_label!r} in the {check.placement}" if check.link_found else "no disclosure link"
        self.stdout.write(f"{company.slug}: {found}; {check.get_change_display().lower()}.")
