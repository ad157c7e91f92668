"""Turn submitted bytes (a PDF, a web page or plain text) into page texts the scorer can quote.

Pure Python, no Django. ``extract`` sniffs the content (never the file name), applies the limits and returns an
``ExtractedDocument``; evidence offsets point into its page strings, so those strings are the cleaned text.

PDF: pypdfium2 yields a page's text in about a millisecond. We then repair what text layers get wrong for
reading: headers and footers repeated on most pages, page numbers, words hyphenated at line ends, lines broken
mid-paragraph, two-column pages read across the gutter (column detection uses pdfium's text rectangles, so it
costs ~0.1 ms a page), and tables: only pages with ruled grids are handed to pdfplumber (about 100x slower).

Bombs and limits: the page count is checked before any page is read, characters are counted per page before they
are copied out of pdfium (``PAGE_CHAR_CAP``), and the total text and the elapsed time are capped. pdfium inflates
content streams itself while loading a page, so the last line of defence against a stream that inflates to
gigabytes is the worker's memory limit; the parse benchmark measures the peak memory of a 500-page PDF.
Images are never decoded: text extraction does not render.
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import io
import itertools
import math
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from lxml import etree
from lxml import html as lxml_html

from disclosures.core.types import ExtractedDocument, ExtractionError

# Stable error codes: programs branch on these, people read the reason.
EMPTY = "empty"
UNSUPPORTED_TYPE = "unsupported_type"
ENCRYPTED = "encrypted"
CORRUPT = "corrupt"
NO_TEXT_LAYER = "no_text_layer"
TOO_MANY_PAGES = "too_many_pages"
TOO_MUCH_TEXT = "too_much_text"
BOMB = "bomb"
BAD_ENCODING = "bad_encoding"
TOO_SLOW = "too_slow"
TOO_LARGE = "too_large"
ERROR_CODES: tuple[str, ...] = (
    EMPTY,
    UNSUPPORTED_TYPE,
    ENCRYPTED,
    CORRUPT,
    NO_TEXT_LAYER,
    TOO_MANY_PAGES,
    TOO_MUCH_TEXT,
    BOMB,
    BAD_ENCODING,
    TOO_SLOW,
    TOO_LARGE,
)

# A dense real page holds 3,000-10,000 characters; far more means a crafted or broken file.
PAGE_CHAR_CAP = 100_000
UPLOAD_HINT = "upload a PDF, a web page or text"
ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class _Limits:
    max_pages: int
    max_chars: int
    time_limit: float | None
    started: float = field(default_factory=time.monotonic)

    def check_time(self) -> None:
        if self.time_limit is not None and time.monotonic() - self.started > self.time_limit:
            raise ExtractionError(
                TOO_SLOW,
                f"Reading this file took longer than the {self.time_limit:g}-second limit; "
                "upload a smaller or simpler file, or paste the text.",
            )

    def check_pages(self, count: int) -> None:
        if count > self.max_pages:
            raise ExtractionError(
                TOO_MANY_PAGES,
                f"This document has {count:,} pages; the limit is {self.max_pages:,}. "
                "Upload only the part that holds the supply-chain disclosure.",
            )

    def check_chars(self, count: int) -> None:
        if count > self.max_chars:
            raise ExtractionError(
                TOO_MUCH_TEXT,
                f"This document has more than {self.max_chars:,} characters of text; "
                "upload only the part that holds the supply-chain disclosure.",
            )


def extract(
    data: bytes,
    *,
    max_pages: int = 500,
    max_chars: int = 2_000_000,
    on_progress: ProgressCallback | None = None,
    layout: bool = False,
    time_limit: float | None = None,
    max_bytes: int | None = None,
) -> ExtractedDocument:
    """Sniff ``data`` and return its text page by page, or raise ``ExtractionError`` with a clear reason.

    ``on_progress(done, total)`` is called after each page. ``layout=True`` asks pdfplumber about tables on every
    PDF page instead of only on pages with ruled grids (slower, for files whose tables we would otherwise miss).
    """
    if max_bytes is not None and len(data) > max_bytes:
        raise ExtractionError(
            TOO_LARGE, f"The file is {_megabytes(len(data))} MB; the limit is {_megabytes(max_bytes)} MB."
        )
    kind = sniff(data)
    limits = _Limits(max_pages=max_pages, max_chars=max_chars, time_limit=time_limit)
    if kind == "pdf":
        return _extract_pdf(data, limits, on_progress=on_progress, layout=layout)
    document = _extract_html(data, limits) if kind == "html" else _extract_text(data, limits)
    if on_progress is not None:
        on_progress(document.page_count, document.page_count)
    return document


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


# --- sniffing -------------------------------------------------------------------------------------------------

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive or Word document"),
    (b"PK\x05\x06", "a ZIP archive or Word document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an older Word or Excel file (.doc/.xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "an image (PNG)"),
    (b"\xff\xd8\xff", "an image (JPEG)"),
    (b"GIF87a", "an image (GIF)"),
    (b"GIF89a", "an image (GIF)"),
    (b"II*\x00", "an image (TIFF)"),
    (b"MM\x00*", "an image (TIFF)"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xfd7zXZ\x00", "a compressed (xz) file"),
    (b"\x7fELF", "a program"),
    (b"%!PS", "a PostScript file"),
)
# Prefixes too short to trust on their own: only used when the bytes also look binary.
_WEAK_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "a Windows program"),
    (b"BZh", "a compressed (bzip2) file"),
    (b"ID3", "an audio file"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_ANYWHERE = re.compile(r"<(?:html|body|head)\b[^>]*>", re.I)
_HTML_CLOSING = re.compile(r"</(?:p|div|h[1-6]|ul|ol|li|span|a|table|section|article)\s*>", re.I)


def sniff(data: bytes) -> str:
    """Say what ``data`` is by its content: ``"pdf"``, ``"html"`` or ``"text"``; raise for anything else."""
    if not data.strip():
        raise ExtractionError(EMPTY, "The file is empty.")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    _reject_known_binary(data)
    head = _quick_decode(data[:4096])
    if _looks_like_html(head):
        return "html"
    if head.lstrip().startswith("<?xml") and "<svg" in head:
        raise ExtractionError(UNSUPPORTED_TYPE, f"This looks like an image (SVG); {UPLOAD_HINT}.")
    sample = data[:65536]
    if _text_encoding_hint(sample) is None and _looks_binary(sample):
        what = next((name for magic, name in _WEAK_SIGNATURES if data.startswith(magic)), "binary data")
        raise ExtractionError(UNSUPPORTED_TYPE, f"This looks like {what}; {UPLOAD_HINT}.")
    return "text"


def _reject_known_binary(data: bytes) -> None:
    for magic, name in _SIGNATURES:
        if data.startswith(magic):
            raise ExtractionError(UNSUPPORTED_TYPE, f"This looks like {name}; {UPLOAD_HINT}.")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise ExtractionError(UNSUPPORTED_TYPE, f"This looks like an image (WebP); {UPLOAD_HINT}.")
    if data[4:8] == b"ftyp":
        raise ExtractionError(UNSUPPORTED_TYPE, f"This looks like a video or photo file; {UPLOAD_HINT}.")


def _looks_like_html(head: str) -> bool:
    if _HTML_START.match(head) or _HTML_ANYWHERE.search(head):
        return True
    return head.lstrip().startswith("<") and _HTML_CLOSING.search(head) is not None


def _text_encoding_hint(sample: bytes) -> str | None:
    """The encoding a BOM or a UTF-16 byte pattern announces, if any."""
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    if len(sample) < _MIN_SNIFF_BYTES:
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    # UTF-16 text without a BOM: ASCII letters leave a NUL in every other byte, on one side only.
    if odd_nuls > _MANY and even_nuls < _FEW:
        return "utf-16-le"
    if even_nuls > _MANY and odd_nuls < _FEW:
        return "utf-16-be"
    return None


_MIN_SNIFF_BYTES = 8
_MANY, _FEW = 0.4, 0.05
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


def _looks_binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(2, len(sample) // 50)


def _quick_decode(head: bytes) -> str:
    encoding = _text_encoding_hint(head) or "utf-8"
    return head.decode(encoding, errors="replace")


# --- PDF ------------------------------------------------------------------------------------------------------


def _extract_pdf(
    data: bytes, limits: _Limits, *, on_progress: ProgressCallback | None, layout: bool
) -> ExtractedDocument:
    pdf = _open_pdf(data)
    tables = _TableFinder(data, everywhere=layout)
    try:
        count = len(pdf)
        limits.check_pages(count)
        raw_pages = _read_pdf_pages(pdf, tables, limits, on_progress=on_progress)
        _check_text_layer(pdf, raw_pages)
        metadata_title = _pdf_metadata_title(pdf)
    finally:
        tables.close()
        pdf.close()
    pages = clean_pdf_pages(raw_pages)
    return ExtractedDocument(
        kind="pdf",
        pages=pages,
        title=metadata_title or _first_line_title(pages),
        reporting_period=detect_reporting_period(pages),
    )


def _open_pdf(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ExtractionError(ENCRYPTED, "This PDF is password-protected; upload an unprotected copy.") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise ExtractionError(
                ENCRYPTED, "This PDF uses an encryption scheme we cannot open; upload an unprotected copy."
            ) from None
        if code == pdfium_c.FPDF_ERR_SUCCESS:
            raise ExtractionError(EMPTY, "This PDF has no pages.") from None
        raise ExtractionError(
            CORRUPT, "This PDF is damaged and cannot be read; export it again from the original document."
        ) from None


def _read_pdf_pages(
    pdf: pdfium.PdfDocument, tables: _TableFinder, limits: _Limits, *, on_progress: ProgressCallback | None
) -> list[str]:
    count = len(pdf)
    texts: list[str] = []
    total_chars = 0
    for index in range(count):
        limits.check_time()
        try:
            page = pdf[index]
            try:
                text = _page_text(page, index, tables)
            finally:
                page.close()  # pdfium keeps parsed pages alive until closed: one page in memory at a time
        except pdfium.PdfiumError:
            raise ExtractionError(
                CORRUPT, f"Page {index + 1} of this PDF is damaged; export it again from the original document."
            ) from None
        total_chars += len(text)
        limits.check_chars(total_chars)
        texts.append(text)
        if on_progress is not None:
            on_progress(index + 1, count)
    return texts


def _page_text(page: pdfium.PdfPage, index: int, tables: _TableFinder) -> str:
    textpage = page.get_textpage()
    try:
        chars = textpage.count_chars()
        if chars > PAGE_CHAR_CAP:
            raise ExtractionError(
                BOMB,
                f"Page {index + 1} claims {chars:,} characters of text, which no real page holds; "
                "the file looks crafted or damaged.",
            )
        if chars <= 0:
            return ""
        found = tables.find(page, index)
        if found:
            return _compose_with_tables(textpage, page.get_bbox(), found)
        if page.get_rotation() == 0:
            split = _find_columns(textpage, page.get_bbox())
            if split is not None:
                return _read_columns(textpage, page.get_bbox(), split)
        return textpage.get_text_range()
    finally:
        textpage.close()


# Two-column reading order. pdfium orders text as the content stream draws it; generators that draw two columns
# line by line across the page make that order interleave the columns. We find a vertical gutter that no text
# rectangle crosses and read left column, then right column, band by band between full-width lines.

Rect = tuple[float, float, float, float]  # left, bottom, right, top in PDF points
_SAME_LINE = 2.0  # points between the tops of two pieces of one line
_WORD_GAP = 8.0  # points: wider gaps on one line are a gutter, not a space
_MIN_RECTS = 10  # fewer text lines than this cannot be told apart as columns
_MIN_COLUMN_LINES = 5


@dataclass(frozen=True, slots=True)
class _ColumnSplit:
    gutter: float
    spanning: tuple[Rect, ...]  # full-width lines (titles, captions), top first


def _text_rects(textpage: pdfium.PdfTextPage) -> list[Rect]:
    rects = [textpage.get_rect(i) for i in range(textpage.count_rects())]
    rects = sorted((r for r in rects if r[2] - r[0] > 1), key=lambda r: (-round(r[3]), r[0]))
    merged: list[Rect] = []
    for rect in rects:
        last = merged[-1] if merged else None
        # pdfium splits a line wherever the font changes; glue pieces of one line back together.
        if last and abs(last[3] - rect[3]) < _SAME_LINE and 0 <= rect[0] - last[2] < _WORD_GAP:
            merged[-1] = (last[0], min(last[1], rect[1]), rect[2], max(last[3], rect[3]))
        else:
            merged.append(rect)
    return merged


def _find_columns(textpage: pdfium.PdfTextPage, box: Rect) -> _ColumnSplit | None:
    rects = _text_rects(textpage)
    if len(rects) < _MIN_RECTS:
        return None
    width = box[2] - box[0]
    middle = (box[0] + 0.3 * width, box[0] + 0.7 * width)
    if sum(1 for r in rects if r[0] < middle[0] and r[2] > middle[1]) > 0.3 * len(rects):
        return None  # most lines run across the middle: one column (the common case, decided in one pass)
    candidates = [box[0] + width * step / 100 for step in range(30, 71, 2)]
    crossings = [sum(1 for r in rects if r[0] < x < r[2]) for x in candidates]
    fewest = min(crossings)
    gutter_xs = [x for x, crossing in zip(candidates, crossings, strict=True) if crossing == fewest]
    gutter = gutter_xs[len(gutter_xs) // 2]
    if fewest > 0.3 * len(rects):
        return None
    left = [r for r in rects if r[2] <= gutter]
    right = [r for r in rects if r[0] >= gutter]
    if not _are_text_columns(left, right, gutter):
        return None
    spanning = tuple(r for r in rects if r[0] < gutter < r[2])
    return _ColumnSplit(gutter=gutter, spanning=spanning)


def _are_text_columns(left: list[Rect], right: list[Rect], gutter: float) -> bool:
    """Both sides hold several long lines side by side: prose columns, not a label/value form."""
    if len(left) < _MIN_COLUMN_LINES or len(right) < _MIN_COLUMN_LINES:
        return False
    left_width = gutter - min(r[0] for r in left)
    right_width = max(r[2] for r in right) - gutter
    if _median(r[2] - r[0] for r in left) < 0.55 * left_width:
        return False
    if _median(r[2] - r[0] for r in right) < 0.55 * right_width:
        return False
    overlap = min(max(r[3] for r in left), max(r[3] for r in right)) - max(
        min(r[1] for r in left), min(r[1] for r in right)
    )
    extent = min(max(r[3] for r in side) - min(r[1] for r in side) for side in (left, right))
    return overlap > 0.3 * extent


def _median(values: Iterable[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def _read_columns(textpage: pdfium.PdfTextPage, box: Rect, split: _ColumnSplit) -> str:
    left, bottom, right, top = box
    parts: list[str] = []
    cursor = top
    for span in split.spanning:
        if span[3] < cursor:
            parts += _band(textpage, box, split.gutter, low=span[3] + 0.5, high=cursor)
        if span[1] < cursor:
            parts.append(textpage.get_text_bounded(left, span[1] + 0.5, right, min(span[3], cursor) - 0.5))
        cursor = min(cursor, span[1])
    parts += _band(textpage, box, split.gutter, low=bottom, high=cursor)
    # A blank line between parts keeps each column's lines together when paragraphs are rebuilt.
    return "\n\n".join(part for part in parts if part.strip())


def _band(textpage: pdfium.PdfTextPage, box: Rect, gutter: float, *, low: float, high: float) -> list[str]:
    if high - low < 1:
        return []
    return [
        textpage.get_text_bounded(box[0], low, gutter, high - 0.5),
        textpage.get_text_bounded(gutter, low, box[2], high - 0.5),
    ]


# Tables. A ruled grid is cheap to spot from pdfium's path objects; only those pages go through pdfplumber,
# whose cell-aware extraction keeps each row together where pdfium would interleave wrapped cells.

TABLE_ROW_MARK = "\ue000"  # private-use character: tells the paragraph rebuilder to leave this line alone


@dataclass(frozen=True, slots=True)
class _Table:
    top: float  # PDF points, bottom-left origin
    bottom: float
    rows: tuple[str, ...]


class _TableFinder:
    """Opens pdfplumber lazily, on the first page that looks like it holds a ruled table."""

    def __init__(self, data: bytes, *, everywhere: bool) -> None:
        self._data = data
        self._everywhere = everywhere
        self._plumber: Any = None

    def find(self, page: pdfium.PdfPage, index: int) -> list[_Table]:
        if not (self._everywhere or _has_ruled_grid(page)):
            return []
        try:
            if self._plumber is None:
                import pdfplumber  # heavy import, needed only for table pages

                self._plumber = pdfplumber.open(io.BytesIO(self._data))
            plumber_page = self._plumber.pages[index]
            try:
                return _plumber_tables(plumber_page, page_height=page.get_bbox()[3])
            finally:
                plumber_page.close()
        except Exception:  # pdfminer chokes on some files pdfium reads; the page's plain text still serves
            return []

    def close(self) -> None:
        if self._plumber is not None:
            # pdfplumber's close() walks every page and can itself choke on a damaged file (TypeError on a broken
            # MediaBox): the text is already read, so a failed close must not turn it into a crash.
            with contextlib.suppress(Exception):
                self._plumber.close()


def _plumber_tables(plumber_page: Any, *, page_height: float) -> list[_Table]:
    tables: list[_Table] = []
    for table in plumber_page.find_tables():
        cells = [[" ".join((cell or "").split()) for cell in row] for row in table.extract()]
        if not _is_real_table(cells):
            continue
        rows = tuple(" | ".join(row) for row in cells if any(row))
        _x0, top, _x1, bottom = table.bbox
        tables.append(_Table(top=page_height - top, bottom=page_height - bottom, rows=rows))
    return sorted(tables, key=lambda table: -table.top)


def _is_real_table(cells: list[list[str]]) -> bool:
    """Word often boxes each line of prose; a real table has several filled columns in most rows."""
    if len(cells) < 2 or max(len(row) for row in cells) < 2:  # noqa: PLR2004 - two rows, two columns
        return False
    filled = sum(1 for row in cells for cell in row if cell)
    total = sum(len(row) for row in cells)
    multi_column_rows = sum(1 for row in cells if sum(1 for cell in row if cell) >= 2)  # noqa: PLR2004
    return filled >= 0.6 * total and multi_column_rows >= 0.5 * len(cells)


_RULE = 3.0  # points: a path this thin is a rule, not a shape
_CELL_WIDTH, _CELL_HEIGHT = 20.0, 8.0  # points: smaller paths are icons or bullets, not cells
_MAX_OBJECTS = 5000  # inspecting more page objects than this costs more than it can save


def _has_ruled_grid(page: pdfium.PdfPage) -> bool:
    shapes = _path_bounds(page)
    hlines = sum(1 for r in shapes if r[3] - r[1] <= _RULE and r[2] - r[0] >= _CELL_WIDTH)
    vlines = sum(1 for r in shapes if r[2] - r[0] <= _RULE and r[3] - r[1] >= _CELL_HEIGHT)
    if min(hlines, vlines) >= 2:  # noqa: PLR2004 - a grid needs two rules each way
        return True
    boxes = [r for r in shapes if r[2] - r[0] >= _CELL_WIDTH and r[3] - r[1] >= _CELL_HEIGHT]
    return _rows_of_cells(boxes) >= 2  # noqa: PLR2004


def _path_bounds(page: pdfium.PdfPage) -> list[Rect]:
    count = pdfium_c.FPDFPage_CountObjects(page)
    if count > _MAX_OBJECTS:
        return []
    shapes: list[Rect] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for i in range(count):
        obj = pdfium_c.FPDFPage_GetObject(page, i)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            shapes.append((left.value, bottom.value, right.value, top.value))
    return shapes


def _rows_of_cells(boxes: list[Rect]) -> int:
    """Rows holding two boxes side by side. Word shades each line of prose with a box; tables put cells in a row."""
    rows: dict[tuple[int, int], list[Rect]] = {}
    for box in boxes:
        rows.setdefault((round(box[1] / _SAME_LINE), round(box[3] / _SAME_LINE)), []).append(box)
    count = 0
    for cells in rows.values():
        cells.sort()
        count += any(b[0] >= a[2] - _SAME_LINE for a, b in itertools.pairwise(cells))
    return count


def _compose_with_tables(textpage: pdfium.PdfTextPage, box: Rect, tables: list[_Table]) -> str:
    left, bottom, right, top = box
    parts: list[str] = []
    cursor = top
    for table in tables:
        if table.top < cursor - 1:
            parts.append(textpage.get_text_bounded(left, table.top + 0.5, right, cursor))
        parts.append("\n".join(TABLE_ROW_MARK + row for row in table.rows))
        cursor = min(cursor, table.bottom - 0.5)
    if cursor - bottom > 1:
        parts.append(textpage.get_text_bounded(left, bottom, right, cursor))
    return "\n\n".join(part for part in parts if part.strip())


def _check_text_layer(pdf: pdfium.PdfDocument, raw_pages: list[str]) -> None:
    """Refuse scans: no text at all, or a few stray characters on pages that are pictures."""
    chars = sum(len("".join(text.split())) for text in raw_pages)
    if chars >= 20 * len(raw_pages):
        return
    if chars == 0 or any(_page_has_image(pdf, index) for index in range(min(len(pdf), 50))):
        raise ExtractionError(
            NO_TEXT_LAYER,
            "This PDF has no selectable text: it looks like a scanned image. Upload a PDF with a text layer "
            "(for example one saved from Word or a web page), or paste the statement's text instead.",
        )


def _page_has_image(pdf: pdfium.PdfDocument, index: int) -> bool:
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return False
    try:
        count = pdfium_c.FPDFPage_CountObjects(page)
        return any(
            pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page, i)) == pdfium_c.FPDF_PAGEOBJ_IMAGE
            for i in range(min(count, 5000))
        )
    finally:
        page.close()


_MAX_TITLE = 150
_FILENAME_TITLE = re.compile(r"(^microsoft\s+\w+\s+-\s+)|(\.(docx?|pdf|indd|pptx?)$)|^untitled", re.I)


def _pdf_metadata_title(pdf: pdfium.PdfDocument) -> str:
    try:
        title = " ".join(pdf.get_metadata_value("Title").split())
    except (pdfium.PdfiumError, UnicodeDecodeError):
        return ""
    return "" if _FILENAME_TITLE.search(title) else title[:200]


def _first_line_title(pages: tuple[str, ...]) -> str:
    for page in pages[:2]:
        for line in page.splitlines():
            line = line.strip()
            if line:
                return line if len(line) <= _MAX_TITLE else ""
    return ""


# --- PDF text clean-up -----------------------------------------------------------------------------------------

_TRANSLATE = {
    0x00A0: " ",  # no-break space
    0x00AD: None,  # soft hyphen
    0x0002: "\ufffe",  # pdfium's marker for a hyphen it removed at a line end
    0x0009: " ",
    0xFB00: "ff",
    0xFB01: "fi",
    0xFB02: "fl",
    0xFB03: "ffi",
    0xFB04: "ffl",
    0xFB05: "st",
    0xFB06: "st",
    **dict.fromkeys((0xF0B7, 0xF0A7, 0xF0D8, 0xF076, 0xF0FC, 0xF0A8, 0xF06E, 0xF0D2, 0x25CF, 0x25AA, 0x25A0), "•"),
    **dict.fromkeys((0x2022, 0x2023, 0x2043, 0x25E6, 0x2219, 0x25AB, 0x25A1, 0x25CB), "•"),
}
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*[|:.\-\u2013]?\s*)?[\-\u2013(]?\s*\d{1,4}\s*[\-\u2013)]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I
)
_BULLET = re.compile(r"^(?:•|[-\u2013\u2014*·o]\s|\(?\d{1,2}[.)]\s|\(?[a-hj-z][.)]\s|\(?[ivx]{1,4}[.)]\s)")
_HYPHENATED = re.compile(r"(\w+(?:-\w+)*)\ufffe(\w+)")
_EDGE_LINES = 2  # how many lines at the top and bottom of a page can be running headers or footers
# Line-end hyphens after these stay (third-party, anti-slavery); elsewhere they are usually word breaks.
_COMPOUND_PREFIXES = frozenset(
    [
        "third",
        "non",
        "anti",
        "self",
        "well",
        "cross",
        "multi",
        "long",
        "short",
        "full",
        "part",
        "zero",
        "follow",
        "risk",
        "high",
        "low",
        "first",
        "second",
        "human",
        "child",
        "forced",
        "supply",
        "world",
        "large",
        "small",
        "medium",
    ]
)
_COMPOUND_SUFFIXES = frozenset(
    [
        "based",
        "party",
        "term",
        "site",
        "house",
        "up",
        "related",
        "led",
        "wide",
        "owned",
        "level",
        "making",
        "free",
        "tier",
        "scale",
        "time",
        "specific",
        "focused",
        "driven",
        "facing",
        "making",
        "wise",
    ]
)


def clean_pdf_pages(raw_pages: list[str]) -> tuple[str, ...]:
    """Raw per-page PDF text to readable page text: drop running headers/footers, rejoin paragraphs."""
    page_lines = [_split_lines(text) for text in raw_pages]
    _strip_running_lines(page_lines)
    vocabulary = _Vocabulary(page_lines)
    return tuple(_reflow(lines, vocabulary) for lines in page_lines)


def _split_lines(text: str) -> list[str]:
    text = _CONTROL_CHARS.sub("", text.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATE))
    return [" ".join(line.split()) if TABLE_ROW_MARK not in line else line.strip() for line in text.split("\n")]


_PAGE_LABEL = re.compile(r"^page\s*[|:.\-]?\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)


def _edge_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def _strip_running_lines(page_lines: list[list[str]]) -> None:
    """Remove lines repeated at the top or bottom of most pages, and bare page numbers there."""
    threshold = max(2, math.ceil(len(page_lines) * 0.5))
    heads: Counter[str] = Counter()
    feet: Counter[str] = Counter()
    for lines in page_lines:
        content = [line for line in lines if line]
        heads.update({_edge_key(line) for line in content[:_EDGE_LINES]})
        feet.update({_edge_key(line) for line in content[-_EDGE_LINES:]})
    running_heads, running_feet = _running(heads, threshold), _running(feet, threshold)
    for lines in page_lines:
        original = list(lines)
        _strip_edges(lines, running_heads, from_top=True)
        _strip_edges(lines, running_feet, from_top=False)
        # "Page 2" is a label wherever the content stream happened to draw it.
        lines[:] = ["" if _PAGE_LABEL.match(line) else line for line in lines]
        if not any(lines) and any(_PAGE_LABEL.match(line) is None for line in original if line):
            lines[:] = original  # a page that is nothing but "running" lines is content repeated, not a header


_RUNNING_LINE_MAX_CHARS = 120  # headers and footers are short; a repeated long sentence is content


def _running(counts: Counter[str], threshold: int) -> set[str]:
    # Keys need two letters or digits so that stray bullets or dashes are never taken for a running header.
    return {
        key
        for key, seen in counts.items()
        if seen >= threshold and sum(c.isalnum() for c in key) > 1 and len(key) <= _RUNNING_LINE_MAX_CHARS
    }


def _strip_edges(lines: list[str], running: set[str], *, from_top: bool) -> None:
    indexes = range(len(lines)) if from_top else range(len(lines) - 1, -1, -1)
    seen = 0
    for i in indexes:
        if not lines[i]:
            continue
        if seen >= _EDGE_LINES:
            return
        seen += 1
        if _edge_key(lines[i]) in running or _PAGE_NUMBER.match(lines[i]):
            lines[i] = ""


class _Vocabulary:
    """Words seen elsewhere in the document decide whether a line-end hyphen was a break or a real hyphen."""

    def __init__(self, page_lines: list[list[str]]) -> None:
        self._page_lines = page_lines
        self._words: set[str] | None = None
        self._compounds: set[str] = set()

    def keep_hyphen(self, left: str, right: str) -> bool:
        if len(left) == 1 or not right[:1].islower() or "-" in left:
            return True  # e-learning, Anti-Slavery, discovery-to-delivery
        words = self._load()
        if f"{left}-{right}".lower() in self._compounds:
            return True
        if f"{left}{right}".lower() in words:
            return False
        return left.lower() in _COMPOUND_PREFIXES or right.lower() in _COMPOUND_SUFFIXES

    def _load(self) -> set[str]:
        if self._words is None:
            text = "\n".join("\n".join(lines) for lines in self._page_lines).lower()
            self._words = set(re.findall(r"[a-z]+", text))
            self._compounds = set(re.findall(r"[a-z]+(?:-[a-z]+)+", text))
        return self._words


def _reflow(lines: list[str], vocabulary: _Vocabulary) -> str:
    """Join lines that a PDF broke mid-paragraph; keep headings, bullets and table rows on their own lines."""
    out: list[str] = []
    previous = ""
    for block in _blocks(lines):
        typical = _typical_length(block)
        previous = ""
        for line in block:
            if line.startswith(TABLE_ROW_MARK):
                out.append(line[1:])
                previous = ""
                continue
            if previous and _continues(previous, line, typical):
                out[-1] = _join(out[-1], line)
            else:
                out.append(line)
            previous = line
    return "\n".join(_dehyphenate(line, vocabulary) for line in out)


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _typical_length(block: list[str]) -> int:
    lengths = sorted(len(line) for line in block if not line.startswith(TABLE_ROW_MARK))
    if not lengths:
        return 0
    # The 80th percentile ignores headings and last lines; with few lines the longest one is the measure.
    return lengths[int(len(lengths) * 0.8)] if len(lengths) >= 4 else lengths[-1]  # noqa: PLR2004


def _continues(previous: str, line: str, typical: int) -> bool:
    if _BULLET.match(line):
        return False
    if len(previous) < 0.6 * typical:
        return False  # a short line ends a paragraph or is a heading
    if previous.endswith(":") and line[:1].isupper():
        return False
    is_heading = len(line) < 0.6 * typical and line[-1] not in ".,;:!?)" and line[:1].isupper()
    return not (is_heading and previous[-1] in ".!?:")


def _join(paragraph: str, line: str) -> str:
    if paragraph.endswith("-") and len(paragraph) > 1 and paragraph[-2].isalpha() and line[:1].islower():
        return paragraph[:-1] + "\ufffe" + line
    return paragraph + " " + line


def _dehyphenate(text: str, vocabulary: _Vocabulary) -> str:
    if "\ufffe" not in text:
        return text

    def choose(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        last = left.rsplit("-", 1)[-1]
        joiner = "-" if "-" in left or vocabulary.keep_hyphen(last, right) else ""
        return f"{left}{joiner}{right}"

    return _HYPHENATED.sub(choose, text).replace("\ufffe", "-")


# --- HTML -----------------------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_LEGACY_CHARSETS = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252"}
_ALWAYS_DROP = (
    "script",
    "style",
    "noscript",
    "iframe",
    "svg",
    "template",
    "form",
    "button",
    "select",
    "textarea",
    "input",
    "object",
    "embed",
    "canvas",
    "dialog",
    "title",
    "meta",
    "link",
)
_CHROME_TAGS = frozenset({"nav", "aside", "menu"})
_EDGE_TAGS = frozenset({"header", "footer"})
_NOISE_WORDS = re.compile(
    r"(?:^|[\s_-])(cookies?|consent|gdpr|onetrust|nav|navbar|navigation|menu|megamenu|breadcrumbs?|skip|"
    r"skiplink|sidebar|social|share|sharing|newsletter|subscribe|popup|header|footer|masthead|toolbar)(?=$|[\s_-])",
    re.I,
)
_NOISE_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "menu", "menubar", "search", "dialog", "alertdialog", "complementary"}
)
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "caption",
        "figure",
        "figcaption",
        "address",
        "br",
        "hr",
        "details",
        "summary",
        "center",
    ]
)
_PROTECTED_TAGS = frozenset({"html", "body", "main", "article"})


def decode_html(data: bytes) -> str:
    """Decode a web page by its BOM or ``<meta charset>``, else as UTF-8 (undecodable bytes become U+FFFD)."""
    declared = _html_declared_encoding(data)
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace")


def _html_declared_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", errors="ignore").lower()
    return _LEGACY_CHARSETS.get(name, name)


_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def parse_html(data: bytes) -> Any:
    """Parse a web page into an lxml tree (comments and processing instructions dropped, no network)."""
    text = re.sub(r"^\s*<\?xml[^>]*>", "", decode_html(data))  # lxml refuses str input with an encoding declaration
    # Control characters are not XML text: lxml accepts them in a parse but raises ValueError later, when a dropped
    # element's tail (a script, a nav) is re-attached. Real pages never need them; a hostile one used them.
    text = _XML_UNSAFE.sub(" ", text)
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        return lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        raise ExtractionError(EMPTY, "This web page has no readable content.") from None


def _extract_html(data: bytes, limits: _Limits) -> ExtractedDocument:
    root = parse_html(data)
    title = _html_title(root)
    for element in list(root.iter(*_ALWAYS_DROP)):
        _drop(element)
    main = _main_content(root)
    _drop_page_chrome(main, keep_edges=main.tag in ("main", "article") or main.get("role") == "main")
    text = _join_html_blocks(_html_blocks(main))
    if not text:
        raise ExtractionError(EMPTY, "This web page has no readable text in its main content.")
    limits.check_chars(len(text))
    return ExtractedDocument(kind="html", pages=(text,), title=title, reporting_period=detect_reporting_period((text,)))


def _drop(element: Any) -> None:
    if element.getparent() is not None:
        element.drop_tree()  # keeps the element's tail text


def _html_title(root: Any) -> str:
    for path in (".//title", ".//h1"):
        found = root.find(path)
        if found is not None:
            title = " ".join(found.text_content().split())
            if title:
                return title[:200]
    return ""


def _main_content(root: Any) -> Any:
    body = root.find("body")
    body = body if body is not None else root
    body_length = len(body.text_content())
    for path in ("//main", "//*[@role='main']", "//article"):
        found = root.xpath(path)
        if found:
            best = max(found, key=lambda element: len(element.text_content()))
            if len(best.text_content()) >= 0.25 * body_length:
                return best
    return body


def _drop_page_chrome(main: Any, *, keep_edges: bool) -> None:
    total = len(main.text_content()) or 1
    doomed = [(element, how) for element in main.iter() if (how := _chrome(element, keep_edges=keep_edges))]
    for element, how in doomed:
        # Class names like "site-content has-sidebar" sit on wrappers of the whole text: never drop most of it.
        if element is not main and (how == "tag" or len(element.text_content()) < 0.5 * total):
            _drop(element)


def _chrome(element: Any, *, keep_edges: bool) -> str:
    """Why ``element`` is page chrome: "tag" (nav, aside, hidden...), "attribute" (class/id/role), or ""."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _PROTECTED_TAGS or not tag:
        return ""
    if tag in _CHROME_TAGS or (tag in _EDGE_TAGS and not keep_edges):
        return "tag"
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return "tag"
    if "display:none" in (element.get("style") or "").replace(" ", "").lower():
        return "tag"
    if (element.get("role") or "").lower() in _NOISE_ROLES:
        return "attribute"
    labels = " ".join(element.get(name) or "" for name in ("id", "class", "aria-label"))
    return "attribute" if labels.strip() and _NOISE_WORDS.search(labels) else ""


class _BlockCollector:
    def __init__(self) -> None:
        self.blocks: list[tuple[str, str]] = []
        self._buffer: list[str] = []

    def add(self, text: str | None) -> None:
        if text:
            self._buffer.append(text)

    def has_text(self) -> bool:
        return any(piece.strip() for piece in self._buffer)

    def flush(self, kind: str) -> None:
        text = " ".join("".join(self._buffer).split())
        self._buffer.clear()
        if text and text.strip("| "):
            self.blocks.append((kind, text.strip("| ").strip()))


def _html_blocks(main: Any) -> list[tuple[str, str]]:
    """Walk the tree without recursion (pages can nest thousands deep) into (kind, text) blocks."""
    collector = _BlockCollector()
    kinds: list[str] = []
    for event, element in etree.iterwalk(main, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _BLOCK_TAGS:
                collector.flush(kinds[-1] if kinds else "p")
                kinds.append(_block_kind(tag, kinds))
            elif tag in ("td", "th") and collector.has_text():
                collector.add(" | ")
            collector.add(element.text)
            continue
        if tag in _BLOCK_TAGS:
            collector.flush(kinds.pop())
        if element is not main:
            collector.add(element.tail)
    collector.flush("p")
    return collector.blocks


def _block_kind(tag: str, open_kinds: list[str]) -> str:
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return "h"
    if tag == "li":
        return "li"
    if tag == "tr":
        return "row"
    inherited = open_kinds[-1] if open_kinds else "p"
    return inherited if inherited in ("li", "row", "h") and tag not in ("ul", "ol", "table") else "p"


def _join_html_blocks(blocks: list[tuple[str, str]]) -> str:
    parts: list[str] = []
    previous = ""
    for kind, text in blocks:
        if kind == "li" and not text.startswith("•"):
            text = "• " + text
        if parts:
            parts.append("\n" if kind == previous and kind in ("li", "row") else "\n\n")
        parts.append(text)
        previous = kind
    return "".join(parts).strip()


# --- plain text -----------------------------------------------------------------------------------------------


_BINARY_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # controls that text files do not use (tabs, form feeds do)


def _extract_text(data: bytes, limits: _Limits) -> ExtractedDocument:
    text = _decode_text(data)
    controls = len(_BINARY_CHARS.findall(text[:65536]))
    if "\x00" in text or controls > max(2, min(len(text), 65536) // 50):
        raise ExtractionError(UNSUPPORTED_TYPE, f"This looks like binary data; {UPLOAD_HINT}.")
    pages = [_tidy_text_page(page) for page in text.replace("\r\n", "\n").replace("\r", "\n").split("\f")]
    while pages and not pages[-1]:
        pages.pop()
    if not pages:
        raise ExtractionError(EMPTY, "The file is empty.")
    limits.check_pages(len(pages))
    limits.check_chars(sum(len(page) for page in pages))
    document_pages = tuple(pages)
    return ExtractedDocument(
        kind="text",
        pages=document_pages,
        title=_first_line_title(document_pages),
        reporting_period=detect_reporting_period(document_pages),
    )


def _decode_text(data: bytes) -> str:
    hint = _text_encoding_hint(data[:4096])
    if hint is not None:
        try:
            return data.decode(hint)
        except UnicodeDecodeError:
            raise ExtractionError(
                BAD_ENCODING, "This text file's encoding is damaged; save it as UTF-8 and upload it again."
            ) from None
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractionError(
        BAD_ENCODING, "We could not tell this text file's character encoding; save it as UTF-8 and upload it again."
    )


def _tidy_text_page(page: str) -> str:
    lines = [line.rstrip() for line in page.translate({0x00A0: " ", 0x00AD: None}).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


# --- reporting period -----------------------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{4}}|\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{4}})"
)
_PERIOD = re.compile(
    rf"\b(?:(?:financial|fiscal|reporting|calendar)\s+year\s+(?:ending|ended|to|end)\s+(?:on\s+)?{_DATE}"
    rf"|year\s+end(?:ed|ing)\s+(?:on\s+)?{_DATE}"
    rf"|(?:financial|fiscal|calendar|reporting)\s+year\s+(?:of\s+)?\d{{4}}(?:\s*[/\u2013-]\s*\d{{2,4}})?"
    rf"|FY\s?'?\d{{2,4}}(?:\s*[/\u2013-]\s*\d{{2,4}})?"
    rf"|period\s+(?:from\s+)?{_DATE}\s+(?:to|until|through|\u2013|-)\s+{_DATE})\b",
    re.I,
)


def detect_reporting_period(pages: tuple[str, ...] | list[str]) -> str:
    """The reporting period a disclosure states, e.g. "financial year ending 31 March 2024"; "" if none."""
    text = "\n".join(pages)[:200_000]
    match = _PERIOD.search(text)
    return " ".join(match.group(0).split()) if match else ""
