"""The certification lifecycle through the services: numbers, documents, every transition, dates, sanctions."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from disclosures.core import certification_rules as rules
from disclosures.core import signing
from disclosures.models import AuditEvent, Certification, Sanction
from disclosures.services import registry as services
from tests.integration.registry_support import (
    ENDED,
    FUTURE,
    TODAY,
    certification_in,
    make_certification,
    make_contract,
    make_draft,
    pdf,
)

pytestmark = pytest.mark.django_db

STATUSES = [status for status in rules.STATUSES]


# --- Numbers and drafts ---------------------------------------------------------------------------------------


def test_it_allocates_consecutive_valid_numbers_per_year(contractor: Any) -> None:
    contract = make_contract(contractor)
    numbers = [make_draft(contract).number for _ in range(3)]
    parsed = [rules.registry_number_parse(number) for number in numbers]
    assert [(item.year, item.sequence) for item in parsed] == [(2026, 1), (2026, 2), (2026, 3)]


def test_numbers_restart_at_one_each_year(contractor: Any) -> None:
    contract = make_contract(contractor)
    make_draft(contract)
    fields = services.CertificationDraftFields(cert_type="pcc6108", contract=contract)
    next_year = services.certification_create(
        contractor=contractor, fields=fields, created_by=None, today=date(2027, 1, 2)
    )
    assert next_year.number == rules.registry_number_make(2027, 1)


def test_a_draft_needs_a_contract_or_a_solicitation(contractor: Any) -> None:
    with pytest.raises(ValidationError, match="contract or the solicitation"):
        services.certification_create(
            contractor=contractor,
            fields=services.CertificationDraftFields(cert_type="pcc6108"),
            created_by=None,
            today=TODAY,
        )


def test_a_draft_cannot_use_another_contractors_contract(contractor: Any) -> None:
    from tests.factories import ContractorFactory

    foreign = make_contract(ContractorFactory())
    with pytest.raises(ValidationError, match="another contractor"):
        services.certification_create(
            contractor=contractor,
            fields=services.CertificationDraftFields(cert_type="pcc6108", contract=foreign),
            created_by=None,
            today=TODAY,
        )


def test_the_document_is_stored_with_its_sha256(contractor: Any) -> None:
    certification = make_draft(make_contract(contractor))
    import hashlib

    expected = hashlib.sha256(pdf(certification.number).read()).hexdigest()
    assert certification.document_sha256 == expected
    assert certification.document.read().startswith(b"%PDF-")


def test_a_document_that_is_not_a_pdf_or_image_is_refused(contractor: Any) -> None:
    from django.core.files.base import ContentFile

    certification = make_draft(make_contract(contractor))
    with pytest.raises(ValidationError, match="PDF, PNG or JPEG"):
        services.certification_document_attach(
            certification=certification, upload=ContentFile(b"MZ\x90\x00", name="x.exe"), actor=None
        )


def test_the_document_cannot_change_after_submission(contractor: Any) -> None:
    certification = make_certification(make_contract(contractor), "submitted")
    with pytest.raises(ValidationError, match="draft"):
        services.certification_document_attach(certification=certification, upload=pdf("other"), actor=None)


def test_an_incomplete_draft_cannot_be_submitted(contractor: Any) -> None:
    fields = services.CertificationDraftFields(cert_type="pcc6108", contract=make_contract(contractor))
    certification = services.certification_create(contractor=contractor, fields=fields, created_by=None, today=TODAY)
    with pytest.raises(ValidationError) as caught:
        services.certification_submit(certification=certification, actor=None)
    assert len(caught.value.messages) == 4
    certification.refresh_from_db()
    assert certification.status == "draft"


def test_only_a_draft_can_be_edited(contractor: Any) -> None:
    certification = make_certification(make_contract(contractor), "submitted")
    fields = services.CertificationDraftFields(cert_type="pcc6108", contract=certification.contract)
    with pytest.raises(ValidationError, match="Only a draft"):
        services.certification_update(certification=certification, fields=fields, actor=None)


# --- Every transition through the services --------------------------------------------------------------------


def _act(action: str, certification: Certification, staff: Any) -> None:
    actions: dict[str, Callable[[], Any]] = {
        "submit": lambda: services.certification_submit(certification=certification, actor=None),
        "verify": lambda: services.certification_verify(
            certification=certification, method="document_reviewed", verified_by=staff, today=TODAY
        ),
        "reject": lambda: services.certification_reject(certification=certification, reason="r", actor=staff),
        "reopen": lambda: services.certification_reopen(certification=certification, actor=None),
        "suspend": lambda: services.certification_suspend(certification=certification, reason="r", actor=staff),
        "reinstate": lambda: services.certification_reinstate(
            certification=certification, reason="r", actor=staff, today=TODAY
        ),
        "revoke": lambda: services.certification_revoke(certification=certification, reason="r", actor=staff),
        "not_applicable": lambda: services.certification_mark_not_applicable(
            certification=certification, reason="r", actor=staff
        ),
    }
    actions[action]()


ACTION_TARGETS = {
    "submit": "submitted",
    "verify": "verified",
    "reject": "rejected",
    "reopen": "draft",
    "suspend": "suspended",
    "reinstate": "active",
    "revoke": "revoked",
    "not_applicable": "not_applicable",
}


def _expected_allowed(status: str, action: str) -> bool:
    if action == "reinstate":
        return status == "suspended"
    return rules.transition_allowed(status, ACTION_TARGETS[action])


@pytest.mark.parametrize("action", list(ACTION_TARGETS))
@pytest.mark.parametrize("status", STATUSES)
def test_every_action_is_allowed_or_refused_from_every_status(
    status: str, action: str, contractor: Any, registry_staff: Any
) -> None:
    certification = certification_in(status, contractor)
    events = AuditEvent.objects.count()
    if _expected_allowed(status, action):
        _act(action, certification, registry_staff)
        certification.refresh_from_db()
        assert certification.status != status
        assert AuditEvent.objects.count() > events
    else:
        with pytest.raises(ValidationError):
            _act(action, certification, registry_staff)
        certification.refresh_from_db()
        assert certification.status == status
        assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("status", STATUSES)
def test_supersede_is_allowed_from_every_status_but_superseded(
    status: str, contractor: Any, registry_staff: Any
) -> None:
    certification = certification_in(status, contractor)
    replacement = make_draft(certification.contract)
    if status == "superseded":
        with pytest.raises(ValidationError):
            services.certification_supersede(
                certification=certification, replacement=replacement, reason="newer", actor=registry_staff
            )
        return
    services.certification_supersede(
        certification=certification, replacement=replacement, reason="newer", actor=registry_staff
    )
    certification.refresh_from_db()
    assert (certification.status, certification.superseded_by) == ("superseded", replacement)


def test_a_replacement_must_be_the_same_type_for_the_same_contract(contractor: Any, registry_staff: Any) -> None:
    certification = make_certification(make_contract(contractor))
    other_contract = make_draft(make_contract(contractor))
    other_type = make_draft(certification.contract, cert_type="sweatfree_code")
    for replacement in (other_contract, other_type, certification):
        with pytest.raises(ValidationError, match="same type"):
            services.certification_supersede(
                certification=certification, replacement=replacement, reason="x", actor=registry_staff
            )


def test_decisions_need_a_reason(contractor: Any, registry_staff: Any) -> None:
    certification = make_certification(make_contract(contractor), "submitted")
    with pytest.raises(ValidationError, match="reason"):
        services.certification_reject(certification=certification, reason="  ", actor=registry_staff)


# --- Verification, activation and expiry ----------------------------------------------------------------------


def test_verifying_records_how_and_who_and_activates_a_running_contract(contractor: Any, registry_staff: Any) -> None:
    certification = make_certification(make_contract(contractor), "submitted")
    services.certification_verify(
        certification=certification, method="agency_confirmed", verified_by=registry_staff, today=TODAY
    )
    certification.refresh_from_db()
    assert (certification.status, certification.verification_method) == ("active", "agency_confirmed")
    assert certification.verified_by == registry_staff
    assert (certification.effective_from, certification.effective_to) == (date(2026, 1, 1), date(2026, 12, 31))
    actions = list(AuditEvent.objects.filter(object_id=str(certification.pk)).values_list("action", flat=True))
    assert {"certification.verified", "certification.active"} <= set(actions)


def test_a_verified_certification_activates_when_the_contract_starts(contractor: Any) -> None:
    certification = make_certification(make_contract(contractor, dates=FUTURE), "verified")
    assert certification.status == "verified"
    assert services.certification_expire_due(today=date(2026, 5, 31)) == {"activated": 0, "expired": 0}
    assert services.certification_expire_due(today=FUTURE[0]) == {"activated": 1, "expired": 0}
    certification.refresh_from_db()
    assert certification.status == "active"


def test_the_daily_job_expires_certifications_after_the_contract_ends_and_is_idempotent(contractor: Any) -> None:
    certification = make_certification(make_contract(contractor))
    assert services.certification_expire_due(today=date(2026, 12, 31)) == {"activated": 0, "expired": 0}
    assert services.certification_expire_due(today=date(2027, 1, 1)) == {"activated": 0, "expired": 1}
    assert services.certification_expire_due(today=date(2027, 1, 1)) == {"activated": 0, "expired": 0}
    certification.refresh_from_db()
    assert certification.status == "expired"


def test_verifying_after_the_contract_ended_gives_expired(contractor: Any) -> None:
    certification = make_certification(make_contract(contractor, dates=ENDED), "verified")
    assert certification.status == "expired"


def test_a_newer_verified_certification_supersedes_the_older_one(contractor: Any, registry_staff: Any) -> None:
    contract = make_contract(contractor)
    older = make_certification(contract, staff=registry_staff)
    newer = make_certification(contract, staff=registry_staff)
    older.refresh_from_db()
    assert (older.status, older.superseded_by, newer.status) == ("superseded", newer, "active")


def test_reinstating_after_the_contract_ended_leaves_it_expired(contractor: Any, registry_staff: Any) -> None:
    certification = make_certification(make_contract(contractor), "suspended")
    services.certification_reinstate(
        certification=certification, reason="Cleared.", actor=registry_staff, today=date(2027, 2, 1)
    )
    assert certification.status == "expired"


# --- Public works, amendments ---------------------------------------------------------------------------------


def test_a_public_works_contract_yields_not_applicable(contractor: Any) -> None:
    contract = make_contract(contractor, category="public_works")
    fields = services.CertificationDraftFields(cert_type="pcc6108", contract=contract)
    certification = services.certification_create(contractor=contractor, fields=fields, created_by=None, today=TODAY)
    assert certification.status == "not_applicable"
    assert "Public works" in certification.status_reason


def test_an_amendment_extends_the_end_date_and_revives_an_expired_certification(
    contractor: Any, registry_staff: Any
) -> None:
    contract = make_contract(contractor, dates=ENDED)
    certification = make_certification(contract)
    assert certification.status == "expired"
    services.contract_amend(
        contract=contract,
        reference="A-1",
        signed_date=TODAY,
        new_end_date=date(2026, 6, 30),
        actor=registry_staff,
        today=TODAY,
    )
    certification.refresh_from_db()
    contract.refresh_from_db()
    assert (contract.end_date, certification.effective_to, certification.status) == (
        date(2026, 6, 30),
        date(2026, 6, 30),
        "active",
    )
    assert contract.amendments.get().previous_end_date == ENDED[1]


def test_an_amendment_must_extend_the_end_date(contractor: Any) -> None:
    contract = make_contract(contractor)
    with pytest.raises(ValidationError, match="extend"):
        services.contract_amend(
            contract=contract,
            reference="A-1",
            signed_date=TODAY,
            new_end_date=date(2026, 6, 1),
            actor=None,
            today=TODAY,
        )


# --- Sanctions ------------------------------------------------------------------------------------------------


def sanction(contractor: Any, **overrides: Any) -> Sanction:
    values: dict[str, Any] = {"kind": "other", "start_date": TODAY, "authority": "DGS"}
    values.update(overrides)
    return services.sanction_record(contractor=contractor, fields=services.SanctionFields(**values), created_by=None)


def test_a_bidders_list_removal_of_360_days_is_recorded(contractor: Any) -> None:
    recorded = sanction(contractor, kind="bidders_list_removal", end_date=date(2027, 2, 25))
    assert (recorded.end_date - recorded.start_date).days == 360


def test_a_bidders_list_removal_over_360_days_is_refused(contractor: Any) -> None:
    with pytest.raises(ValidationError, match="360 days"):
        sanction(contractor, kind="bidders_list_removal", end_date=date(2027, 2, 26))
    assert not Sanction.objects.exists()


def test_the_penalty_is_computed_from_the_tainted_goods(contractor: Any) -> None:
    assert sanction(contractor, kind="penalty", tainted_goods_value=Decimal("3000")).penalty_amount == Decimal(1000)
    assert sanction(contractor, kind="penalty", tainted_goods_value=Decimal("80000")).penalty_amount == Decimal(16000)


def test_a_wrong_penalty_amount_is_refused(contractor: Any) -> None:
    with pytest.raises(ValidationError, match="greater of"):
        sanction(contractor, kind="penalty", tainted_goods_value=Decimal("80000"), penalty_amount=Decimal("1000"))


def test_voiding_a_contract_revokes_its_certifications(contractor: Any) -> None:
    contract = make_contract(contractor)
    certification = make_certification(contract)
    sanction(contractor, kind="contract_voided", contract=contract)
    certification.refresh_from_db()
    assert certification.status == "revoked"


def test_a_payment_suspension_suspends_its_certifications(contractor: Any) -> None:
    contract = make_contract(contractor)
    certification = make_certification(contract)
    sanction(contractor, kind="payment_suspension", contract=contract)
    certification.refresh_from_db()
    assert certification.status == "suspended"


def test_sanctions_are_audited(contractor: Any, registry_staff: Any) -> None:
    services.sanction_record(
        contractor=contractor,
        fields=services.SanctionFields(kind="other", start_date=TODAY, authority="DGS"),
        created_by=registry_staff,
    )
    event = AuditEvent.objects.get(action="sanction.record")
    assert (event.actor, event.data["kind"]) == (registry_staff, "other")


# --- Signing key ----------------------------------------------------------------------------------------------


def test_the_configured_signing_key_is_used(settings: Any) -> None:
    seed = bytes(range(32))
    settings.REGISTRY_SIGNING_KEY = base64.b64encode(seed).decode()
    expected = signing.key_id(signing.public_key_raw(signing.private_key_from_seed(seed)))
    assert list(services.registry_public_keys()) == [expected]


def test_without_a_configured_key_it_is_derived_from_the_secret_key(settings: Any) -> None:
    settings.REGISTRY_SIGNING_KEY = None
    settings.SECRET_KEY = "one-secret-" + "x" * 40
    first = list(services.registry_public_keys())
    assert list(services.registry_public_keys()) == first
    settings.SECRET_KEY = "another-secret-" + "x" * 40
    assert list(services.registry_public_keys()) != first
