"""``manage.py rescore``: stored pages scored again, and a rubric change told apart from a plain re-score."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from disclosures.core.rubric import CURRENT_RUBRIC, rubric_sha256
from disclosures.models import Disclosure, DisclosurePage, DisclosureScore, Finding
from disclosures.services.disclosures import disclosure_rescore_all, disclosure_submit
from tests.factories import DisclosureFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "We engage an independent third party to conduct verification of product supply chains to evaluate and "
    "address risks of human trafficking and slavery. Our suppliers are subject to unannounced audits performed "
    "by an independent auditing firm. We require direct suppliers to certify that materials incorporated into "
    "our products comply with the laws regarding slavery and human trafficking. We maintain internal "
    "accountability standards and procedures for employees and contractors failing to meet company standards. "
    "We provide training on human trafficking and slavery to managers responsible for supply chains."
)


@pytest.fixture
def submit(representative: Any, django_capture_on_commit_callbacks: Any) -> Any:
    def run(company: Any, text: str = TEXT) -> Disclosure:
        with django_capture_on_commit_callbacks(execute=True):
            disclosure, _ = disclosure_submit(company=company, submitted_by=representative, text=text)
        disclosure.refresh_from_db()
        return disclosure

    return run


def rescore(*args: str) -> str:
    out = StringIO()
    call_command("rescore", *args, stdout=out)
    return out.getvalue()


def test_it_rescores_with_the_same_rubric_as_a_plain_rescore(company: Any, submit: Any) -> None:
    disclosure = submit(company)
    before = disclosure.scores.get()
    assert rescore() == f"Re-scored 1 disclosures with rubric {CURRENT_RUBRIC}.\n"
    after = disclosure.scores.get()
    assert after.pk == before.pk
    assert after.cause == DisclosureScore.Cause.RESCORE
    assert after.scored_at > before.scored_at
    assert (after.compliance_score, after.grade) == (before.compliance_score, before.grade)
    assert Finding.objects.filter(score=after).count() == 5


def test_it_scores_the_stored_pages_without_reading_the_file_again(company: Any, submit: Any) -> None:
    disclosure = submit(company)
    assert disclosure.scores.get().compliance_score > 0
    DisclosurePage.objects.filter(disclosure=disclosure).update(text="Our company sells shoes.")
    rescore("--rubric", CURRENT_RUBRIC)
    score = disclosure.scores.get()
    assert set(score.findings.values_list("status", flat=True)) == {"silent"}
    assert DisclosurePage.objects.get(disclosure=disclosure).text == "Our company sells shoes."


def test_a_changed_rubric_file_is_recorded_as_a_rubric_change(company: Any, submit: Any) -> None:
    disclosure = submit(company)
    DisclosureScore.objects.filter(disclosure=disclosure).update(rubric_sha256="0" * 64)
    rescore()
    score = disclosure.scores.get()
    assert score.cause == DisclosureScore.Cause.RUBRIC_CHANGE
    assert score.rubric_sha256 == rubric_sha256(CURRENT_RUBRIC)


def test_a_new_rubric_version_adds_a_score_and_keeps_the_old_one(company: Any, submit: Any) -> None:
    disclosure = submit(company)
    DisclosureScore.objects.filter(disclosure=disclosure).update(rubric_version="ctsca-0")
    rescore()
    scores = dict(disclosure.scores.values_list("rubric_version", "cause"))
    assert scores == {"ctsca-0": "new_disclosure", CURRENT_RUBRIC: "rubric_change"}


def test_a_reviewers_override_survives_and_settles_the_review(
    company: Any, submit: Any, reviewer: Any, samples_dir: Path
) -> None:
    disclosure = submit(company, (samples_dir / "ctsca" / "natures-ingredients.txt").read_text())
    assert disclosure.status == Disclosure.Status.NEEDS_REVIEW
    unclear = Finding.objects.filter(score__disclosure=disclosure, status="unclear")
    assert unclear.exists()
    for finding in unclear:
        finding.overridden_status, finding.override_reason, finding.overridden_by = "does", "Read it.", reviewer
        finding.save()
    rescore()
    disclosure.refresh_from_db()
    assert disclosure.status == Disclosure.Status.SCORED
    assert not Finding.objects.filter(score__disclosure=disclosure, status="unclear", overridden_status="").exists()


def test_unfinished_and_failed_disclosures_are_skipped(company: Any, submit: Any) -> None:
    DisclosureFactory(company=company, status=Disclosure.Status.EXTRACTING)
    DisclosureFactory(company=company, status=Disclosure.Status.FAILED, failure_code="encrypted")
    submit(company)
    assert disclosure_rescore_all(rubric_version=CURRENT_RUBRIC) == 1
    assert DisclosureScore.objects.count() == 1


def test_an_unknown_rubric_is_a_clear_error(company: Any, submit: Any) -> None:
    submit(company)
    with pytest.raises(CommandError, match="Cannot re-score with rubric 'ctsca-99'"):
        rescore("--rubric", "ctsca-99")
    assert DisclosureScore.objects.get().cause == DisclosureScore.Cause.NEW_DISCLOSURE
