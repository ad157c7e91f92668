"""The reviewer queue: what waits, oldest first, filters, overrides with reasons and contest resolution."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from disclosures.models import (
    Certification,
    Company,
    Disclosure,
    DisclosureScore,
    Finding,
    FindingContest,
    Membership,
    Notification,
)
from disclosures.models.registry import CertificationStatus, CertificationType
from disclosures.selectors.reviews import QueueFilters, finding_history, review_queue
from disclosures.services.companies import membership_request
from disclosures.services.reviews import (
    disclosure_review_complete,
    finding_contest_open,
    finding_contest_resolve,
    finding_override,
)
from tests.factories import (
    ContractorFactory,
    DisclosureFactory,
    DisclosureScoreFactory,
    FindingFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

T1 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
EXPLANATION = "Page 2 says every audit is unannounced and done by an independent firm."


def scored(company: Company, *, status: str = Disclosure.Status.SCORED, when: dt.datetime = T1) -> DisclosureScore:
    with time_machine.travel(when, tick=False):
        disclosure = DisclosureFactory(company=company, status=status)
        score = DisclosureScoreFactory(disclosure=disclosure)
    FindingFactory(score=score, area="audits", status="does_hedged")
    FindingFactory(score=score, area="training", status="unclear", confidence=0.4)
    return score


def audits_of(score: DisclosureScore) -> Finding:
    return score.findings.get(area="audits")


def contest(score: DisclosureScore, user: Any, when: dt.datetime = T1) -> FindingContest:
    with time_machine.travel(when, tick=False):
        return finding_contest_open(finding=audits_of(score), user=user, explanation=EXPLANATION)


# --- who sees the queue --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cast", "status"),
    [
        ("reviewer", 200),
        ("registry_staff", 200),
        ("superuser", 200),
        ("representative", 403),
        ("officer", 403),
        ("shopper", 403),
    ],
)
def test_only_reviewers_and_registry_staff_see_the_queue(
    client: Client, request: pytest.FixtureRequest, cast: str, status: int
) -> None:
    client.force_login(request.getfixturevalue(cast))

    assert client.get(reverse("review:queue")).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("review:queue"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- what waits ---------------------------------------------------------------------------------------------------


def everything_waiting(company: Company, representative: Any) -> dict[str, Any]:
    with time_machine.travel(T1 + dt.timedelta(days=3), tick=False):
        certification = Certification.objects.create(
            number="CA-2026-000001",
            contractor=ContractorFactory(),
            cert_type=CertificationType.PCC6108,
            status=CertificationStatus.SUBMITTED,
            submitted_at=T1 + dt.timedelta(days=3),
        )
    with time_machine.travel(T1 + dt.timedelta(days=2), tick=False):
        membership = membership_request(user=UserFactory(username="ana", email="ana@gmail.com"), company=company)
    needs_review = scored(company, status=Disclosure.Status.NEEDS_REVIEW, when=T1)
    open_contest = contest(scored(company), representative, when=T1 + dt.timedelta(days=1))
    return {
        "disclosure": needs_review.disclosure,
        "contest": open_contest,
        "membership": membership,
        "certification": certification,
    }


def test_the_queue_holds_all_four_kinds_oldest_first(company: Company, representative: Any) -> None:
    waiting = everything_waiting(company, representative)
    DisclosureFactory(company=company, status=Disclosure.Status.SCORED)  # not waiting

    items = review_queue(filters=QueueFilters())

    assert [(item.kind, item.obj) for item in items] == [
        ("disclosure", waiting["disclosure"]),
        ("contest", waiting["contest"]),
        ("membership", waiting["membership"]),
        ("certification", waiting["certification"]),
    ]


def test_the_queue_filters_by_kind_company_and_area(
    company: Company, other_company: Company, representative: Any, other_representative: Any
) -> None:
    everything_waiting(company, representative)
    contest(scored(other_company), other_representative)

    by_kind = review_queue(filters=QueueFilters(kind="contest"))
    by_company = review_queue(filters=QueueFilters(company=other_company.slug))
    by_area = review_queue(filters=QueueFilters(area="training"))

    assert [item.kind for item in by_kind] == ["contest", "contest"]
    assert [item.company for item in by_company] == [other_company]
    assert [item.kind for item in by_area] == ["disclosure"]  # its unclear training finding waits


def test_unknown_filter_values_are_ignored_rather_than_an_error(client: Client, reviewer: Any) -> None:
    client.force_login(reviewer)

    response = client.get(reverse("review:queue"), {"kind": "bogus", "area": "<script>", "page": "zz"})

    assert response.status_code == 200
    assert response.context["filters"] == QueueFilters()


def test_the_queue_page_links_each_item_to_where_it_is_decided(
    client: Client, company: Company, representative: Any, reviewer: Any
) -> None:
    waiting = everything_waiting(company, representative)
    client.force_login(reviewer)

    html = client.get(reverse("review:queue")).content.decode()

    assert reverse("review:disclosure", kwargs={"pk": waiting["disclosure"].pk}) in html
    assert reverse("review:contest", kwargs={"pk": waiting["contest"].pk}) in html
    assert reverse("review:membership", kwargs={"pk": waiting["membership"].pk}) in html
    assert "CA-2026-000001" in html


# --- overrides -------------------------------------------------------------------------------------------------


def test_an_override_needs_a_reason(company: Company, reviewer: Any) -> None:
    finding = audits_of(scored(company))

    with pytest.raises(ValidationError) as error:
        finding_override(finding=finding, user=reviewer, status="does", reason="   ")

    assert "reason" in error.value.message_dict
    assert Finding.objects.get(pk=finding.pk).overridden_status == ""


def test_an_override_keeps_the_scorers_status_and_its_history(company: Company, reviewer: Any) -> None:
    finding = audits_of(scored(company))

    finding_override(finding=finding, user=reviewer, status="does", reason="Page 2 states annual audits.")

    finding.refresh_from_db()
    assert finding.status == "does_hedged"
    assert finding.effective_status == "does"
    assert finding.overridden_by == reviewer
    assert finding.override_reason == "Page 2 states annual audits."
    history = finding_history(finding=finding)
    assert [(h.status, h.overridden_status) for h in history] == [("does_hedged", "does"), ("does_hedged", "")]
    assert history[0].history_user == reviewer


def test_choosing_the_scorers_status_again_removes_the_override(company: Company, reviewer: Any) -> None:
    finding = audits_of(scored(company))
    finding_override(finding=finding, user=reviewer, status="does", reason="Page 2.")

    finding_override(finding=finding, user=reviewer, status="does_hedged", reason="Page 2 is conditional after all.")

    finding.refresh_from_db()
    assert not finding.is_overridden
    assert finding.effective_status == "does_hedged"


def test_only_reviewers_override(company: Company, representative: Any, registry_staff: Any) -> None:
    finding = audits_of(scored(company))

    for user in (representative, registry_staff):
        with pytest.raises(PermissionDenied):
            finding_override(finding=finding, user=user, status="does", reason="I say so.")


def test_the_override_page_shows_a_form_error_without_a_reason_and_overrides_with_one(
    client: Client, company: Company, reviewer: Any
) -> None:
    finding = audits_of(scored(company))
    client.force_login(reviewer)
    url = reverse("review:override", kwargs={"pk": finding.pk})
    prefix = f"finding-{finding.pk}"

    without = client.post(url, {f"{prefix}-status": "does", f"{prefix}-reason": ""})
    with_reason = client.post(url, {f"{prefix}-status": "does", f"{prefix}-reason": "Page 2 is explicit."})

    assert without.status_code == 400
    assert without.context["form"].errors["reason"]
    assert with_reason.status_code == 302
    assert Finding.objects.get(pk=finding.pk).effective_status == "does"


def test_an_overridden_finding_is_shown_as_overridden_with_the_original_kept(
    client: Client, company: Company, reviewer: Any, representative: Any
) -> None:
    score = scored(company)
    finding_override(finding=audits_of(score), user=reviewer, status="does", reason="Page 2 is explicit.")
    client.force_login(representative)

    html = client.get(
        reverse("portal:disclosure", kwargs={"slug": company.slug, "pk": score.disclosure_id})
    ).content.decode()

    assert 'id="finding-audits-overridden"' in html
    assert "Page 2 is explicit." in html
    assert "Hedged" in html


def test_the_override_api_answers_400_without_a_reason_and_200_with_one(company: Company, reviewer: Any) -> None:
    finding = audits_of(scored(company))
    api = APIClient()
    api.force_authenticate(reviewer)
    url = f"/api/v1/review/findings/{finding.pk}/override/"

    without = api.post(url, {"status": "does"}, format="json")
    blank = api.post(url, {"status": "does", "reason": " "}, format="json")
    with_reason = api.post(url, {"status": "does", "reason": "Page 2 is explicit."}, format="json")

    assert without.status_code == blank.status_code == 400
    assert "detail" in without.json()
    assert with_reason.status_code == 200
    assert with_reason.json()["status"] == "does_hedged"
    assert with_reason.json()["effective_status"] == "does"


def test_the_override_api_refuses_representatives(company: Company, representative: Any) -> None:
    finding = audits_of(scored(company))
    api = APIClient()
    api.force_authenticate(representative)

    response = api.post(f"/api/v1/review/findings/{finding.pk}/override/", {"status": "does", "reason": "x"})

    assert response.status_code == 403
    assert not Finding.objects.get(pk=finding.pk).is_overridden


# --- contests ----------------------------------------------------------------------------------------------------


def test_an_upheld_contest_overrides_the_finding_and_notifies_the_company(
    company: Company, representative: Any, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    colleague = UserFactory(username="colleague", email="colleague@northwind-apparel.example")
    MembershipFactory(user=colleague, company=company)
    open_contest = contest(scored(company), representative)

    with django_capture_on_commit_callbacks(execute=True):
        finding_contest_resolve(
            contest=open_contest, user=reviewer, upheld=True, status="does", note="Page 2 is explicit."
        )

    open_contest.refresh_from_db()
    assert open_contest.status == FindingContest.Status.UPHELD
    assert open_contest.resolved_by == reviewer
    finding = open_contest.finding
    assert finding.effective_status == "does"
    assert finding.status == "does_hedged"
    assert "Contest upheld" in finding.override_reason
    notified = set(Notification.objects.filter(kind=Notification.Kind.CONTEST_RESOLVED).values_list("user", flat=True))
    assert notified == {representative.pk, colleague.pk}
    assert "upheld" in mail.outbox[0].subject or "upheld" in mail.outbox[0].body


def test_a_dismissed_contest_leaves_the_finding_as_it_was_and_notifies_the_company(
    company: Company, representative: Any, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    open_contest = contest(scored(company), representative)

    with django_capture_on_commit_callbacks(execute=True):
        finding_contest_resolve(contest=open_contest, user=reviewer, upheld=False, note="Page 2 is conditional.")

    open_contest.refresh_from_db()
    assert open_contest.status == FindingContest.Status.DISMISSED
    assert not open_contest.finding.is_overridden
    message = Notification.objects.get(user=representative).message
    assert "dismissed" in message
    assert "Page 2 is conditional." in message


def test_upholding_needs_the_new_status_and_every_outcome_needs_a_note(
    company: Company, representative: Any, reviewer: Any
) -> None:
    open_contest = contest(scored(company), representative)

    with pytest.raises(ValidationError):
        finding_contest_resolve(contest=open_contest, user=reviewer, upheld=True, note="Right.")
    with pytest.raises(ValidationError):
        finding_contest_resolve(contest=open_contest, user=reviewer, upheld=False, note="")

    assert FindingContest.objects.get(pk=open_contest.pk).status == FindingContest.Status.OPEN


def test_a_resolved_contest_cannot_be_resolved_again(company: Company, representative: Any, reviewer: Any) -> None:
    open_contest = contest(scored(company), representative)
    finding_contest_resolve(contest=open_contest, user=reviewer, upheld=False, note="Stands.")

    with pytest.raises(ValidationError):
        finding_contest_resolve(contest=open_contest, user=reviewer, upheld=True, status="does", note="Changed mind.")


def test_the_contest_page_resolves_it(client: Client, company: Company, representative: Any, reviewer: Any) -> None:
    open_contest = contest(scored(company), representative)
    client.force_login(reviewer)
    url = reverse("review:contest", kwargs={"pk": open_contest.pk})

    page = client.get(url)
    missing_status = client.post(url, {"outcome": "upheld", "status": "", "note": "Right."})
    resolved = client.post(url, {"outcome": "upheld", "status": "does", "note": "Page 2 is explicit."})

    assert EXPLANATION in page.content.decode()
    assert missing_status.status_code == 400
    assert missing_status.context["form"].errors["status"]
    assert resolved.status_code == 302
    assert FindingContest.objects.get(pk=open_contest.pk).status == FindingContest.Status.UPHELD


def test_the_contest_api_resolves_it(company: Company, representative: Any, reviewer: Any) -> None:
    open_contest = contest(scored(company), representative)
    api = APIClient()
    api.force_authenticate(reviewer)

    response = api.post(
        f"/api/v1/review/contests/{open_contest.pk}/resolve/", {"outcome": "dismissed", "note": "Stands."}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "dismissed"


def test_a_contest_of_an_unpublished_disclosure_is_refused(company: Company, representative: Any) -> None:
    finding = audits_of(scored(company, status=Disclosure.Status.FAILED))

    with pytest.raises(ValidationError):
        finding_contest_open(finding=finding, user=representative, explanation=EXPLANATION)


# --- needs_review ------------------------------------------------------------------------------------------------


def test_a_reviewer_marks_a_disclosure_reviewed_and_it_leaves_the_queue(
    client: Client, company: Company, reviewer: Any
) -> None:
    disclosure = scored(company, status=Disclosure.Status.NEEDS_REVIEW).disclosure
    client.force_login(reviewer)

    page = client.get(reverse("review:disclosure", kwargs={"pk": disclosure.pk}))
    response = client.post(reverse("review:disclosure_complete", kwargs={"pk": disclosure.pk}))

    assert 'id="override-form-training"' in page.content.decode()
    assert response.status_code == 302
    assert Disclosure.objects.get(pk=disclosure.pk).status == Disclosure.Status.SCORED
    assert review_queue(filters=QueueFilters(kind="disclosure")) == []


def test_a_disclosure_not_waiting_cannot_be_marked_reviewed(company: Company, reviewer: Any) -> None:
    disclosure = scored(company).disclosure

    with pytest.raises(ValidationError):
        disclosure_review_complete(disclosure=disclosure, user=reviewer)


def test_membership_requests_leave_the_queue_once_decided(client: Client, company: Company, reviewer: Any) -> None:
    membership = membership_request(user=UserFactory(username="ana"), company=company)
    client.force_login(reviewer)

    client.post(reverse("review:membership", kwargs={"pk": membership.pk}), {"decision": "approve"})

    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.APPROVED
    assert review_queue(filters=QueueFilters(kind="membership")) == []


def test_every_review_page_renders_for_a_reviewer(
    client: Client, company: Company, representative: Any, reviewer: Any
) -> None:
    waiting = everything_waiting(company, representative)
    client.force_login(reviewer)
    urls = [
        reverse("review:queue"),
        reverse("review:queue") + f"?kind=contest&company={company.slug}&area=audits",
        reverse("review:disclosure", kwargs={"pk": waiting["disclosure"].pk}),
        reverse("review:override", kwargs={"pk": audits_of(waiting["disclosure"].scores.get()).pk}),
        reverse("review:contest", kwargs={"pk": waiting["contest"].pk}),
        reverse("review:membership", kwargs={"pk": waiting["membership"].pk}),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"style=" not in response.content, url


def test_the_queue_makes_the_same_number_of_queries_for_few_or_many_items(
    client: Client, company: Company, representative: Any, reviewer: Any
) -> None:
    client.force_login(reviewer)
    everything_waiting(company, representative)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("review:queue")).status_code == 200
        return len(captured)

    few = count()
    for index in range(4):
        scored(company, status=Disclosure.Status.NEEDS_REVIEW)
        contest(scored(company), representative)
        membership_request(user=UserFactory(username=f"asker{index}"), company=company)

    assert count() == few


def test_an_override_recomputes_the_shown_scores_and_keeps_the_scorers_own(reviewer, company) -> None:
    from disclosures.models import DisclosureScore
    from disclosures.services.disclosures import disclosure_process, disclosure_submit
    from disclosures.services.reviews import finding_override

    text = (
        "We conduct unannounced audits of all suppliers every year, performed by independent third-party auditors. "
        "We assess risks in our supply chain through a third-party risk assessment. "
        "Suppliers must certify that materials comply with laws on slavery and human trafficking. "
        "Employees who violate our forced labor policy face disciplinary action up to termination. "
        "Sourcing staff receive annual training on human trafficking and forced labor."
    )
    disclosure, _ = disclosure_submit(company=company, submitted_by=reviewer, text=text)
    disclosure_process(disclosure_id=disclosure.pk)
    score = DisclosureScore.objects.get(disclosure=disclosure)
    before = (score.compliance_score, score.practice_score, score.grade)
    audits = score.findings.get(area="audits")
    assert audits.status == "does"

    finding_override(finding=audits, user=reviewer, status="silent", reason="The audit sentence is about a plan.")

    score.refresh_from_db()
    assert score.compliance_score < before[0]
    assert score.practice_score < before[1]
    assert score.automatic == {
        "compliance_score": before[0],
        "practice_score": before[1],
        "tier": score.automatic["tier"],
        "grade": before[2],
    }
    finding_override(finding=audits, user=reviewer, status="does", reason="On reflection the scorer was right.")
    score.refresh_from_db()
    assert (score.compliance_score, score.practice_score, score.grade) == before
