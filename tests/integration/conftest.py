"""Fixtures shared by the integration tests beyond the root conftest's named cast."""

from __future__ import annotations

from typing import Any

import pytest

from disclosures.models import Certification, ContractorMembership
from tests.factories import ContractorFactory, UserFactory
from tests.integration.registry_support import make_certification, make_contract


# The registry's cast of roles, shared by the registry page and API tests.
@pytest.fixture
def cast(shopper: Any, officer: Any, contractor_staff: Any, registry_staff: Any, superuser: Any) -> dict[str, Any]:
    other_staff = UserFactory(username="otherstaff")
    ContractorMembership.objects.create(user=other_staff, contractor=ContractorFactory(slug="other-contractor"))
    return {
        "anonymous": None,
        "shopper": shopper,
        "officer": officer,
        "own_staff": contractor_staff,
        "other_staff": other_staff,
        "registry_staff": registry_staff,
        "superuser": superuser,
    }


@pytest.fixture
def active(contractor: Any, registry_staff: Any) -> Certification:
    return make_certification(make_contract(contractor), staff=registry_staff)
