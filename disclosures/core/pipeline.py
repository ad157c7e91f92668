"""One file in, one JSON-ready result out: extraction plus scoring, each timed (DESIGN.md §5.1).

Django-free, so ``manage.py score_file`` stays a thin loop and ``bench parse`` measures exactly what it runs.
Results are plain dicts: ``{"source", "rubric", "pages", "areas", ..., "timings_ms"}`` on success and
``{"source", "error", "code"}`` when the file cannot be read.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from disclosures.core.extraction import TOO_LARGE, extract
from disclosures.core.rubric import Rubric
from disclosures.core.scoring import score_document
from disclosures.core.types import ExtractionError

NOT_FOUND = "not_found"
NOT_A_FILE = "not_a_file"
UNREADABLE = "unreadable"
INTERNAL_ERROR = "internal_error"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def process_path(
    path: Path,
    *,
    source: str | None = None,
    rubric: Rubric | None = None,
    max_pages: int = 500,
    max_chars: int = 2_000_000,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> dict[str, Any]:
    """Read ``path`` and score it; every failure becomes an error result with a plain-language reason."""
    label = source if source is not None else str(path)
    try:
        data = read_file(path, max_bytes=max_bytes)
    except ExtractionError as error:
        return error_result(label, error)
    return process_bytes(data, source=label, rubric=rubric, max_pages=max_pages, max_chars=max_chars)


def read_file(path: Path, *, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ExtractionError(NOT_A_FILE, "This is a folder, not a file.")
        if size > max_bytes:
            raise ExtractionError(
                TOO_LARGE, f"The file is {size / 2**20:.1f} MB; the limit is {max_bytes / 2**20:.1f} MB."
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise ExtractionError(NOT_FOUND, "There is no file at this path.") from None
    except PermissionError:
        raise ExtractionError(UNREADABLE, "This file cannot be opened: permission denied.") from None
    except OSError as error:
        raise ExtractionError(UNREADABLE, f"This file cannot be read ({error.strerror or 'I/O error'}).") from None


def process_bytes(
    data: bytes, *, source: str, rubric: Rubric | None = None, max_pages: int = 500, max_chars: int = 2_000_000
) -> dict[str, Any]:
    """Extract and score ``data``; the result follows DESIGN.md §5.1, with extra keys after the contract's."""
    started = time.perf_counter()
    try:
        document = extract(data, max_pages=max_pages, max_chars=max_chars)
    except ExtractionError as error:
        return error_result(source, error)
    extracted = time.perf_counter()
    card = score_document(document, rubric)
    scored = time.perf_counter()
    card_data = card.to_dict()
    return {
        "source": source,
        "rubric": card_data.pop("rubric"),
        "pages": document.page_count,
        "areas": card_data.pop("areas"),
        "compliance_score": card_data.pop("compliance_score"),
        "practice_score": card_data.pop("practice_score"),
        "tier": card_data.pop("tier"),
        "grade": card_data.pop("grade"),
        "flags": card_data.pop("flags"),
        **card_data,
        "kind": document.kind,
        "title": document.title,
        "reporting_period": document.reporting_period,
        "timings_ms": {
            "extract": round((extracted - started) * 1000, 1),
            "score": round((scored - extracted) * 1000, 1),
        },
    }


def error_result(source: str, error: ExtractionError) -> dict[str, Any]:
    return {"source": source, "error": error.reason, "code": error.code}


def internal_error_result(source: str, error: Exception) -> dict[str, Any]:
    """For bugs, not bad input: still one JSON object, never a traceback on the user's screen."""
    return {
        "source": source,
        "error": f"This file could not be processed because of an internal error ({type(error).__name__}).",
        "code": INTERNAL_ERROR,
    }
