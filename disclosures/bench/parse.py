"""Parsing benchmark: our extraction, extraction plus scoring, and pdfplumber, on the same generated PDFs.

The PDFs are disclosure-like: dense paragraphs built from CTSCA-style sentences, section headings, a running
header and a "Page n of N" footer, written with fpdf2 and cached in the temp directory (keyed by their
parameters) because writing them costs ~25 ms a page. Everything runs on one thread; module imports and the
first call (pdfium start-up, regex compilation) are done before the clock starts. Peak memory is measured in a
fresh process that imports the pipeline and runs extract+score on a 500-page PDF, which is what a worker does.
Rates are computed from CPU time, which for single-threaded work is time on one core and does not swing with
whatever else the machine runs; wall-clock rates are reported beside them. Never asserted in tests.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["format_table", "generate_pdf", "run_parse_bench"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CACHE_DIR = Path(tempfile.gettempdir()) / "disclosures-bench-parse"
GENERATOR_VERSION = 1  # bump when the generated documents change, so stale cached files are not reused
BUDGETS = {"extract_score_pages_per_s": 200.0, "peak_rss_mb": 500.0, "score_ms_30_pages": 50.0}
SAMPLES_DIR = PROJECT_ROOT.parent / "shared" / "samples"
REAL_PAGE_CHARS = 3_000  # a full page of the real sample PDFs holds about 2,100-3,100 characters
RSS_PAGES = 500

SENTENCES: tuple[str, ...] = (
    "We engage an independent third party to conduct verification of product supply chains to evaluate and "
    "address risks of human trafficking and slavery.",
    "Our verification is performed by internal teams using a risk assessment that considers the country of "
    "production, the type of product and the results of earlier audits.",
    "Suppliers are subject to unannounced audits performed by an independent auditing firm to evaluate "
    "compliance with our standards for trafficking and slavery in supply chains.",
    "Audits include confidential worker interviews, a review of payroll and working-hours records, and a visual "
    "inspection of dormitories and production areas.",
    "We do not currently conduct audits of our suppliers specific to slavery and human trafficking.",
    "Direct suppliers are required to certify that materials incorporated into our products comply with the laws "
    "regarding slavery and human trafficking of the country or countries in which they are doing business.",
    "Our Supplier Code of Conduct prohibits forced, bonded, indentured and prison labour, and requires suppliers "
    "to pass the same requirements on to their own subcontractors.",
    "We maintain internal accountability standards and procedures for employees and contractors failing to meet "
    "company standards regarding slavery and trafficking, up to and including termination.",
    "Suppliers found in violation must complete a corrective action plan within ninety days; repeated or severe "
    "violations lead to the end of the business relationship.",
    "We provide training on human trafficking and slavery to company employees and management who have direct "
    "responsibility for supply chain management, particularly with respect to mitigating risks.",
    "Training is refreshed every year and covers how to recognise the signs of forced labour, including "
    "recruitment fees, retained identity documents and restricted freedom of movement.",
    "Workers in our supply chain can raise concerns through a confidential grievance hotline operated by an "
    "independent organisation, in their own language and without fear of retaliation.",
    "We publish a list of our tier-one factories and update it twice a year so that workers, unions and civil "
    "society organisations can alert us to problems.",
    "We may in the future consider additional measures where our risk assessment identifies higher-risk regions "
    "or raw materials.",
    "This disclosure is made pursuant to the California Transparency in Supply Chains Act of 2010 and covers the "
    "fiscal year ending 31 January 2024.",
)
HEADINGS: tuple[str, ...] = (
    "Verification of Product Supply Chains",
    "Supplier Audits",
    "Certification by Direct Suppliers",
    "Internal Accountability",
    "Training",
    "Remediation and Grievance Mechanisms",
    "Risk Assessment",
)


def generate_pdf(*, pages: int, seed: int) -> Path:
    """A cached disclosure-like PDF of exactly ``pages`` pages (see the module docstring)."""
    path = CACHE_DIR / f"v{GENERATOR_VERSION}-seed{seed}-pages{pages}.pdf"
    if not path.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{time.monotonic_ns()}.tmp")
        partial.write_bytes(_write_pdf(pages=pages, seed=seed))
        partial.replace(path)  # atomic: a concurrent run never reads a half-written file
    return path


def _write_pdf(*, pages: int, seed: int) -> bytes:
    from fpdf import FPDF

    rng = random.Random(seed)

    class _Report(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, "Example Retail Group - Supply Chain Disclosure", align="R", new_x="LMARGIN", new_y="NEXT")
            self.ln(3)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = _Report()
    pdf.set_auto_page_break(auto=False)
    for _ in range(pages):
        pdf.add_page()
        _fill_page(pdf, rng)
    return bytes(pdf.output())


def _fill_page(pdf: Any, rng: random.Random) -> None:
    bottom = pdf.h - 45  # leave room for the longest paragraph above the footer
    while pdf.get_y() < bottom:
        if rng.random() < 0.3:  # noqa: PLR2004 - about one heading every three paragraphs
            pdf.set_font("Helvetica", style="B", size=12)
            pdf.cell(0, 7, rng.choice(HEADINGS), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        paragraph = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 4)))
        pdf.multi_cell(0, 4.6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2.5)


def run_parse_bench(*, files: int = 20, pages: int = 30, seed: int = 0) -> dict[str, Any]:
    """Measure pages/s for extraction, extract+score and pdfplumber, plus the scoring time and peak memory."""
    from disclosures.core.extraction import extract
    from disclosures.core.pipeline import process_bytes

    blobs = [generate_pdf(pages=pages, seed=seed * 1000 + index).read_bytes() for index in range(files)]
    total_pages = files * pages
    process_bytes(blobs[0], source="warm-up")  # start-up excluded: imports, pdfium init, regexes, rubric

    raw_seconds = _timed(lambda: [_raw_pdfium(blob) for blob in blobs])
    extract_seconds = _timed(lambda: [extract(blob) for blob in blobs])
    results: list[dict[str, Any]] = []
    pipeline_seconds = _timed(lambda: results.extend(process_bytes(blob, source="bench") for blob in blobs))
    errors = [result["error"] for result in results if "error" in result]
    plumber_seconds = _timed(lambda: [_pdfplumber_text(blob) for blob in blobs])
    score_ms = [result["timings_ms"]["score"] for result in results if "timings_ms" in result]

    result: dict[str, Any] = {
        "files": files,
        "pages_per_file": pages,
        "total_pages": total_pages,
        "seed": seed,
        "raw_pypdfium2": _rate(total_pages, raw_seconds),
        "extract": _rate(total_pages, extract_seconds),
        "extract_score": _rate(total_pages, pipeline_seconds),
        "pdfplumber": _rate(total_pages, plumber_seconds),
        # CPU: (extract + score) minus extract, per document; wall: the mean of the pipeline's own timings.
        "score_ms_per_document": round((pipeline_seconds[0] - extract_seconds[0]) * 1000 / files, 2),
        "score_ms_per_document_wall": round(sum(score_ms) / len(score_ms), 2) if score_ms else None,
        "rubric": results[0].get("rubric") if results else None,
        "errors": errors,
        "memory": measure_peak_rss(pages=RSS_PAGES, seed=seed),
        "real_text_scoring": measure_real_text_scoring(pages=pages),
        "budgets": BUDGETS,
    }
    result["speedup_vs_pdfplumber"] = {
        "extract": round(plumber_seconds[0] / extract_seconds[0], 1),
        "extract_score": round(plumber_seconds[0] / pipeline_seconds[0], 1),
    }
    result["within_budget"] = _within_budget(result)
    return result


def _real_disclosure_texts() -> list[str]:
    """Distinct real CTSCA disclosures from ../shared/samples (the hand-coded ones and LegalBench's)."""
    import csv

    texts = [path.read_text(encoding="utf-8") for path in sorted((SAMPLES_DIR / "ctsca").glob("*.txt"))]
    for path in sorted((SAMPLES_DIR / "legalbench-train").glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts.extend(row["text"] for row in csv.DictReader(handle, delimiter="\t") if row.get("text"))
    return list(dict.fromkeys(texts))


def measure_real_text_scoring(*, pages: int) -> dict[str, Any]:
    """Scoring time for ``pages`` pages of real disclosure text, every sentence different (the synthetic PDFs
    above repeat 15 rubric sentences, every one of them a hit: a worst case, not a disclosure)."""
    from disclosures.core.scoring import score_document
    from disclosures.core.types import ExtractedDocument

    texts = _real_disclosure_texts()
    if not texts:
        return {"error": f"no sample disclosures under {SAMPLES_DIR}"}
    body = "\n\n".join(texts)
    while len(body) < pages * REAL_PAGE_CHARS:
        body += "\n\n" + body  # only when the samples are short of 30 pages
    chunks = [body[i * REAL_PAGE_CHARS : (i + 1) * REAL_PAGE_CHARS] for i in range(pages)]
    document = ExtractedDocument(kind="text", pages=tuple(chunks))
    score_document(document)  # warm-up
    best = min(_timed(lambda: score_document(document))[0] for _ in range(5))
    return {"pages": pages, "chars": sum(map(len, chunks)), "documents": len(texts), "ms": round(best * 1000, 2)}


def _timed(work: Callable[[], object]) -> tuple[float, float]:
    """CPU seconds (the one-core figure, unaffected by other processes on the machine) and wall seconds."""
    cpu, wall = time.process_time(), time.perf_counter()
    work()
    return time.process_time() - cpu, time.perf_counter() - wall


def _rate(pages: int, seconds: tuple[float, float]) -> dict[str, float]:
    cpu, wall = seconds
    return {
        "cpu_seconds": round(cpu, 3),
        "pages_per_s": round(pages / cpu, 1),
        "ms_per_page": round(cpu * 1000 / pages, 3),
        "wall_seconds": round(wall, 3),
        "wall_pages_per_s": round(pages / wall, 1),
    }


def _raw_pdfium(blob: bytes) -> None:
    """pypdfium2's text with no clean-up at all: the floor under our extraction."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(blob)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
    finally:
        pdf.close()


def _pdfplumber_text(blob: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(blob)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()  # drop pdfplumber's per-page caches, as a careful caller would


_RSS_CHILD = """
import json, resource, sys, time
from disclosures.core.pipeline import process_bytes

def peak_kb():
    # VmHWM belongs to this process image; ru_maxrss can carry over the parent's size across fork and exec.
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

data = open(sys.argv[1], "rb").read()
before = peak_kb()
started = time.perf_counter()
result = process_bytes(data, source="rss", max_pages=int(sys.argv[2]), max_chars=50_000_000)
print(json.dumps({
    "before_kb": before,
    "peak_kb": peak_kb(),
    "ru_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "pages": result.get("pages"),
    "error": result.get("error"),
    "seconds": time.perf_counter() - started,
}))
"""


def measure_peak_rss(*, pages: int = RSS_PAGES, seed: int = 0) -> dict[str, Any]:
    """Peak resident memory of a fresh process that extracts and scores one ``pages``-page PDF.

    The text cap is lifted in the child: 500 dense pages hold about 2.3 million characters, over the default
    cap of 2 million, and the point is to measure all of them.
    """
    path = generate_pdf(pages=pages, seed=seed * 1000 + 999)
    completed = subprocess.run(
        [sys.executable, "-c", _RSS_CHILD, str(path), str(pages)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if completed.returncode != 0:
        return {"pages": pages, "error": completed.stderr.strip().splitlines()[-1:] or ["child failed"]}
    child = json.loads(completed.stdout.strip().splitlines()[-1])
    return {
        "pages": child["pages"] or pages,
        "peak_rss_mb": round(child["peak_kb"] / 1024, 1),  # Linux reports ru_maxrss in KiB
        "rss_before_mb": round(child["before_kb"] / 1024, 1),
        "ru_maxrss_mb": round(child["ru_maxrss_kb"] / 1024, 1),
        "seconds": round(child["seconds"], 2),
        "error": child["error"],
    }


def _within_budget(result: dict[str, Any]) -> dict[str, bool]:
    peak = result["memory"].get("peak_rss_mb")
    real_ms = result.get("real_text_scoring", {}).get("ms")
    return {
        "extract_score_pages_per_s": result["extract_score"]["pages_per_s"] >= BUDGETS["extract_score_pages_per_s"],
        "peak_rss_mb": peak is not None and peak < BUDGETS["peak_rss_mb"],
        "score_ms_30_pages": real_ms is not None and real_ms < BUDGETS["score_ms_30_pages"],
    }


def format_table(result: dict[str, Any]) -> str:
    """The result as an aligned text table for a terminal."""
    rows = [("what", "pages/s", "ms/page", "vs pdfplumber", "wall pages/s")]
    plumber = result["pdfplumber"]["pages_per_s"]
    for key, label in (
        ("raw_pypdfium2", "raw pypdfium2 text (no clean-up)"),
        ("extract", "extract (ours)"),
        ("extract_score", "extract + score"),
        ("pdfplumber", "pdfplumber extract_text (baseline)"),
    ):
        rate = result[key]
        rows.append(
            (
                label,
                f"{rate['pages_per_s']:,.1f}",
                f"{rate['ms_per_page']:.2f}",
                f"{rate['pages_per_s'] / plumber:.1f}x",
                f"{rate['wall_pages_per_s']:,.1f}",
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(5)]
    lines = [
        f"parse benchmark: {result['files']} files x {result['pages_per_file']} pages = {result['total_pages']} pages "
        f"(seed {result['seed']}; one thread, start-up excluded, rates in CPU time)",
        *(
            "  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row))
            for row in rows
        ),
        "",
        f"scoring, synthetic worst case (every sentence a rubric hit): {result['score_ms_per_document']} ms CPU per "
        f"{result['pages_per_file']}-page document ({result['score_ms_per_document_wall']} ms wall; rubric "
        f"{result['rubric']})",
        _real_text_line(result["real_text_scoring"]),
        _memory_line(result["memory"]),
        _budget_line(result),
    ]
    if result["errors"]:
        lines.append(f"errors: {len(result['errors'])} file(s) failed, e.g. {result['errors'][0]}")
    return "\n".join(lines)


def _memory_line(memory: dict[str, Any]) -> str:
    if "peak_rss_mb" not in memory or memory.get("error"):
        return f"peak memory ({memory['pages']} pages): not measured ({memory.get('error')})"
    return (
        f"peak memory, extract + score of a {memory['pages']}-page PDF in a fresh process: {memory['peak_rss_mb']} MB "
        f"(after imports {memory['rss_before_mb']} MB; {memory['seconds']} s)"
    )


def _real_text_line(real: dict[str, Any]) -> str:
    if "ms" not in real:
        return f"scoring, real disclosure text: not measured ({real.get('error')})"
    return (
        f"scoring, {real['pages']} pages of real disclosure text ({real['chars']:,} characters from "
        f"{real['documents']} disclosures): {real['ms']} ms CPU"
    )


def _budget_line(result: dict[str, Any]) -> str:
    verdict = result["within_budget"]
    budgets = result["budgets"]
    speed = "ok" if verdict["extract_score_pages_per_s"] else "MISSED"
    memory = "ok" if verdict["peak_rss_mb"] else "MISSED"
    scoring = "ok" if verdict["score_ms_30_pages"] else "MISSED"
    return (
        f"budgets: extract + score >= {budgets['extract_score_pages_per_s']:.0f} pages/s {speed}; "
        f"peak memory < {budgets['peak_rss_mb']:.0f} MB {memory}; "
        f"scoring 30 real pages < {budgets['score_ms_30_pages']:.0f} ms {scoring}"
    )
