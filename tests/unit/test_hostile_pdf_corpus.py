"""A thousand malformed PDFs through the worker's extraction, in worker-like processes that must never die.

Two stand-in workers (subprocesses with a 1 GiB address-space limit, the size of a small worker) each take half of
the corpus and run every file through ``extract_isolated`` with the worker's limits, exactly as
``disclosure_process`` does. A stand-in that dies by a signal, exits, or hangs is a failure, named with the file
that killed it; so is any outcome other than a document or an ``ExtractionError`` with a reason, and a stand-in
whose own memory grows past what reading real documents needs. Reproduce one file with
``tests.fixtures.mutations.mutant_named(name)``.

Also here: the corpus itself (deterministic, a thousand distinct files, every kind of attack, real bombs), and
hypothesis properties for ``extract`` on arbitrary bytes, PDF-looking bytes and text.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import selectors
import subprocess
import sys
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosures.core.extraction import ERROR_CODES, extract
from disclosures.core.types import ExtractedDocument, ExtractionError
from tests.fixtures import mutations

REPO = Path(__file__).resolve().parents[2]
WORKERS = 2
WORKER_ADDRESS_SPACE = 1024 * 1024 * 1024  # the stand-in worker's own limit (RLIMIT_AS)
EXTRACT_MEMORY = 768 * 1024 * 1024  # what the worker lets one extraction add (settings.DISCLOSURE_EXTRACT_MEMORY_MB)
EXTRACT_SECONDS = 15.0  # per file; the worker allows more, the corpus has nothing that needs it
SILENCE_SECONDS = 60.0  # a stand-in that says nothing this long is hung
WORKER_GROWTH_LIMIT_MB = 100  # how much a stand-in may grow while it works, beyond the corpus it holds


# --- the corpus ---------------------------------------------------------------------------------------------------


def test_the_corpus_holds_a_thousand_distinct_files() -> None:
    corpus = mutations.corpus()
    assert len(corpus) >= 1000
    assert len({mutant.name for mutant in corpus}) == len(corpus)
    assert len({hashlib.sha256(mutant.data).digest() for mutant in corpus}) == len(corpus)


def test_the_corpus_is_the_same_for_the_same_seed_and_differs_for_another() -> None:
    first, again = mutations.corpus(size=200), mutations.corpus(size=200)
    assert [(m.name, m.data) for m in first] == [(m.name, m.data) for m in again]
    other = mutations.corpus(size=200, seed=7)
    assert [m.data for m in first] != [m.data for m in other]


def test_the_corpus_covers_every_kind_of_attack_the_issue_names() -> None:
    kinds = Counter(mutant.kind for mutant in mutations.corpus())
    assert set(kinds) == set(mutations.KINDS)
    for kind in mutations.RANDOM_KINDS:
        assert kinds[kind] >= 100, kind


def test_the_corpus_damages_the_real_samples_when_they_are_present(samples_dir: Path) -> None:
    real = {path.stem for path in (samples_dir / "pdfs").glob("*.pdf")}
    assert real
    damaged = {mutant.name.split("/")[1] for mutant in mutations.corpus()}
    assert real <= damaged


def test_a_bomb_stream_really_inflates_to_its_declared_size() -> None:
    data = mutations.bomb_stream_data(64 * mutations.MiB)
    inflated = zlib.decompress(data)  # also checks the closed-form checksum
    assert len(inflated) == 64 * mutations.MiB
    assert set(inflated) == {0x20}
    assert len(data) < 64 * mutations.MiB // 1000


def test_the_gigabyte_bombs_stay_small_on_disk() -> None:
    big = mutations.bomb_stream_data(2 * mutations.GiB)
    assert len(big) < 3 * mutations.MiB  # about 2 MB that would inflate to 2 GiB
    inflater = zlib.decompressobj()
    assert len(inflater.decompress(big, 32 * mutations.MiB)) == 32 * mutations.MiB


def test_the_nesting_attacks_really_nest_ten_thousand_deep() -> None:
    names = {name: data for kind, name, data in mutations.crafted() if kind == "deep_nesting"}
    assert b"[" * 10_000 in names["arrays_10000_in_catalog"]
    assert b"<< /A " * 10_000 in names["dicts_10000_in_catalog"]
    assert names["page_tree_10000_levels"].count(b"/Type /Pages") == 10_000


# --- the stand-in worker ------------------------------------------------------------------------------------------


def worker_main() -> None:
    """Entry point of a stand-in worker: ``python -c '...worker_main()' SIZE SEED START STEP``."""
    size, seed, start, step = (int(value) for value in sys.argv[1:5])
    resource.setrlimit(resource.RLIMIT_AS, (WORKER_ADDRESS_SPACE, WORKER_ADDRESS_SPACE))
    from disclosures.core.isolation import extract_isolated

    corpus = mutations.corpus(size=size, seed=seed)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    for index in range(start, len(corpus), step):
        print(json.dumps({"start": index}), flush=True)
        began = time.monotonic()
        outcome = _outcome(extract_isolated, corpus[index].data)
        outcome |= {"done": index, "seconds": round(time.monotonic() - began, 3)}
        outcome["worker_growth_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024 - baseline
        print(json.dumps(outcome), flush=True)


def _outcome(extract_isolated: Any, data: bytes) -> dict[str, Any]:
    try:
        document = extract_isolated(
            data, time_limit=EXTRACT_SECONDS, memory_limit=EXTRACT_MEMORY, max_pages=500, max_chars=2_000_000
        )
    except ExtractionError as error:
        return {"outcome": "error", "code": error.code, "reason": error.reason}
    except Exception as error:  # a bug: reported by name rather than crashing the stand-in
        return {"outcome": "exception", "type": type(error).__name__, "message": str(error)[:200]}
    return {"outcome": "document", "pages": document.page_count, "chars": sum(map(len, document.pages))}


@dataclass
class Run:
    """What the stand-ins reported, and every way one of them went wrong."""

    outcomes: dict[int, dict[str, Any]] = field(default_factory=dict)
    deaths: list[str] = field(default_factory=list)


def _spawn(size: int, seed: int, start: int, step: int) -> subprocess.Popen[str]:
    code = "from tests.unit.test_hostile_pdf_corpus import worker_main; worker_main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, str(size), str(seed), str(start), str(step)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def run_corpus(*, size: int, seed: int = mutations.DEFAULT_SEED) -> Run:
    """Feed the corpus to ``WORKERS`` stand-ins; restart one that dies after the file it died on."""
    run = Run()
    names = [mutant.name for mutant in mutations.corpus(size=size, seed=seed)]
    pending = {lane: lane for lane in range(WORKERS)}  # lane -> next index it has to do
    while pending:
        processes = {lane: _spawn(size, seed, start, WORKERS) for lane, start in pending.items()}
        pending = {}
        for lane, process in processes.items():
            resume = _drain(process, run, names)
            if resume is not None and resume < len(names):
                pending[lane] = resume
    return run


def _drain(process: subprocess.Popen[str], run: Run, names: list[str]) -> int | None:
    """Read one stand-in to its end; the index to resume at if it died, else None."""
    current: int | None = None
    watcher = selectors.DefaultSelector()
    assert process.stdout is not None
    watcher.register(process.stdout, selectors.EVENT_READ)
    while True:
        if not watcher.select(timeout=SILENCE_SECONDS):
            process.kill()
            run.deaths.append(f"{names[current] if current is not None else '?'}: hung for {SILENCE_SECONDS:g} s")
            break
        line = process.stdout.readline()
        if not line:
            break
        message = json.loads(line)
        if "start" in message:
            current = message["start"]
        else:
            run.outcomes[message["done"]] = message
            current = None
    code = process.wait()
    watcher.close()
    if current is None and code == 0:
        return None
    run.deaths.append(f"{names[current] if current is not None else '?'}: stand-in worker ended with {code}")
    return None if current is None else current + WORKERS


def _check(run: Run, size: int) -> None:
    names = [mutant.name for mutant in mutations.corpus(size=size)]
    assert run.deaths == [], "stand-in workers died:\n" + "\n".join(run.deaths)
    assert sorted(run.outcomes) == list(range(len(names)))
    bad = [
        f"{names[index]}: {outcome}"
        for index, outcome in run.outcomes.items()
        if outcome["outcome"] == "exception"
        or (outcome["outcome"] == "error" and (outcome["code"] not in ERROR_CODES or not outcome["reason"].strip()))
    ]
    assert bad == [], "outcomes that are neither a document nor a reasoned ExtractionError:\n" + "\n".join(bad)
    growth = max(outcome["worker_growth_mb"] for outcome in run.outcomes.values())
    assert growth < WORKER_GROWTH_LIMIT_MB, f"a stand-in worker grew by {growth} MB while extracting"


@pytest.mark.slow
def test_the_worker_survives_every_file_of_the_thousand_and_gives_each_a_reason_or_a_document() -> None:
    # About 60-90 s on 2 cores: most files take milliseconds, the ~20 bombs take one to two seconds each.
    size = 1000
    run = run_corpus(size=size)
    _check(run, size)
    corpus = mutations.corpus(size=size)
    by_kind = Counter((corpus[i].kind, o["outcome"], o.get("code", "")) for i, o in run.outcomes.items())
    bombs = [o for i, o in run.outcomes.items() if corpus[i].name.startswith("decompression_bomb/single_stream")]
    assert [o.get("code") for o in bombs] == ["bomb"], by_kind
    print("\n".join(f"{kind:20} {outcome:9} {code:16} {n}" for (kind, outcome, code), n in sorted(by_kind.items())))


def test_the_stand_in_worker_survives_the_crafted_attacks() -> None:
    # The first files of the corpus are the hand-built and grafted attacks (bombs included): about 15-25 s.
    size = len(mutations.crafted()) + 20
    run = run_corpus(size=size)
    _check(run, size)


# --- properties -----------------------------------------------------------------------------------------------


def _reasoned(data: bytes) -> ExtractedDocument | ExtractionError:
    try:
        return extract(data, max_pages=50, max_chars=200_000, time_limit=10)
    except ExtractionError as error:
        failure = error
    assert failure.code in ERROR_CODES
    assert failure.reason.strip()
    return failure


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_any_bytes_give_a_document_or_a_reasoned_error(data: bytes) -> None:
    _reasoned(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096), st.sampled_from([b"%PDF-1.4\n", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", b"%PDF-2.0\r"]))
def test_bytes_that_claim_to_be_a_pdf_give_a_document_or_a_reasoned_error(data: bytes, header: bytes) -> None:
    _reasoned(header + data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_real_pdf_with_random_bytes_overwritten_gives_a_document_or_a_reasoned_error(data: st.DataObject) -> None:
    base = mutations.one_page()
    start = data.draw(st.integers(0, len(base) - 1))
    patch = data.draw(st.binary(min_size=1, max_size=64))
    _reasoned(base[:start] + patch + base[start + len(patch) :])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000), st.sampled_from(["utf-8", "utf-16", "latin-1", "utf-32"]))
def test_any_text_in_any_encoding_gives_a_document_or_a_reasoned_error(text: str, encoding: str) -> None:
    outcome = _reasoned(text.encode(encoding, errors="replace"))
    if isinstance(outcome, ExtractedDocument):
        assert outcome.kind in {"text", "html", "pdf"}


@settings(max_examples=150, deadline=None)
@given(
    st.recursive(
        st.text(max_size=30),
        lambda inner: st.builds(
            lambda tag, children: f"<{tag}>{''.join(children)}</{tag}>",
            st.sampled_from(["div", "p", "script", "nav", "li", "table", "td", "h1", "template", "svg"]),
            st.lists(inner, max_size=4),
        ),
        max_leaves=40,
    )
)
def test_any_html_tree_gives_a_document_or_a_reasoned_error(body: str) -> None:
    _reasoned(f"<!doctype html><html><body>{body}</body></html>".encode())
