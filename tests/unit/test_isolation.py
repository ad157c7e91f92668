"""Extraction in a forked child: same answers as in-process, and a hostile file can only kill the child."""

from __future__ import annotations

import os
import resource

import pytest

from disclosures.core.extraction import BOMB, ENCRYPTED, TOO_SLOW, extract
from disclosures.core.isolation import IsolatedExtractionCrashError, extract_isolated
from disclosures.core.types import ExtractionError
from tests.fixtures import mutations
from tests.fixtures.pdfs import encrypted_pdf, multipage_pdf

LIMITS = {"time_limit": 20.0, "memory_limit": 768 * 1024 * 1024}


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_a_good_pdf_reads_exactly_as_it_does_in_process() -> None:
    data = multipage_pdf(pages=4)
    assert extract_isolated(data, **LIMITS) == extract(data)
    assert _no_children_left()


def test_progress_is_reported_in_the_callers_process() -> None:
    seen: list[tuple[int, int, int]] = []
    extract_isolated(
        multipage_pdf(pages=3), on_progress=lambda done, total: seen.append((done, total, os.getpid())), **LIMITS
    )
    assert [(done, total) for done, total, _pid in seen] == [(1, 3), (2, 3), (3, 3)]
    assert {pid for *_rest, pid in seen} == {os.getpid()}


def test_a_reasoned_failure_keeps_its_code_and_reason() -> None:
    with pytest.raises(ExtractionError) as failure:
        extract_isolated(encrypted_pdf(), **LIMITS)
    assert failure.value.code == ENCRYPTED
    assert "password" in failure.value.reason


def test_a_decompression_bomb_kills_only_the_child_and_ends_as_a_bomb() -> None:
    # ~1 s: pdfium inflates until the child's 768 MB cap, aborts, and the caller reads that as a bomb.
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ExtractionError) as failure:
        extract_isolated(mutations.one_page(mutations.bomb(2 * mutations.GiB)), **LIMITS)
    assert failure.value.code == BOMB
    assert "memory" in failure.value.reason
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # KB: the caller did not grow
    assert _no_children_left()


def test_a_page_that_outlasts_the_limit_is_cut_off_from_outside() -> None:
    # A million compressed text operators keep pdfium busy on one page for about a minute without a chance to check
    # the clock (and would need gigabytes at the end); the caller kills the child 2 s after the 0.5 s limit, long
    # before the generous memory cap matters.
    slow = mutations.one_page(mutations.flate(mutations.text_bomb(1_000_000)))
    with pytest.raises(ExtractionError) as failure:
        extract_isolated(slow, time_limit=0.5, memory_limit=16 * 1024 * 1024 * 1024)
    assert failure.value.code == TOO_SLOW
    assert _no_children_left()


def test_a_bug_in_extraction_surfaces_as_a_bug_not_as_a_reason() -> None:
    with pytest.raises(IsolatedExtractionCrashError, match="TypeError"):
        extract_isolated(multipage_pdf(pages=1), max_pages="many", **LIMITS)


def test_an_error_in_the_progress_callback_reaches_the_caller_and_leaves_no_child() -> None:
    def database_down(done: int, total: int) -> None:
        raise ConnectionError("the database went away")

    with pytest.raises(ConnectionError):
        extract_isolated(multipage_pdf(pages=3), on_progress=database_down, **LIMITS)
    assert _no_children_left()
