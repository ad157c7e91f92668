"""Thirty files of the hostile-PDF corpus through the real intake: ``disclosure_submit(upload=...)`` and the worker.

The corpus test (``tests/unit/test_hostile_pdf_corpus.py``) proves the worker's extraction survives all thousand
files; this proves the pipeline around it turns each outcome into the right row: ``scored``/``needs_review``, or
``failed`` with its own code and a plain reason (never ``internal_error``), the original bytes always kept. The
sample takes the crafted attacks of every kind (two bombs included) and a spread of randomly damaged real files.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosures.core.extraction import ERROR_CODES
from disclosures.models import Disclosure, DisclosurePage, DisclosureScore
from disclosures.services.disclosures import disclosure_submit
from tests.fixtures import mutations

pytestmark = pytest.mark.django_db

SAMPLE_SIZE = 30
PUBLISHED = {Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW}


def sample() -> list[mutations.Mutant]:
    """Two of each kind of attack, then every 37th file of the rest, up to thirty: the same thirty every run."""
    corpus = mutations.corpus()
    by_kind: dict[str, list[mutations.Mutant]] = defaultdict(list)
    for mutant in corpus:
        by_kind[mutant.kind].append(mutant)
    chosen = [mutant for kind in mutations.KINDS for mutant in by_kind[kind][:2]]
    chosen += [mutant for mutant in corpus[::37] if mutant not in chosen]
    return chosen[:SAMPLE_SIZE]


@pytest.mark.parametrize("mutant", sample(), ids=lambda mutant: mutant.name)
def test_a_hostile_pdf_ends_published_or_failed_with_a_reason_and_is_kept(
    company: Any, representative: Any, django_capture_on_commit_callbacks: Any, mutant: mutations.Mutant
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        disclosure, created = disclosure_submit(
            company=company, submitted_by=representative, upload=SimpleUploadedFile("statement.pdf", mutant.data)
        )
    assert created
    disclosure.refresh_from_db()
    assert disclosure.status in PUBLISHED | {Disclosure.Status.FAILED}
    if disclosure.status == Disclosure.Status.FAILED:
        assert disclosure.failure_code in {*ERROR_CODES, "no_text"}, (
            disclosure.failure_code,
            disclosure.failure_reason,
        )
        assert disclosure.failure_reason.strip()
        assert not DisclosureScore.objects.filter(disclosure=disclosure).exists()
    else:
        assert DisclosurePage.objects.filter(disclosure=disclosure).count() == disclosure.page_count >= 1
        assert DisclosureScore.objects.filter(disclosure=disclosure).count() == 1
    with disclosure.original_file.open("rb") as kept:
        assert hashlib.sha256(kept.read()).hexdigest() == disclosure.sha256 == hashlib.sha256(mutant.data).hexdigest()


def test_the_sample_holds_every_kind_of_attack_and_a_bomb() -> None:
    chosen = sample()
    assert len(chosen) == SAMPLE_SIZE
    assert {mutant.kind for mutant in chosen} == set(mutations.KINDS)
    assert any(mutant.kind == "decompression_bomb" for mutant in chosen)
