"""Disclosure intake: submit (web, API, discovery), process in the worker, requeue stale work, re-score.

The pipeline is ``received → extracting → scoring → scored`` (or ``needs_review``), or ``failed`` with a
plain-language reason. Everything the worker does survives the worker dying mid-task:

* a job is claimed with a conditional UPDATE (``received → extracting``) that also bumps ``attempts``; the new
  ``attempts`` value is the claim token, and every later write checks it, so a worker that lost its claim (the
  stale-job reaper gave the row to another worker) can never overwrite the new owner's work;
* extraction and scoring run outside any transaction; results are written once, keyed: pages are replaced,
  the score is keyed on (disclosure, rubric version), findings on (score, area), so re-running never duplicates;
* the original bytes are kept from the first moment (uploads and pasted text at submission, URL pages as soon as
  the worker has fetched them), so a crash never loses a submission.

Duplicates: identical bytes for the same company return the existing disclosure (``created=False``). A URL
submission is only known after the worker fetched it; when the fetched bytes equal a disclosure the company
already has, the new row is marked ``failed`` with code ``duplicate`` and a reason naming the existing
disclosure (the unique (company, sha256) constraint keeps one copy of the same document), and
``disclosure_duplicate_of`` in the selectors points at it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosures.core.types import AREAS, AreaFinding, HomepageSignal
from disclosures.models import Company, Disclosure, DisclosurePage, DisclosureScore, Finding, HomepageCheck
from disclosures.models.filings import FindingStatus
from disclosures.selectors.roles import user_can_act_for_company
from disclosures.services.brands import search_scores_bump

if TYPE_CHECKING:
    from disclosures.core.scoring import ScoreSummary
    from disclosures.core.types import ExtractedDocument, ScoreCard

logger = logging.getLogger(__name__)

Status = Disclosure.Status
IN_PROGRESS = (Status.RECEIVED, Status.EXTRACTING, Status.SCORING)
RUNNING = (Status.EXTRACTING, Status.SCORING)
PUBLISHED = (Status.SCORED, Status.NEEDS_REVIEW)
# A job that died this many times is not tried again: it is probably what kills the worker (a PDF bomb).
MAX_ATTEMPTS = 3
REVIEW_CONFIDENCE = 0.6
PROGRESS_EVERY_SECONDS = 0.5
_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")

FAILURE_REASONS = {
    "timeout": "Reading this document took longer than our time limit, so we stopped. Very long or complex "
    "PDFs can do this: try uploading a shorter PDF with only the disclosure, or paste its text instead.",
    "worker_lost": "Processing stopped unexpectedly several times on this document, so we gave up on it. "
    "Try uploading the disclosure again as a smaller PDF, or paste its text instead.",
    "internal_error": "Something went wrong on our side while reading this document. It has been logged; "
    "please try again later, or paste the text of the disclosure instead.",
    "no_text": "We could not find any text in this document. Upload a PDF with selectable text, "
    "or paste the text instead.",
}


class SubmissionRejected(Exception):  # noqa: N818 - reads better at call sites than "...Error"
    """A submission refused before anything was stored. ``code`` is for programs, ``reason`` for people."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


# --- Submitting -------------------------------------------------------------------------------------------


def disclosure_submit(
    *,
    company: Company,
    submitted_by: Any,
    upload: UploadedFile | None = None,
    url: str = "",
    text: str = "",
) -> tuple[Disclosure, bool]:
    """Store one submission (exactly one of upload, url, text) and queue it; returns (disclosure, created)."""
    _check_may_submit(company=company, user=submitted_by)
    source = _single_source(upload=upload, url=url, text=text)
    if source == Disclosure.Source.URL:
        return _submit_url(company=company, submitted_by=submitted_by, url=_clean_url(url))
    if source == Disclosure.Source.UPLOAD:
        assert upload is not None  # noqa: S101 - narrowed by _single_source
        return disclosure_store(
            company=company,
            source=source,
            data=_read_upload(upload),
            submitted_by=submitted_by,
            filename=upload.name or "",
        )
    return disclosure_store(company=company, source=source, data=_text_bytes(text), submitted_by=submitted_by)


def disclosure_store(
    *,
    company: Company,
    source: str,
    data: bytes,
    submitted_by: Any = None,
    filename: str = "",
    source_url: str = "",
) -> tuple[Disclosure, bool]:
    """Keep the original bytes and queue processing, unless the company already has exactly these bytes."""
    sha = hashlib.sha256(data).hexdigest()
    existing = Disclosure.objects.filter(company=company, sha256=sha).first()
    if existing is not None:
        return existing, False
    disclosure = Disclosure(
        company=company,
        source=source,
        sha256=sha,
        byte_size=len(data),
        submitted_by=_user_or_none(submitted_by),
        original_filename=_safe_filename(filename),
        source_url=_safe_url(source_url),
        content_kind=Disclosure.ContentKind.TEXT if source == Disclosure.Source.TEXT else "unknown",
    )
    disclosure.original_file.save(f"{sha}.bin", ContentFile(data), save=False)
    disclosure.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            disclosure.save()
    except IntegrityError:
        # Someone stored the same bytes a moment ago: keep theirs, drop our copy of the file.
        disclosure.original_file.delete(save=False)
        return Disclosure.objects.get(company=company, sha256=sha), False
    _enqueue_on_commit(disclosure.pk)
    return disclosure, True


def _check_may_submit(*, company: Company, user: Any) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to submit a disclosure."))
    if user.is_staff or user.is_superuser or user_can_act_for_company(user, company.pk):
        return
    raise PermissionDenied(_("Only representatives of %(company)s can submit its disclosures.") % {"company": company})


def _single_source(*, upload: UploadedFile | None, url: str, text: str) -> str:
    given = [
        name
        for name, present in (
            (Disclosure.Source.UPLOAD, upload is not None),
            (Disclosure.Source.URL, bool(url and url.strip())),
            (Disclosure.Source.TEXT, bool(text)),
        )
        if present
    ]
    if not given:
        raise SubmissionRejected("no_source", _("Choose a PDF file, give a web address, or paste the text."))
    if len(given) > 1:
        raise SubmissionRejected(
            "several_sources", _("Give only one of these: a PDF file, a web address or pasted text.")
        )
    return given[0]


def _too_large(size: int) -> SubmissionRejected:
    limit_mb = settings.DISCLOSURE_MAX_UPLOAD_BYTES / (1024 * 1024)
    return SubmissionRejected(
        "too_large",
        _("This is %(size).1f MB; the limit is %(limit).1f MB. Upload only the disclosure pages, or paste the text.")
        % {"size": size / (1024 * 1024), "limit": limit_mb},
    )


def too_big_for_a_form() -> str:
    """The reason for a request whose non-file fields exceed Django's in-memory limit (long pasted text)."""
    limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return _("Pasted text can be at most %(limit).1f MB. Save the text as a .txt file and upload the file instead.") % {
        "limit": limit_mb
    }


def _read_upload(upload: UploadedFile) -> bytes:
    limit = settings.DISCLOSURE_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise _too_large(upload.size)
    # Read one byte past the limit so a lying size header cannot smuggle in a bigger file.
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(upload.size or len(data))
    if not data:
        raise SubmissionRejected("empty_file", _("The file is empty (0 bytes). Choose the file again."))
    return data


def _text_bytes(text: str) -> bytes:
    if not text.strip():
        raise SubmissionRejected("empty_text", _("The pasted text is empty. Paste the text of the disclosure."))
    data = text.replace("\r\n", "\n").encode("utf-8")
    if len(data) > settings.DISCLOSURE_MAX_UPLOAD_BYTES:
        raise _too_large(len(data))
    return data


def _clean_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"}:
        raise SubmissionRejected("bad_url_scheme", _("Only web addresses starting with http:// or https:// work."))
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise SubmissionRejected("bad_url", _("That does not look like a complete web address.")) from None
    if len(url) > Disclosure._meta.get_field("source_url").max_length:
        raise SubmissionRejected("bad_url", _("That web address is too long."))
    host = parts.hostname or ""
    if (
        not settings.URL_FETCH_ALLOW_PRIVATE
        and host not in settings.URL_FETCH_ALLOW_ADDRESSES
        and _is_private_host(host)
    ):
        raise SubmissionRejected(
            "private_url", _("That address points to a private or local network, which we cannot fetch.")
        )
    return url


def _is_private_host(host: str) -> bool:
    """Literal addresses only; names that resolve to private addresses are refused by the fetcher."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def _submit_url(*, company: Company, submitted_by: Any, url: str) -> tuple[Disclosure, bool]:
    # A double click (or a client retry) while the first is still queued returns the queued one.
    queued = Disclosure.objects.filter(company=company, source_url=url, status__in=IN_PROGRESS, sha256="").first()
    if queued is not None:
        return queued, False
    disclosure = Disclosure(
        company=company, source=Disclosure.Source.URL, source_url=url, submitted_by=_user_or_none(submitted_by)
    )
    disclosure.full_clean()
    disclosure.save()
    _enqueue_on_commit(disclosure.pk)
    return disclosure, True


def _safe_filename(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:255]


def _user_or_none(user: Any) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _enqueue_on_commit(disclosure_id: int) -> None:
    from disclosures.tasks.filings import disclosure_process_task

    transaction.on_commit(lambda: disclosure_process_task.delay(disclosure_id))


# --- Processing (the worker) ------------------------------------------------------------------------------


def disclosure_process(*, disclosure_id: int) -> None:
    """Extract and score one received disclosure. Safe to call any number of times, from any number of workers."""
    token = _claim(disclosure_id)
    if token is None:
        return
    try:
        _process_claimed(disclosure_id, token)
    except (OperationalError, InterfaceError):
        # The database hiccuped: hand the job back so the task's retry can claim it again.
        _release(disclosure_id, token)
        raise


def disclosure_fail(*, disclosure_id: int, code: str, reason: str = "") -> bool:
    """Mark a running disclosure failed (used by the task on a time limit or an unexpected error)."""
    return _finish_failed(disclosure_id, None, code, reason or FAILURE_REASONS.get(code, code))


def _claim(disclosure_id: int) -> int | None:
    now = timezone.now()
    claimed = Disclosure.objects.filter(pk=disclosure_id, status=Status.RECEIVED).update(
        status=Status.EXTRACTING,
        attempts=F("attempts") + 1,
        processing_started_at=now,
        pages_done=0,
        page_count=0,
        failure_code="",
        failure_reason="",
        updated_at=now,
    )
    if not claimed:
        return None
    return Disclosure.objects.values_list("attempts", flat=True).get(pk=disclosure_id)


def _release(disclosure_id: int, token: int) -> None:
    try:
        Disclosure.objects.filter(pk=disclosure_id, attempts=token, status__in=RUNNING).update(
            status=Status.RECEIVED, attempts=F("attempts") - 1
        )
    except (OperationalError, InterfaceError):
        logger.warning("Could not release disclosure %s; the stale-job reaper will.", disclosure_id)


def _process_claimed(disclosure_id: int, token: int) -> None:
    from disclosures.core.fetching import FetchError
    from disclosures.core.isolation import extract_isolated
    from disclosures.core.types import ExtractionError

    disclosure = Disclosure.objects.select_related("company").get(pk=disclosure_id)
    try:
        data = _source_bytes(disclosure, token)
        if data is None:
            return
        # In a forked child with a memory cap: a PDF bomb makes pdfium abort the process it runs in (measured: a
        # 66 KB file grew a worker to 4 GB), so that process must not be the worker (core/isolation.py).
        document = extract_isolated(
            data,
            max_pages=settings.DISCLOSURE_MAX_PAGES,
            max_chars=settings.DISCLOSURE_MAX_TEXT_CHARS,
            on_progress=_progress_recorder(disclosure_id, token),
            # Stop ourselves, with extraction's own clear reason, before Celery's soft time limit hits.
            time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT * 0.8,
            memory_limit=settings.DISCLOSURE_EXTRACT_MEMORY_MB * 1024 * 1024,
        )
    except FetchError as error:
        fields = {"final_url": _safe_url(error.url or disclosure.source_url), "http_status": _http_status(error.status)}
        _finish_failed(disclosure_id, token, error.code, error.reason, extra=fields)
        return
    except ExtractionError as error:
        _finish_failed(disclosure_id, token, error.code, error.reason)
        return
    if not document.pages or not any(page.strip() for page in document.pages):
        _finish_failed(disclosure_id, token, "no_text", FAILURE_REASONS["no_text"])
        return
    document = _safe_document(document)
    if not _start_scoring(disclosure_id, token, document):
        return
    signal = _homepage_signal(disclosure.company_id)
    card = _score(document, signal)
    _write_result(disclosure_id, token, document, card, cause=DisclosureScore.Cause.NEW_DISCLOSURE, signal=signal)


def _source_bytes(disclosure: Disclosure, token: int) -> bytes | None:
    """The stored original, or, for a URL not fetched yet, the fetched page (stored before anything else)."""
    if disclosure.original_file:
        with disclosure.original_file.open("rb") as handle:
            return handle.read()
    from disclosures.core.fetching import fetch_url

    result = fetch_url(
        disclosure.source_url,
        allow_private=settings.URL_FETCH_ALLOW_PRIVATE,
        allow_addresses=settings.URL_FETCH_ALLOW_ADDRESSES,
        timeout=settings.URL_FETCH_TIMEOUT_SECONDS,
        max_bytes=settings.DISCLOSURE_MAX_UPLOAD_BYTES,
        max_redirects=settings.URL_FETCH_MAX_REDIRECTS,
    )
    return _store_fetched(disclosure, token, final_url=result.final_url, status=result.status, body=result.body)


def _store_fetched(disclosure: Disclosure, token: int, *, final_url: str, status: int, body: bytes) -> bytes | None:
    fields = {"final_url": _safe_url(final_url), "http_status": _http_status(status)}
    sha = hashlib.sha256(body).hexdigest()
    if _mark_if_duplicate(disclosure, token, sha, fields):
        return None
    name = disclosure.original_file.storage.save(f"disclosures/{disclosure.company_id}/{sha}.bin", ContentFile(body))
    try:
        with transaction.atomic():
            row = _owned_row(disclosure.pk, token)
            if row is None:
                disclosure.original_file.storage.delete(name)
                return None
            _apply(row, fields | {"sha256": sha, "byte_size": len(body)})
            row.original_file.name = name
            row.save(update_fields=[*fields, "sha256", "byte_size", "original_file", "updated_at"])
    except IntegrityError:
        disclosure.original_file.storage.delete(name)
        _mark_if_duplicate(disclosure, token, sha, fields)
        return None
    return body


def _mark_if_duplicate(disclosure: Disclosure, token: int, sha: str, fields: dict[str, Any]) -> bool:
    twin = Disclosure.objects.filter(company_id=disclosure.company_id, sha256=sha).exclude(pk=disclosure.pk).first()
    if twin is None:
        return False
    reason = _(
        "This address returned exactly the same document as disclosure #%(id)s, submitted on %(date)s, "
        "so we did not score it twice. See that disclosure for the result."
    ) % {"id": twin.pk, "date": timezone.localtime(twin.created_at).date().isoformat()}
    _finish_failed(disclosure.pk, token, "duplicate", reason, extra=fields)
    return True


def _progress_recorder(disclosure_id: int, token: int) -> Callable[[int, int], None]:
    """on_progress for extraction: writes page n of N after the first page, then at most every half second.

    Time-based rather than every few pages: text PDFs are read at hundreds of pages a second, and an UPDATE per
    five pages would cost more than the reading. The last page needs no write: scoring sets the final count.
    """
    last = {"at": float("-inf")}

    def record(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last["at"] < PROGRESS_EVERY_SECONDS or done >= total:
            return
        last["at"] = now
        Disclosure.objects.filter(pk=disclosure_id, attempts=token, status=Status.EXTRACTING).update(
            pages_done=max(0, min(done, total)), page_count=max(total, 0)
        )

    return record


def _safe_document(document: ExtractedDocument) -> ExtractedDocument:
    # PostgreSQL text cannot hold NUL; swap it for a same-length character so evidence offsets stay right.
    if not any("\x00" in page for page in document.pages):
        return document
    from dataclasses import replace

    return replace(document, pages=tuple(page.replace("\x00", "\ufffd") for page in document.pages))


def _start_scoring(disclosure_id: int, token: int, document: ExtractedDocument) -> bool:
    count = document.page_count
    kind = document.kind if document.kind in Disclosure.ContentKind.values else Disclosure.ContentKind.UNKNOWN
    return bool(
        Disclosure.objects.filter(pk=disclosure_id, attempts=token, status=Status.EXTRACTING).update(
            status=Status.SCORING, page_count=count, pages_done=count, content_kind=kind, updated_at=timezone.now()
        )
    )


def _homepage_signal(company_id: int) -> HomepageSignal | None:
    check = (
        HomepageCheck.objects.filter(company_id=company_id, error="")
        .order_by("-checked_at", "-pk")
        .only("link_found", "label_understandable")
        .first()
    )
    if check is None:
        return None
    return HomepageSignal(link_found=check.link_found, label_understandable=check.label_understandable)


def _score(document: ExtractedDocument, signal: HomepageSignal | None, rubric: Any = None) -> ScoreCard:
    from disclosures.core.scoring import score_document

    return score_document(document, rubric, homepage=signal)


def _owned_row(disclosure_id: int, token: int | None, statuses: Iterable[str] = RUNNING) -> Disclosure | None:
    """Lock the row; None unless it is still in ``statuses`` and (with a token) still claimed by us."""
    row = Disclosure.objects.select_for_update().filter(pk=disclosure_id).first()
    if row is None or row.status not in statuses:
        return None
    if token is not None and row.attempts != token:
        return None
    return row


def _apply(row: Disclosure, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(row, name, value)


def _finish_failed(
    disclosure_id: int, token: int | None, code: str, reason: str, *, extra: dict[str, Any] | None = None
) -> bool:
    fields = {"status": Status.FAILED, "failure_code": code[:40], "failure_reason": reason, **(extra or {})}
    fields["processed_at"] = timezone.now()
    with transaction.atomic():
        row = _owned_row(disclosure_id, token, statuses=IN_PROGRESS if token is None else RUNNING)
        if row is None:
            return False
        _apply(row, fields)
        row.full_clean(validate_constraints=False)
        row.save(update_fields=[*fields, "updated_at"])
    logger.info("Disclosure %s failed: %s", disclosure_id, code)
    return True


def _write_result(
    disclosure_id: int,
    token: int,
    document: ExtractedDocument,
    card: ScoreCard,
    *,
    cause: str,
    signal: HomepageSignal | None,
) -> bool:
    with transaction.atomic():
        row = _owned_row(disclosure_id, token, statuses=(Status.SCORING,))
        if row is None:
            return False
        _replace_pages(row, document.pages)
        score = _save_score(row, card, cause=cause, homepage=signal)
        period = (document.reporting_period or "")[:60]
        _apply(
            row,
            {
                "status": Status.NEEDS_REVIEW if _needs_review(score) else Status.SCORED,
                "processed_at": timezone.now(),
                "title": (document.title or "")[:300],
                "reporting_period": period,
                "reporting_year": _reporting_year(period),
            },
        )
        row.full_clean()
        row.save(update_fields=["status", "processed_at", "title", "reporting_period", "reporting_year", "updated_at"])
    return True


def _replace_pages(row: Disclosure, pages: Iterable[str]) -> None:
    DisclosurePage.objects.filter(disclosure=row).delete()
    DisclosurePage.objects.bulk_create(
        [DisclosurePage(disclosure=row, number=number, text=text) for number, text in enumerate(pages, start=1)],
        batch_size=200,
    )


def _save_score(row: Disclosure, card: ScoreCard, *, cause: str, homepage: HomepageSignal | None) -> DisclosureScore:
    from disclosures.core.rubric import rubric_sha256

    score = DisclosureScore.objects.filter(disclosure=row, rubric_version=card.rubric).first()
    score = score or DisclosureScore(disclosure=row, rubric_version=card.rubric)
    _apply(
        score,
        {
            "rubric_sha256": rubric_sha256(card.rubric),
            "cause": cause,
            "compliance_score": card.compliance_score,
            "practice_score": card.practice_score,
            "tier": card.tier,
            "grade": card.grade,
            "flags": list(card.flags),
            "crosswalk": card.crosswalk,
            "homepage_checked": homepage is not None,
            "homepage_signal": _signal_dict(homepage),
            "beyond_statute": list(card.beyond_statute),
            "automatic": _summary_dict(card),
            "scored_at": timezone.now(),
        },
    )
    score.full_clean(validate_constraints=False)
    score.save()
    _save_findings(score, card)
    score_apply_overrides(score=score)
    return score


def _signal_dict(signal: HomepageSignal | None) -> dict[str, bool] | None:
    return (
        None
        if signal is None
        else {"link_found": signal.link_found, "label_understandable": signal.label_understandable}
    )


def _summary_dict(summary: ScoreCard | ScoreSummary) -> dict[str, int | str]:
    return {
        "compliance_score": summary.compliance_score,
        "practice_score": summary.practice_score,
        "tier": summary.tier,
        "grade": summary.grade,
    }


def score_apply_overrides(*, score: DisclosureScore) -> DisclosureScore:
    """Recompute the shown scores, tier and grade from each finding's effective (possibly overridden) status.

    The scorer's own figures stay in ``score.automatic``; with no override the two are the same.
    """
    from disclosures.core.rubric import load_rubric
    from disclosures.core.scoring import summarize

    findings = {
        finding.area: AreaFinding(
            area=finding.area,
            status=finding.effective_status,
            qualifiers=dict(finding.qualifiers) if not finding.overridden_status else {},
            signals=tuple(finding.signals) if finding.effective_status == finding.status else (),
        )
        for finding in Finding.objects.filter(score=score)
    }
    if set(findings) != set(AREAS):
        return score
    signal = HomepageSignal(**score.homepage_signal) if score.homepage_signal else None
    summary = summarize(
        findings, beyond_statute=tuple(score.beyond_statute), rubric=load_rubric(score.rubric_version), homepage=signal
    )
    changed = _summary_dict(summary) != {f: getattr(score, f) for f in _summary_dict(summary)}
    if changed:
        for field, value in _summary_dict(summary).items():
            setattr(score, field, value)
        score.save(update_fields=list(_summary_dict(summary)))
    search_scores_bump()  # area statuses shown in search results may have changed even when the numbers did not
    return score


def _save_findings(score: DisclosureScore, card: ScoreCard) -> None:
    """One row per area, keyed on (score, area); a reviewer's override on that area is kept."""
    existing = {finding.area: finding for finding in Finding.objects.filter(score=score)}
    for area, result in card.areas.items():
        finding = existing.pop(area, None) or Finding(score=score, area=area)
        finding.status = result.status
        finding.qualifiers = dict(result.qualifiers)
        finding.signals = list(result.signals)
        finding.confidence = float(result.confidence)
        finding.evidence = [item.to_dict() for item in result.evidence]
        finding.full_clean(validate_constraints=False)
        finding.save()
    Finding.objects.filter(pk__in=[finding.pk for finding in existing.values()]).delete()


def _needs_review(score: DisclosureScore) -> bool:
    return any(
        not finding.overridden_status
        and (finding.status == FindingStatus.UNCLEAR or finding.confidence < REVIEW_CONFIDENCE)
        for finding in Finding.objects.filter(score=score).only("status", "confidence", "overridden_status")
    )


def _http_status(status: int | None) -> int | None:
    return status if status is not None and 100 <= status <= 599 else None  # noqa: PLR2004 - valid HTTP codes


def _reporting_year(period: str) -> int | None:
    years = _YEAR.findall(period)
    return int(years[-1]) if years else None


def _safe_url(value: str) -> str:
    value = (value or "")[:2000]
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return ""
    return value


# --- Stale work -------------------------------------------------------------------------------------------


def disclosure_requeue_stale(*, older_than_seconds: int | None = None) -> int:
    """Give work back whose worker died (stuck extracting/scoring) or whose message was lost (stuck received).

    Returns how many disclosures were queued again. Jobs that already died ``MAX_ATTEMPTS`` times are failed
    with a reason instead, so one poisonous file cannot take the worker down forever.
    """
    seconds = settings.DISCLOSURE_STALE_AFTER_SECONDS if older_than_seconds is None else older_than_seconds
    now = timezone.now()
    cutoff = now - dt.timedelta(seconds=seconds)
    stuck = Disclosure.objects.filter(status__in=RUNNING, processing_started_at__lt=cutoff)
    for disclosure_id in stuck.filter(attempts__gte=MAX_ATTEMPTS).values_list("pk", flat=True):
        _finish_failed(disclosure_id, None, "worker_lost", FAILURE_REASONS["worker_lost"])
    running_ids = list(stuck.filter(attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True))
    Disclosure.objects.filter(pk__in=running_ids, status__in=RUNNING, processing_started_at__lt=cutoff).update(
        status=Status.RECEIVED, updated_at=now
    )
    # Touching updated_at means a long backlog is re-sent at most once per period, not on every run.
    lost_ids = list(
        Disclosure.objects.filter(status=Status.RECEIVED, updated_at__lt=cutoff)
        .exclude(pk__in=running_ids)
        .values_list("pk", flat=True)
    )
    Disclosure.objects.filter(pk__in=lost_ids).update(updated_at=now)
    ids = running_ids + lost_ids
    for disclosure_id in ids:
        _enqueue_on_commit(disclosure_id)
    if ids:
        logger.warning("Requeued %d stale disclosures: %s", len(ids), ids[:20])
    return len(ids)


# --- Re-scoring -------------------------------------------------------------------------------------------


def disclosure_rescore(*, disclosure: Disclosure, rubric_version: str | None = None) -> DisclosureScore | None:
    """Score the stored pages again (no re-extraction). None when the disclosure has no published result."""
    from disclosures.core.rubric import load_rubric, rubric_sha256
    from disclosures.core.types import ExtractedDocument

    stored = DisclosurePage.objects.filter(disclosure=disclosure).order_by("number")
    pages = tuple(stored.values_list("text", flat=True))
    if disclosure.status not in PUBLISHED or not pages:
        return None
    kind = disclosure.content_kind if disclosure.content_kind != Disclosure.ContentKind.UNKNOWN else "text"
    document = ExtractedDocument(
        kind=kind, pages=pages, title=disclosure.title, reporting_period=disclosure.reporting_period
    )
    signal = _homepage_signal(disclosure.company_id)
    card = _score(document, signal, load_rubric(rubric_version) if rubric_version else None)
    previous = DisclosureScore.objects.filter(disclosure=disclosure).order_by("-scored_at", "-pk").first()
    changed = previous is not None and (
        previous.rubric_version != card.rubric or previous.rubric_sha256 != rubric_sha256(card.rubric)
    )
    cause = DisclosureScore.Cause.RUBRIC_CHANGE if changed else DisclosureScore.Cause.RESCORE
    return _write_rescore(disclosure.pk, card, cause=cause, homepage=signal)


def _write_rescore(
    disclosure_id: int, card: ScoreCard, *, cause: str, homepage: HomepageSignal | None
) -> DisclosureScore | None:
    with transaction.atomic():
        row = _owned_row(disclosure_id, None, statuses=PUBLISHED)
        if row is None:
            return None
        score = _save_score(row, card, cause=cause, homepage=homepage)
        row.status = Status.NEEDS_REVIEW if _needs_review(score) else Status.SCORED
        row.save(update_fields=["status", "updated_at"])
    return score


def disclosure_rescore_all(*, rubric_version: str) -> int:
    """Re-score every published disclosure with ``rubric_version``; returns how many were re-scored.

    The rubric is loaded first, so a bad version fails (``RubricError``) before anything is written.
    """
    from disclosures.core.rubric import load_rubric

    load_rubric(rubric_version)
    count = 0
    published = Disclosure.objects.filter(status__in=PUBLISHED).order_by("pk")
    for disclosure in published.iterator(chunk_size=200):
        if disclosure_rescore(disclosure=disclosure, rubric_version=rubric_version) is not None:
            count += 1
    return count


def company_rescore_latest(*, company: Company) -> DisclosureScore | None:
    """Re-score the company's newest published disclosure (its homepage signal changed)."""
    latest = Disclosure.objects.filter(company=company, status__in=PUBLISHED).order_by("-created_at").first()
    return disclosure_rescore(disclosure=latest) if latest is not None else None
