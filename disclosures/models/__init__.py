"""All models of the one app, split by area. Import from here: ``from disclosures.models import Company``."""

from disclosures.models.audit import ApiToken, AuditEvent, Notification
from disclosures.models.companies import Brand, BrandAlias, Company, HomepageCheck, Membership, SearchIndexState
from disclosures.models.filings import Disclosure, DisclosurePage, DisclosureScore, Finding, FindingContest
from disclosures.models.registry import (
    Certification,
    Contract,
    ContractAmendment,
    Contractor,
    ContractorMembership,
    RegistrySettings,
    Sanction,
    WatchlistEntry,
)

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Brand",
    "BrandAlias",
    "Certification",
    "Company",
    "Contract",
    "ContractAmendment",
    "Contractor",
    "ContractorMembership",
    "Disclosure",
    "DisclosurePage",
    "DisclosureScore",
    "Finding",
    "FindingContest",
    "HomepageCheck",
    "Membership",
    "Notification",
    "RegistrySettings",
    "Sanction",
    "SearchIndexState",
    "WatchlistEntry",
]
