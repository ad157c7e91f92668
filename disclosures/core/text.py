"""Sentences, headings and clause-level language (negation, hedges, plans, actors) for disclosure text.

Segmentation keeps character offsets into the page text, so every finding can point at its evidence. Matching
works on a *normalised* copy of each sentence (lower case, ASCII quotes and dashes, hyphenation removed,
whitespace collapsed); the vocabularies live in the rubric TOML and arrive here as compiled patterns.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from disclosures.core.rubric import Actors, Language

Pattern = re.Pattern[str]

# One character in, one character out (or none): the normalised text is used for matching only.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u3000": " ",
        "\u00ad": None,
        "\u200b": None,
        "\ufeff": None,
        "\ufb01": "fi",
        "\ufb02": "fl",
    }
)
_LINE_RE = re.compile(r"[^\n\r\u2028\u2029\x0b\x0c\x85]+")
_BLANK_GAP_RE = re.compile(
    r"(?:\r\n|[\n\r\u2028\u2029\x0b\x0c\x85])[ \t\u00a0]*(?:\r\n|[\n\r\u2028\u2029\x0b\x0c\x85])"
)
_BULLET_RE = re.compile(
    r"^\s*(?:[-\u2022*\u00b7\u25aa\u25e6\u25cf\u25cb\u25a0\u25a1\u27a2\u25ba\u2713\u2013\u2014>]"
    r"|\(?(?:\d{1,2}|[A-Za-z]|[ivxIVX]{1,4})[.)\]](?!\d))\s+"
)
_HYPHEN_BREAK_RE = re.compile(r"(?<=[A-Za-z])-[ \t]*(?:\r\n|[\n\r\u2028\u2029])\s*(?=[a-z])")
_SPLIT_RE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u2022])")
_WORD_BEFORE_RE = re.compile(r"(?<![A-Za-z])([A-Za-z][A-Za-z.]{0,8})\.$")
# Words whose full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    {
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "inc",
        "co",
        "corp",
        "ltd",
        "llc",
        "plc",
        "no",
        "nos",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "vs",
        "sec",
        "art",
        "para",
        "fig",
        "approx",
        "dept",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "op",
        "p",
        "pp",
        "vol",
        "ch",
        "cf",
        "al",
        "est",
        "govt",
        "intl",
    }
)
_INLINE_HEAD_RE = re.compile(
    r"^(?P<head>[A-Z0-9][^.:;!?\n\u2013\u2014]{1,70}?)\s*(?::|\s[-\u2013\u2014]\s|[\u2013\u2014])\s*(?=\S)"
)
_DOT_HEAD_RE = re.compile(r"^(?P<head>[A-Z][A-Za-z\u2019'&/, -]{2,60}?)\.\s+(?=[A-Z\"\u201c])")
_CONNECTOR_END_RE = re.compile(
    r"\b(?:and|or|of|the|to|with|for|in|a|an|our|its|their|by|on|that|as|at|from|is|are|we|which|who|including)$",
    re.IGNORECASE,
)
_PRONOUN_START_RE = re.compile(r"^(?:we|our|they|it|this|these|in|if|as|at|to|all|each)\b", re.IGNORECASE)
_WORD_RE = re.compile(r"[a-z0-9][a-z0-9'-]*")
_TOKEN_RE = re.compile(r"[a-z0-9][a-z0-9&'-]*")
_MAX_SENTENCE = 1200  # characters; longer runs (tables, run-on PDF text) are cut at whitespace
# Heading shape: headings are short; longer ones must look like titles (most long words capitalised).
_MAX_HEADING_CHARS = 110
_MAX_HEADING_WORDS = 12
_MAX_QUESTION_WORDS = 20
_MAX_COLON_HEADING_WORDS = 5
_SHORT_HEADING_WORDS = 6
_MAX_PREFIX_WORDS = 8
_MAX_NAMED_PREFIX_WORDS = 4
_LONG_WORD = 3  # letters; shorter words ("of", "and") are ignored when judging title case
_TITLE_SHARE = 0.6
_PREFIX_TITLE_SHARE = 0.5
_MAX_NEGATION_GAP = 16  # words between a negation and the activity it governs ("not feasible ... or to audit")
_NEGATION_HEAD = 6  # words after a negation that must be auxiliaries, light verbs or limiting words
_MAX_UNKNOWN_HEAD_WORDS = 2


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence or heading: ``page_text[start:end]`` is its text, ``norm`` the folded copy for matching."""

    start: int
    end: int
    norm: str
    is_heading: bool = False
    heading: str = ""  # the nearest heading above, normalised ("" when none)
    lead: str = ""  # for list items: the lead-in sentence ending with ":" above the list
    is_item: bool = False
    block: int = 0  # paragraph number within the page


def normalise(raw: str) -> str:
    """Fold quotes, dashes and spaces, undo line-break hyphenation, collapse whitespace, lower-case."""
    folded = raw if raw.isascii() else raw.translate(_FOLD)
    if "-" in folded and ("\n" in folded or "\r" in folded or "\u2028" in raw):
        folded = _HYPHEN_BREAK_RE.sub("", folded)
    return " ".join(folded.split()).lower()


def words(norm: str) -> list[str]:
    """The words of a normalised sentence, hyphenated compounds kept whole ("self-assessment")."""
    return _TOKEN_RE.findall(norm)


# ----------------------------------------------------------------------------------------------------------
# Segmentation
# ----------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    start: int  # content start (after any bullet marker)
    end: int
    text: str  # stripped content
    bullet: bool
    blank_before: bool


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    previous_end = 0
    for match in _LINE_RE.finditer(text):
        raw = match.group()
        stripped = raw.strip()
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip())
        start = match.start() + lead
        end = start + len(stripped)
        blank_before = not lines or bool(_BLANK_GAP_RE.search(text, previous_end, start))
        bullet = _BULLET_RE.match(stripped)
        if bullet and bullet.end() < len(stripped):
            start += bullet.end()
            stripped = stripped[bullet.end() :]
        lines.append(_Line(start, end, stripped, bullet is not None, blank_before))
        previous_end = end
    return lines


def _title_share(tokens: list[str]) -> float:
    """Share of the longer words that start with a capital (1.0 when there are none)."""
    long_words = [word for word in tokens if len(word) > _LONG_WORD]
    if not long_words:
        return 1.0
    return sum(1 for word in long_words if word[:1].isupper()) / len(long_words)


def _looks_like_heading(line: _Line, following: _Line | None) -> bool:
    """A short line without closing punctuation that introduces more text."""
    text = line.text
    if following is None or len(text) > _MAX_HEADING_CHARS or not any(ch.isalpha() for ch in text):
        return False
    if following.text[:1].islower() and not following.bullet:
        return False  # the sentence runs on to the next line
    tokens = text.split()
    if text.endswith("?"):
        return len(tokens) <= _MAX_QUESTION_WORDS
    if text.endswith(":"):
        return len(tokens) <= _MAX_COLON_HEADING_WORDS and not _PRONOUN_START_RE.match(text)
    return _is_plain_heading(line, following, tokens)


def _is_plain_heading(line: _Line, following: _Line, tokens: list[str]) -> bool:
    text = line.text
    if text[-1] in ".,;" or not (text[0].isupper() or text[0].isdigit()) or len(tokens) > _MAX_HEADING_WORDS:
        return False
    if _CONNECTOR_END_RE.search(text):
        return False
    if len(tokens) <= _SHORT_HEADING_WORDS or text.isupper() or following.blank_before:
        return True
    return (line.blank_before and following.bullet) or _title_share(tokens) >= _TITLE_SHARE


def _inline_heading(text: str, heading_prefix: Pattern | None) -> int:
    """Length of a heading prefix such as "1. Verification: ..." or "Training - ..." at a line start, else 0."""
    match = _INLINE_HEAD_RE.match(text)
    if match and _is_title_like(match.group("head"), heading_prefix, strict=False):
        return match.end()
    match = _DOT_HEAD_RE.match(text)
    if match and heading_prefix is not None and _is_title_like(match.group("head"), heading_prefix, strict=True):
        return match.end()
    return 0


def _is_title_like(head: str, heading_prefix: Pattern | None, *, strict: bool) -> bool:
    tokens = head.split()
    if not tokens or len(tokens) > _MAX_PREFIX_WORDS or _PRONOUN_START_RE.match(head):
        return False
    title = _title_share(tokens) >= _PREFIX_TITLE_SHARE
    named = heading_prefix is not None and heading_prefix.search(normalise(head)) is not None
    if strict:
        return title and named
    return (title and len(tokens) <= _SHORT_HEADING_WORDS) or (named and len(tokens) <= _MAX_NAMED_PREFIX_WORDS)


def _cut_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > _MAX_SENTENCE:
        cut = text.rfind(" ", start + _MAX_SENTENCE // 2, start + _MAX_SENTENCE)
        cut = cut if cut > start else start + _MAX_SENTENCE
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def _sentence_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split ``text[start:end]`` at sentence ends, skipping abbreviations such as "U.S." and "Inc."."""
    begin = start
    for match in _SPLIT_RE.finditer(text, start, end):
        if text[match.start()] == "." and _is_abbreviation(text, max(begin, match.start() - 12), match.start() + 1):
            continue
        yield from _cut_long(text, begin, match.start() + len(match.group().rstrip()))
        begin = match.end()
    if begin < end:
        yield from _cut_long(text, begin, end)


def _is_abbreviation(text: str, start: int, end: int) -> bool:
    word = _WORD_BEFORE_RE.search(text, start, end)
    if word is None:
        return False
    token = word.group(1)
    return len(token) == 1 or token.lower().rstrip(".") in _ABBREVIATIONS


class _Segmenter:
    """Walks the lines of one page once, tracking the current heading, list lead-in and paragraph."""

    def __init__(self, text: str, heading_prefix: Pattern | None) -> None:
        self.text = text
        self.heading_prefix = heading_prefix
        self.out: list[Sentence] = []
        self.heading = ""
        self.lead = ""
        self.block = 0
        self.block_start = -1
        self.block_end = -1
        self.block_item = False

    def run(self) -> list[Sentence]:
        lines = _lines(self.text)
        for index, line in enumerate(lines):
            following = lines[index + 1] if index + 1 < len(lines) else None
            self._line(line, following)
        self._flush()
        return self.out

    def _line(self, line: _Line, following: _Line | None) -> None:
        if _looks_like_heading(line, following):
            self._flush()
            self._emit_heading(line.start, line.end)
            return
        continues = self.block_start >= 0 and not line.bullet and not line.blank_before
        if continues and self.text[self.block_end - 1] in ".!?:" and not line.text[:1].islower():
            continues = False
        if continues:
            self.block_end = line.end
            return
        self._flush()
        start = line.start
        prefix = _inline_heading(line.text, self.heading_prefix)
        if prefix:
            self._emit_heading(start, start + len(line.text[:prefix].rstrip(" .:-\u2013\u2014")))
            start += prefix
        self.block_start, self.block_end, self.block_item = start, line.end, line.bullet or bool(prefix)

    def _emit_heading(self, start: int, end: int) -> None:
        norm = normalise(self.text[start:end])
        self.block += 1
        self.out.append(Sentence(start, end, norm, is_heading=True, heading=norm, block=self.block))
        self.heading = norm
        self.lead = ""

    def _flush(self) -> None:
        if self.block_start < 0:
            return
        self.block += 1
        if not self.block_item:
            self.lead = ""
        last = ""
        for start, end in _sentence_spans(self.text, self.block_start, self.block_end):
            norm = normalise(self.text[start:end])
            if not norm:
                continue
            self.out.append(
                Sentence(
                    start, end, norm, heading=self.heading, lead=self.lead, is_item=self.block_item, block=self.block
                )
            )
            last = norm
        if last.endswith(":"):
            self.lead = last
        self.block_start = self.block_end = -1
        self.block_item = False


def segment(text: str, *, heading_prefix: Pattern | None = None) -> list[Sentence]:
    """Sentences and headings of one page, in order, with offsets into ``text``.

    ``heading_prefix`` (from the rubric) recognises statute-echo headings that end with a full stop, as in
    "Supply Chain Verification. Our policy is ..."; colon and dash headings are recognised without it.
    """
    return _Segmenter(text, heading_prefix).run()


# ----------------------------------------------------------------------------------------------------------
# Clause-level language
# ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Negation:
    """A negation that governs an activity. ``kind``: plain, partial ("no *formal* program") or qualifier
    ("we do not use *third-party* auditors", which also tells us the work is internal)."""

    kind: str
    start: int


@lru_cache(maxsize=4096)
def _clause_breaks(norm: str, breaks: Pattern) -> tuple[tuple[int, ...], tuple[int, ...]]:
    found = [(match.start(), match.end()) for match in breaks.finditer(norm)]
    return tuple(start for start, _ in found), tuple(end for _, end in found)


def clause_span(norm: str, pos: int, breaks: Pattern) -> tuple[int, int]:
    """The clause of ``norm`` around ``pos``, bounded by the rubric's clause breaks (cached per sentence)."""
    starts, ends = _clause_breaks(norm, breaks)
    before = bisect_right(ends, pos)  # breaks ending at or before pos
    start = ends[before - 1] if before else 0
    after = bisect_left(starts, pos, lo=before)
    end = starts[after] if after < len(starts) else len(norm)
    return start, end


def find_negation(norm: str, start: int, end: int, lang: Language) -> Negation | None:
    """The negation governing the activity at ``norm[start:end]``, if any (RUBRIC.md §2 rule 2)."""
    clause_start, clause_end = clause_span(norm, start, lang.clause_break)
    cue = None
    for match in lang.negation.finditer(norm, clause_start, start):
        cue = match
    if cue is None or not _governs(norm, cue, start, end, lang):
        if norm.find(" not ", end, clause_end) < 0:
            return None
        cue = lang.negation_after.match(norm, end, clause_end)  # "training ... is not currently provided"
        if cue is None:
            return None
        return Negation(_negation_kind(norm[start : cue.end()], lang), start)
    return Negation(_negation_kind(norm[cue.start() : min(clause_end, end + 40)], lang), cue.start())


def _negation_kind(scope: str, lang: Language) -> str:
    if lang.negation_qualifier.search(scope):
        return "qualifier"
    if lang.negation_partial.search(scope):
        return "partial"
    return "plain"


def _governs(norm: str, cue: re.Match[str], start: int, end: int, lang: Language) -> bool:
    if lang.negation_false.match(norm, cue.start()) or lang.negation_object_false.match(norm, end):
        return False  # "not limited to", "no audit has found ..."
    gap = _WORD_RE.findall(norm, cue.end(), start)
    if len(gap) > _MAX_NEGATION_GAP or any(word in lang.negation_blockers for word in gap):
        return False
    # The negation must attach to a light or activity verb right after it; what follows may be its object
    # or a coordinated activity ("not feasible to verify supply chains or audit suppliers").
    unknown = sum(1 for word in gap[:_NEGATION_HEAD] if word not in lang.negation_gap)
    return unknown <= _MAX_UNKNOWN_HEAD_WORDS


def is_hedged(norm: str, start: int, lang: Language) -> bool:
    """A conditional, optional, reserved or partial wording in the activity's clause."""
    clause_start, clause_end = clause_span(norm, start, lang.clause_break)
    return lang.hedge.search(norm, clause_start, clause_end) is not None


def is_planned(norm: str, start: int, lang: Language) -> bool:
    """A future plan ("will introduce", "is developing") in the activity's clause (RUBRIC.md §2 rule 9)."""
    clause_start, clause_end = clause_span(norm, start, lang.clause_break)
    if lang.planned.search(norm, clause_start, clause_end) is None:
        return False
    return lang.planned_false.search(norm, clause_start, clause_end) is None


@lru_cache(maxsize=2048)
def _actor_words(norm: str, actors: Actors) -> tuple[tuple[int, int, str], ...]:
    """Every actor word of a sentence, by end position; found once per sentence. The whole sentence is
    searched because the supplier pattern looks ahead ("supplier audits" is a modifier, not a doer)."""
    kinds = (("company", actors.company), ("supplier", actors.supplier), ("third_party", actors.third_party))
    found = [(match.start(), match.end(), kind) for kind, pattern in kinds for match in pattern.finditer(norm)]
    return tuple(sorted(found, key=lambda item: (item[1], -item[0])))


def actor_of(norm: str, start: int, end: int, *, actors: Actors, breaks: Pattern) -> str:
    """Who does the activity at ``norm[start:end]``: "company", "supplier" or "third_party".

    The nearest actor word before the activity in its clause decides; a supplier followed by "undergo",
    "complete", "allow" ... (or an activity in the passive, "suppliers are audited") is the object, so the
    company does the activity. No actor word means the statement's own voice: the company.
    """
    clause_start, _ = clause_span(norm, start, breaks)
    best_kind, best_start, best_end = "company", -1, -1
    for match_start, match_end, kind in _actor_words(norm, actors):
        if match_end > start:
            break
        if match_start >= clause_start and match_end > best_end:
            best_kind, best_start, best_end = kind, match_start, match_end
    if best_kind != "supplier":
        return best_kind
    if actors.joint.search(norm, max(clause_start, best_start - 40), best_start):
        return "company"  # "we work with our suppliers to assess risk"
    if not norm[best_end:start].strip(" ,"):
        return "supplier"  # "factories inspect their own subcontractors"
    if not actors.supplier_verb.match(norm, best_end, start):
        return "company"  # the supplier is an object ("provide employees or contractors with training")
    if actors.passive.search(norm, best_end, start) or norm[start:end].split(" ")[0].endswith("ed"):
        return "company"
    return "supplier"
