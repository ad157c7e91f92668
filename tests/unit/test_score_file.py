"""``manage.py score_file`` (DESIGN.md §5.1): the JSON contract, --jsonl, and bad files mixed with good ones.

No database: pytest-django refuses database access in these tests, so a query would fail them.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from disclosures.core.types import AREAS, STATUSES
from tests.fixtures import pdfs

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
CONTRACT_KEYS = (
    "source",
    "rubric",
    "pages",
    "areas",
    "compliance_score",
    "practice_score",
    "tier",
    "grade",
    "flags",
    "timings_ms",
)
SCANNED_REASON = (
    "This PDF has no selectable text: it looks like a scanned image. Upload a PDF with a text layer "
    "(for example one saved from Word or a web page), or paste the statement's text instead."
)


def _run(*args: str) -> tuple[list[dict[str, Any]], CommandError | None]:
    """Run the command; return every JSON object it printed and the error it ended with, if any."""
    out = io.StringIO()
    failure: CommandError | None = None
    try:
        call_command("score_file", *args, stdout=out)
    except CommandError as error:
        failure = error
    return _objects(out.getvalue()), failure


def _objects(output: str) -> list[dict[str, Any]]:
    decoder = json.JSONDecoder()
    objects: list[dict[str, Any]] = []
    position = 0
    while position < len(output.rstrip()):
        while output[position].isspace():
            position += 1
        value, position = decoder.raw_decode(output, position)
        objects.append(value)
    return objects


def _assert_contract(result: dict[str, Any]) -> None:
    assert list(result)[: len(CONTRACT_KEYS) - 1] == list(CONTRACT_KEYS[:-1])
    assert "timings_ms" in result
    assert tuple(result["areas"]) == AREAS
    for finding in result["areas"].values():
        assert finding["status"] in STATUSES
        assert isinstance(finding["qualifiers"], dict)
        for evidence in finding["evidence"]:
            assert set(evidence) == {"quote", "page", "start", "end"}
    assert isinstance(result["compliance_score"], int)
    assert isinstance(result["practice_score"], int)
    assert isinstance(result["flags"], list)
    assert set(result["timings_ms"]) >= {"extract", "score"}
    assert all(isinstance(value, float) and value >= 0 for value in result["timings_ms"].values())


@pytest.fixture
def good_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "statement.bin"  # the name says nothing: content decides
    path.write_bytes(pdfs.multipage_pdf(pages=3))
    return path


@pytest.fixture
def good_text(tmp_path: Path) -> Path:
    path = tmp_path / "statement.pdf"  # misleading extension on purpose
    path.write_text(
        "Supply Chain Disclosure\n\nWe engage an independent third party to conduct unannounced audits of our "
        "suppliers.\fWe train our buyers on human trafficking every year.\n",
        encoding="utf-8",
    )
    return path


def test_it_prints_the_contract_shape_for_a_pdf(good_pdf: Path) -> None:
    results, failure = _run(str(good_pdf))
    assert failure is None
    assert len(results) == 1
    result = results[0]
    _assert_contract(result)
    assert result["source"] == str(good_pdf)
    assert result["rubric"] == "ctsca-1"
    assert result["pages"] == 3
    assert result["kind"] == "pdf"


def test_evidence_offsets_point_into_the_extracted_pages(good_text: Path) -> None:
    from disclosures.core.extraction import extract

    pages = extract(good_text.read_bytes()).pages
    results, _ = _run(str(good_text))
    result = results[0]
    assert (result["kind"], result["pages"]) == ("text", 2)
    quoted = [evidence for finding in result["areas"].values() for evidence in finding["evidence"]]
    assert quoted
    for evidence in quoted:
        span = pages[evidence["page"] - 1][evidence["start"] : evidence["end"]]
        # Quotes longer than 300 characters are cut and end with an ellipsis.
        assert span == evidence["quote"] or span.startswith(evidence["quote"].removesuffix("\u2026"))


def test_it_prints_one_object_per_line_with_jsonl(good_pdf: Path, good_text: Path) -> None:
    out = io.StringIO()
    call_command("score_file", str(good_pdf), str(good_text), "--jsonl", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    for line, path in zip(lines, (good_pdf, good_text), strict=True):
        result = json.loads(line)
        _assert_contract(result)
        assert result["source"] == str(path)


def test_it_reports_bad_files_and_carries_on(tmp_path: Path, good_pdf: Path) -> None:
    docx = tmp_path / "statement.docx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    encrypted = tmp_path / "locked.pdf"
    encrypted.write_bytes(pdfs.encrypted_pdf())
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.pdf"
    paths = [str(missing), str(good_pdf), str(tmp_path), str(docx), str(encrypted), str(empty)]

    results, failure = _run(*paths, "--jsonl")

    assert failure is not None
    assert failure.returncode == 2
    assert str(failure) == "5 of 6 file(s) could not be scored."
    assert [result["source"] for result in results] == paths
    errors = [(result.get("code"), result.get("error")) for result in results]
    assert errors == [
        ("not_found", "There is no file at this path."),
        (None, None),
        ("not_a_file", "This is a folder, not a file."),
        ("unsupported_type", "This looks like a ZIP archive or Word document; upload a PDF, a web page or text."),
        ("encrypted", "This PDF is password-protected; upload an unprotected copy."),
        ("empty", "The file is empty."),
    ]
    _assert_contract(results[1])
    for result in results[:1] + results[2:]:
        assert set(result) == {"source", "error", "code"}


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file, so no permission error")
def test_it_reports_unreadable_files(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("We audit suppliers.")
    locked.chmod(0)
    results, failure = _run(str(locked))
    assert failure is not None
    assert (results[0]["code"], results[0]["error"]) == ("unreadable", "This file cannot be opened: permission denied.")


def test_it_applies_the_page_limit(tmp_path: Path) -> None:
    long = tmp_path / "long.pdf"
    long.write_bytes(pdfs.long_pdf(pages=4))
    results, failure = _run(str(long), "--max-pages", "3")
    assert failure is not None
    assert results == [
        {
            "source": str(long),
            "error": "This document has 4 pages; the limit is 3. Upload only the part that holds the supply-chain "
            "disclosure.",
            "code": "too_many_pages",
        }
    ]


def test_it_refuses_an_unknown_rubric(good_pdf: Path) -> None:
    results, failure = _run(str(good_pdf), "--rubric", "ctsca-999")
    assert results == []
    assert failure is not None
    assert failure.returncode == 2
    assert str(failure).startswith("Unknown or invalid rubric 'ctsca-999'")


def test_the_real_command_exits_2_without_a_traceback(tmp_path: Path, good_pdf: Path) -> None:
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\nthis is not really a PDF")
    completed = subprocess.run(
        [sys.executable, "manage.py", "score_file", str(good_pdf), str(garbage), str(tmp_path / "nope"), "--jsonl"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2, completed.stderr
    assert "Traceback" not in completed.stderr + completed.stdout
    assert completed.stderr.strip() == "CommandError: 2 of 3 file(s) could not be scored."
    lines = [json.loads(line) for line in completed.stdout.splitlines()]
    _assert_contract(lines[0])
    assert lines[1] == {
        "source": str(garbage),
        "error": "This PDF is damaged and cannot be read; export it again from the original document.",
        "code": "corrupt",
    }
    assert lines[2]["code"] == "not_found"


# --- the real sample disclosures ------------------------------------------------------------------------------------


@pytest.fixture
def sample_pdfs() -> Path:
    path = SAMPLES / "pdfs"
    if not path.is_dir():
        pytest.skip(f"real sample PDFs not found at {path} (../shared/samples is absent)")
    return path


def test_it_scores_the_real_sample_pdfs(sample_pdfs: Path) -> None:
    names = ["vwr-international-2019-uk-msa.pdf", "edan-uk-2024-uk-msa.pdf", "ridgestone-developments-uk-msa.pdf"]
    results, failure = _run(*(str(sample_pdfs / name) for name in names), "--jsonl")
    assert failure is None
    assert [result["pages"] for result in results] == [3, 2, 2]
    for result in results:
        _assert_contract(result)
    training = results[2]["areas"]["training"]
    assert training["status"] == "does"
    assert training["evidence"][0]["page"] in (1, 2)


def test_it_says_the_scanned_sample_has_no_selectable_text(sample_pdfs: Path) -> None:
    scanned = sample_pdfs / "edan-uk-2022-uk-msa-scanned.pdf"
    results, failure = _run(str(scanned), str(sample_pdfs / "edan-uk-2024-uk-msa.pdf"))
    assert failure is not None
    assert failure.returncode == 2
    assert results[0] == {"source": str(scanned), "error": SCANNED_REASON, "code": "no_text_layer"}
    assert "no selectable text" in results[0]["error"]
    _assert_contract(results[1])


def test_it_scores_the_real_sample_texts() -> None:
    folder = SAMPLES / "ctsca"
    if not folder.is_dir():
        pytest.skip(f"real sample texts not found at {folder} (../shared/samples is absent)")
    paths = sorted(folder.glob("*.txt"))
    results, failure = _run(*(str(path) for path in paths), "--jsonl")
    assert failure is None
    assert len(results) == len(paths)
    for result in results:
        _assert_contract(result)
        assert result["kind"] == "text"
