"""The lookup officers rely on: how it matches, status as of a date, gaps, eligibility, caveats, visibility, audit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from disclosures.core.certification_rules import RegistryNumberError, registry_number_make
from disclosures.models import AuditEvent, ContractorMembership, RegistrySettings
from disclosures.selectors.registry import (
    LookupNotFoundError,
    LookupQuery,
    registry_lookup,
    registry_today,
)
from disclosures.services import registry as services
from tests.factories import ContractorFactory, UserFactory
from tests.integration.registry_support import TODAY, make_certification, make_contract, make_draft

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()


@pytest.fixture
def complete(contractor: Any, registry_staff: Any) -> Any:
    """An apparel contract with an active § 6108 certification and Sweatfree statement."""
    contract = make_contract(contractor)
    pcc = make_certification(contract, staff=registry_staff)
    make_certification(contract, cert_type="sweatfree_code", staff=registry_staff)
    return pcc


def lookup(user: Any = ANONYMOUS, **query: Any) -> Any:
    return registry_lookup(query=LookupQuery(**query), user=user)


# --- Matching -------------------------------------------------------------------------------------------------


def test_it_finds_a_certification_by_registry_number(complete: Any) -> None:
    result = lookup(number=complete.number.lower().replace("-", " "), as_of=TODAY)
    assert (result.match.by, result.match.confidence) == ("registry_number", 100)
    assert result.certification.number == complete.number
    assert result.certification.status == "active"
    assert result.contractor.name == "Golden Bear Uniforms LLC"


def test_a_mistyped_number_is_a_bad_check_digit(complete: Any) -> None:
    number = complete.number  # CSR-2026-000001-C: swap the last two sequence digits
    typo = number[:13] + number[14] + number[13] + number[15:]
    assert typo != number
    with pytest.raises(RegistryNumberError) as caught:
        lookup(number=typo)
    assert caught.value.code == "bad_check_digit"


def test_a_malformed_number_is_malformed() -> None:
    with pytest.raises(RegistryNumberError) as caught:
        lookup(number="CSR-12")
    assert caught.value.code == "malformed"


def test_an_unknown_well_formed_number_is_not_found(complete: Any) -> None:
    with pytest.raises(LookupNotFoundError, match="No certification"):
        lookup(number=registry_number_make(2026, 999_999))


def test_it_finds_a_contractor_by_sos_number_and_supplier_id(complete: Any, contractor: Any) -> None:
    assert lookup(sos_number=contractor.sos_number).match.by == "sos_number"
    assert lookup(supplier_id=contractor.supplier_id).match.by == "supplier_id"
    assert lookup(contractor=contractor.sos_number).match.by == "sos_number"
    assert lookup(contractor=contractor.supplier_id).match.by == "supplier_id"


def test_it_finds_a_contractor_by_a_misspelt_name_with_its_confidence(complete: Any) -> None:
    ContractorFactory(legal_name="Silver Lake Plumbing Inc.")
    result = lookup(name="goldn bear unifroms")
    assert result.match.by == "name"
    assert 70 <= result.match.confidence < 100
    assert result.contractor.name == "Golden Bear Uniforms LLC"


def test_other_names_match_too(contractor: Any) -> None:
    contractor.other_names = ["GBU Workwear"]
    contractor.save()
    result = lookup(contractor="GBU Workwear")
    assert (result.contractor.name, result.match.confidence) == ("Golden Bear Uniforms LLC", 100)


def test_a_name_nothing_resembles_is_not_found(complete: Any) -> None:
    with pytest.raises(LookupNotFoundError):
        lookup(name="Zzyzx Quantum Bakery")


def test_an_empty_query_is_not_found() -> None:
    with pytest.raises(LookupNotFoundError):
        lookup()


# --- Dates, contracts, gaps -----------------------------------------------------------------------------------


def test_as_of_before_and_after_expiry(complete: Any) -> None:
    assert lookup(number=complete.number, as_of=date(2026, 12, 31)).certification.status == "active"
    assert lookup(number=complete.number, as_of=date(2027, 1, 1)).certification.status == "expired"
    after = lookup(number=complete.number, as_of=date(2027, 1, 1))
    assert [gap.code for gap in after.gaps] == ["expired", "expired"]


def test_as_of_defaults_to_today_in_california() -> None:
    with time_machine.travel(datetime.fromisoformat("2026-03-02T06:30:00+00:00"), tick=False):
        assert registry_today() == date(2026, 3, 1)  # still the evening of March 1 in Los Angeles


def test_a_contract_without_a_sweatfree_statement_has_that_gap(contractor: Any) -> None:
    make_certification(make_contract(contractor))
    result = lookup(contractor=contractor.legal_name, as_of=TODAY)
    assert [gap.code for gap in result.gaps] == ["missing_sweatfree"]
    assert result.contracts[0].section_6108_applies is True


def test_a_public_works_contract_is_answered_as_not_applicable(contractor: Any) -> None:
    contract = make_contract(contractor, category="public_works")
    fields = services.CertificationDraftFields(cert_type="pcc6108", contract=contract)
    certification = services.certification_create(contractor=contractor, fields=fields, created_by=None, today=TODAY)
    result = lookup(number=certification.number, as_of=TODAY)
    assert result.certification.status == "not_applicable"
    assert result.contracts[0].applicability == "public_works"
    assert result.gaps == ()


def test_it_narrows_to_a_contract_number(complete: Any, contractor: Any) -> None:
    other = make_contract(contractor)
    result = lookup(contractor=contractor.legal_name, contract=other.number.lower())
    assert [contract.number for contract in result.contracts] == [other.number]
    assert [gap.code for gap in result.gaps] == ["missing_pcc6108", "missing_sweatfree"]


def test_an_unknown_contract_number_is_said_plainly(complete: Any, contractor: Any) -> None:
    result = lookup(contractor=contractor.legal_name, contract="NOPE-1")
    assert (result.contract_found, result.contracts) == (False, ())


def test_a_solicitation_certification_is_grouped_under_its_solicitation(contractor: Any) -> None:
    fields = services.CertificationDraftFields(cert_type="pcc6108", solicitation_number="RFP-26-7")
    services.certification_create(contractor=contractor, fields=fields, created_by=None, today=TODAY)
    result = lookup(contractor=contractor.legal_name, contract="rfp-26-7", user=UserFactory(groups=["registry_staff"]))
    assert [(c.number, c.is_solicitation, c.applicability) for c in result.contracts] == [("RFP-26-7", True, "unknown")]


# --- Eligibility ----------------------------------------------------------------------------------------------


def test_a_bidders_list_removal_makes_the_contractor_ineligible_until_it_ends(complete: Any, contractor: Any) -> None:
    services.sanction_record(
        contractor=contractor,
        fields=services.SanctionFields(
            kind="bidders_list_removal", start_date=TODAY, end_date=date(2026, 9, 1), authority="DGS"
        ),
        created_by=None,
    )
    during = lookup(number=complete.number, as_of=date(2026, 9, 1))
    assert (during.eligibility.eligible, during.eligibility.bidders_list_removal_until) == (False, date(2026, 9, 1))
    after = lookup(number=complete.number, as_of=date(2026, 9, 2))
    assert after.eligibility.eligible is True
    assert [item.kind for item in after.eligibility.past_sanctions] == ["bidders_list_removal"]


def test_a_non_public_sanction_is_shown_to_officers_only(complete: Any, contractor: Any, officer: Any) -> None:
    services.sanction_record(
        contractor=contractor,
        fields=services.SanctionFields(kind="other", start_date=TODAY, authority="DIR", is_public=False),
        created_by=None,
    )
    assert lookup(number=complete.number, as_of=TODAY).eligibility.active_sanctions == ()
    assert len(lookup(officer, number=complete.number, as_of=TODAY).eligibility.active_sanctions) == 1


# --- Caveats and the voluntary label --------------------------------------------------------------------------


def test_every_lookup_carries_the_perjury_caveat(complete: Any) -> None:
    result = lookup(number=complete.number)
    assert any("penalty of perjury" in caveat for caveat in result.caveats)


def test_recruitment_commitments_are_labelled_voluntary_until_required(contractor: Any, settings: Any) -> None:
    certification = make_certification(make_contract(contractor), cert_type="recruitment_commitments")
    result = lookup(number=certification.number)
    assert result.certification.voluntary is True
    assert any("voluntary" in caveat for caveat in result.caveats)
    settings.RECRUITMENT_COMMITMENTS_REQUIRED = True
    assert lookup(number=certification.number).certification.voluntary is False
    settings.RECRUITMENT_COMMITMENTS_REQUIRED = False
    RegistrySettings.objects.create(recruitment_commitments_required=True)
    required = lookup(number=certification.number)
    assert required.certification.voluntary is False
    assert not any("voluntary" in caveat for caveat in required.caveats)


def test_a_stale_form_revision_is_flagged(contractor: Any) -> None:
    contract = make_contract(contractor)
    old = make_certification(contract, form="CCC 07/2010")
    make_certification(contract, cert_type="sweatfree_code")
    result = lookup(number=old.number)
    assert result.certification.stale_form is True
    assert [(gap.code, gap.certification) for gap in result.gaps] == [("stale_form", old.number)]


# --- Who sees what --------------------------------------------------------------------------------------------


def test_anonymous_and_shoppers_never_see_signers_or_documents(complete: Any, shopper: Any) -> None:
    for user in (ANONYMOUS, shopper):
        result = lookup(user, number=complete.number)
        assert (result.certification.signer, result.certification.document_sha256) == (None, None)
        assert result.detail_visible is False


def test_officers_and_the_contractors_own_staff_see_the_signer(
    complete: Any, officer: Any, contractor_staff: Any, registry_staff: Any
) -> None:
    for user in (officer, contractor_staff, registry_staff):
        result = lookup(user, number=complete.number)
        assert result.certification.signer.name == "Pat Signer"
        assert result.certification.document_sha256 == complete.document_sha256


def test_another_contractors_staff_do_not_see_the_signer(complete: Any) -> None:
    outsider = UserFactory(username="outsider")
    ContractorMembership.objects.create(user=outsider, contractor=ContractorFactory())
    assert lookup(outsider, number=complete.number).certification.signer is None


def test_drafts_are_invisible_except_to_their_contractor_and_registry_staff(
    contractor: Any, contractor_staff: Any, registry_staff: Any, officer: Any
) -> None:
    draft = make_draft(make_contract(contractor))
    for user in (ANONYMOUS, officer):
        with pytest.raises(LookupNotFoundError):
            lookup(user, number=draft.number)
    for user in (contractor_staff, registry_staff):
        assert lookup(user, number=draft.number).certification.status == "draft"


# --- Audit and query count ------------------------------------------------------------------------------------


def test_every_lookup_is_audited_with_what_was_answered(complete: Any, officer: Any) -> None:
    lookup(officer, number=complete.number, as_of=TODAY)
    event = AuditEvent.objects.filter(action="registry.lookup").get()
    assert event.actor == officer
    assert event.data["answer"]["statuses"][complete.number] == "active"
    assert event.data["as_of"] == "2026-03-02"


def test_failed_lookups_are_audited_too() -> None:
    with pytest.raises(RegistryNumberError):
        lookup(number="CSR-1")
    with pytest.raises(LookupNotFoundError):
        lookup(name="Nobody At All")
    answers = sorted(AuditEvent.objects.filter(action="registry.lookup").values_list("data__answer", flat=True))
    assert answers == ["malformed", "not_found"]


def test_the_lookup_query_count_does_not_grow_with_contracts(
    contractor: Any, registry_staff: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(4):
        contract = make_contract(contractor)
        make_certification(contract, staff=registry_staff)
        make_certification(contract, cert_type="sweatfree_code", staff=registry_staff)
    with django_assert_max_num_queries(14):
        result = lookup(registry_staff, contractor=contractor.sos_number)
    assert len(result.contracts) == 4
