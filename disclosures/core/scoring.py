"""Score a disclosure against the rubric: five area findings with evidence, two scores, a tier and a grade.

The pipeline is one pass over the sentences. For each sentence a cheap trigger per area decides whether any
detailed analysis is needed; only matching sentences are checked for actor, negation, plans and hedges.
The hits for an area are then resolved into one status (RUBRIC.md §2), qualifiers and quality signals
(§3), and the scores (§4). Everything here is deterministic and never raises on odd text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from disclosures.core.rubric import Area, Rubric, Signal, load_rubric
from disclosures.core.text import (
    Sentence,
    actor_of,
    clause_span,
    find_negation,
    is_hedged,
    is_planned,
    segment,
    words,
)
from disclosures.core.types import AREAS, AreaFinding, Evidence, ExtractedDocument, HomepageSignal, ScoreCard

_QUOTE_MAX = 300
_EVIDENCE_MAX = 3
_POSITIVE = ("does", "does_hedged")
_SHALL_RE = re.compile(r"\b(?:shall|should)\b")
_TIER_RANK = {"strong": 0, "weak": 1, "context": 2}
_STRONG_GROUPS = frozenset({"s", "s2"})
_COMBINED_LIMIT = 4096  # cached cue combinations (a few dozen per area in practice)
_BLANKET_MIN_AREAS = 3  # area names in one negated or planned sentence that make it a blanket answer
_EXCLUSION_REACH = 60  # characters after an exclusion that it still covers
_WE_RE = re.compile(r"\b(?:we|our)\b")
# How sure each kind of finding is: explicit strong wording is near-certain, inferred wording less so.
_CONFIDENCE = {
    ("does", "strong"): 0.9,
    ("does", "weak"): 0.75,
    ("does_hedged", "strong"): 0.8,
    ("does_hedged", "weak"): 0.7,
    ("does_hedged", "context"): 0.6,
    ("does_not", "plain"): 0.9,
    ("does_not", "limited"): 0.75,
    ("does_not", "planned"): 0.7,
    ("does_not", "blanket"): 0.6,
}


@dataclass(frozen=True, slots=True)
class _Hit:
    area: str
    page: int  # 1-based
    sentence: Sentence
    polarity: str  # "pos" | "neg" | "planned"
    tier: str  # "strong" | "weak" | "context" | "blanket"
    hedged: bool = False
    neg_kind: str = ""  # "plain" | "partial" | "qualifier" for negatives
    at: int = 0  # where the cue starts in sentence.norm


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a sentence sits: its page (1-based) and its neighbours, for paragraph-level context."""

    page: int
    sentences: list[Sentence]
    index: int

    @property
    def sentence(self) -> Sentence:
        return self.sentences[self.index]


@dataclass(slots=True)
class _Scan:
    hits: dict[str, list[_Hit]] = field(default_factory=lambda: defaultdict(list))
    headings: set[str] = field(default_factory=set)  # areas with a heading of their own
    echoes: set[str] = field(default_factory=set)  # areas named only in text about the law
    sections: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # norms under area headings
    signal_texts: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # trigger group -> norms
    heading_cache: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Decision:
    status: str
    hits: tuple[_Hit, ...]
    confidence: float
    flags: tuple[str, ...] = ()


# ----------------------------------------------------------------------------------------------------------
# Public API
# ----------------------------------------------------------------------------------------------------------


def score_document(
    doc: ExtractedDocument, rubric: Rubric | None = None, *, homepage: HomepageSignal | None = None
) -> ScoreCard:
    """Score every page of ``doc``; evidence offsets point into ``doc.pages``."""
    rubric = rubric or load_rubric()
    pages = [segment(page or "", heading_prefix=rubric.heading_prefix) for page in doc.pages]
    scan = _scan(pages, rubric)
    findings: dict[str, AreaFinding] = {}
    flags: list[str] = []
    for area_id in AREAS:
        area = rubric.areas[area_id]
        finding, area_flags = _finding(area, scan, rubric, doc.pages)
        findings[area_id] = finding
        flags.extend(area_flags)
    if any(hit.tier == "blanket" for hits in scan.hits.values() for hit in hits):
        flags.append("blanket_statement")
    beyond = _beyond_statute(scan, rubric)
    summary = summarize(findings, beyond_statute=beyond, rubric=rubric, homepage=homepage)
    return ScoreCard(
        rubric=rubric.version,
        areas=findings,
        compliance_score=summary.compliance_score,
        practice_score=summary.practice_score,
        tier=summary.tier,
        grade=summary.grade,
        flags=tuple(flags),
        beyond_statute=beyond,
        crosswalk=_crosswalk(findings, scan, rubric),
    )


@dataclass(frozen=True, slots=True)
class ScoreSummary:
    compliance_score: int
    practice_score: int
    tier: str
    grade: str


def summarize(
    findings: dict[str, AreaFinding],
    *,
    beyond_statute: tuple[str, ...] = (),
    rubric: Rubric | None = None,
    homepage: HomepageSignal | None = None,
) -> ScoreSummary:
    """Both scores, tier and grade from per-area findings: the scorer's own, or a reviewer's overrides."""
    rubric = rubric or load_rubric()
    compliance = _compliance_score(findings, rubric, homepage)
    tier = _tier(compliance, rubric)
    practice = _practice_score(findings, beyond_statute, rubric)
    return ScoreSummary(compliance, practice, tier, _grade(practice, tier, rubric))


def score_text(text: str, rubric: Rubric | None = None, *, homepage: HomepageSignal | None = None) -> ScoreCard:
    """Score one page of plain text (pasted statements, tests)."""
    return score_document(ExtractedDocument(kind="text", pages=(text,)), rubric, homepage=homepage)


# ----------------------------------------------------------------------------------------------------------
# Scanning sentences
# ----------------------------------------------------------------------------------------------------------


def _scan(pages: list[list[Sentence]], rubric: Rubric) -> _Scan:
    scan = _Scan()
    for page_number, sentences in enumerate(pages, start=1):
        for index, sentence in enumerate(sentences):
            context = _heading_areas(sentence.heading, rubric, scan.heading_cache)
            if sentence.is_heading:
                scan.headings.update(context)
                continue
            for area_id in context:
                scan.sections[area_id].append(sentence.norm)
            groups = rubric.triggers.groups_of(words(sentence.norm))
            for group in groups & rubric.signal_groups:
                scan.signal_texts[group].append(sentence.norm)
            if context and _answer(scan, rubric, page_number, sentence, context):
                continue
            areas = [area_id for area_id in AREAS if area_id in groups or area_id in context]
            if not areas and "blanket" not in groups:
                continue
            if _is_about_the_law(sentence, rubric, groups):
                scan.echoes.update(_areas_named(sentence.norm, rubric))
                continue
            named = sum(1 for area_id in AREAS if f"name:{area_id}" in groups)
            blanket = "blanket" in groups or named >= _BLANKET_MIN_AREAS
            place = _Place(page_number, sentences, index)
            _scan_sentence(scan, rubric, place, context=context, areas=areas, blanket=blanket, groups=groups)
    return scan


def _answer(scan: _Scan, rubric: Rubric, page: int, sentence: Sentence, context: frozenset[str]) -> bool:
    """A bare "Yes." or "No." under an area heading or question answers for that area."""
    lang = rubric.language
    if lang.answer_yes.match(sentence.norm):
        polarity = "pos"
    elif lang.answer_no.match(sentence.norm):
        polarity = "neg"
    else:
        return False
    for area_id in context:
        hit = _Hit(area_id, page, sentence, polarity, "context", hedged=True, neg_kind="plain")
        scan.hits[area_id].append(hit)
    return True


def _heading_areas(heading: str, rubric: Rubric, cache: dict[str, frozenset[str]]) -> frozenset[str]:
    if not heading:
        return frozenset()
    if heading not in cache:
        cache[heading] = frozenset(area.id for area in rubric.areas.values() if area.heading.search(heading))
    return cache[heading]


def _is_about_the_law(sentence: Sentence, rubric: Rubric, groups: set[str]) -> bool:
    """Text that describes the statute or restates its list (RUBRIC.md §2 rule 4) is never evidence."""
    lang = rubric.language
    if "law" in groups and lang.law_description.search(sentence.norm):
        return True
    if not lang.statute_echo.match(sentence.norm):  # every echo pattern is anchored at the start
        return False
    return not lang.company_voice.search(sentence.lead)


def _areas_named(norm: str, rubric: Rubric) -> set[str]:
    names = rubric.language.blanket_area_names
    return {area_id for area_id, pattern in zip(AREAS, names, strict=True) if pattern.search(norm)}


def _scan_sentence(
    scan: _Scan,
    rubric: Rubric,
    place: _Place,
    *,
    context: frozenset[str],
    areas: list[str],
    blanket: bool,
    groups: set[Any],
) -> None:
    sentence = place.sentence
    found = _blanket(sentence.norm, rubric) if blanket else None
    if found is not None:
        polarity, kind, at = found
        for area_id in AREAS:
            scan.hits[area_id].append(_Hit(area_id, place.page, sentence, polarity, "blanket", neg_kind=kind, at=at))
    gated: dict[str, list[int]] = defaultdict(list)
    for group in groups:
        if type(group) is tuple:  # (area, cue number): that cue's trigger word is in the sentence
            gated[group[0]].append(group[1])
    for area_id in areas:
        area = rubric.areas[area_id]
        selected = tuple(sorted((*area.ungated_cues, *gated.get(area_id, ()))))
        scan.hits[area_id].extend(_area_hits(area, rubric, place, selected=selected, in_context=area_id in context))


def _blanket(norm: str, rubric: Rubric) -> tuple[str, str, int] | None:
    """One negated or planned statement covering every area ("we do not engage in any of these measures")."""
    lang = rubric.language
    if lang.negation.search(norm) is None and lang.planned.search(norm) is None:
        return None
    match = lang.blanket.search(norm)
    if match is None:
        named = [pattern.search(norm) for pattern in lang.blanket_area_names]
        found = [item for item in named if item is not None]
        if len(found) < _BLANKET_MIN_AREAS:
            return None
        match = min(found, key=lambda item: item.start())
    negation = find_negation(norm, match.start(), match.end(), lang)
    if negation is not None:
        return "neg", negation.kind, match.start()
    if is_planned(norm, match.start(), lang):
        return "planned", "", match.start()
    return None


def _area_hits(area: Area, rubric: Rubric, place: _Place, *, selected: tuple[int, ...], in_context: bool) -> list[_Hit]:
    """One hit per clause that mentions the activity ("we do not X, but we do Y" gives two), using the
    strongest cue in each clause that is not excluded and not done by a supplier."""
    norm = place.sentence.norm
    candidates = _candidates(area, rubric, norm, selected=selected, in_context=in_context)
    if not candidates:
        return []
    breaks = rubric.language.clause_break
    ranked = sorted(candidates, key=lambda item: (clause_span(norm, item[0].start(), breaks)[0], _TIER_RANK[item[1]]))
    hits: list[_Hit] = []
    done: set[int] = set()
    for match, tier in ranked:
        clause = clause_span(norm, match.start(), breaks)[0]
        if clause in done:
            continue
        # The actor check is the costly part: only the best cue of each clause is checked, then the next.
        if not (tier == "context" and area.context_any_actor) and _done_by_supplier(area, rubric, norm, match):
            continue
        done.add(clause)
        hit = _classify(area, rubric, place, match, tier)
        if hit is not None:
            hits.append(hit)
    return sorted(hits, key=lambda hit: hit.at)


def _candidates(
    area: Area, rubric: Rubric, norm: str, *, selected: tuple[int, ...], in_context: bool
) -> list[tuple[re.Match[str], str]]:
    """Activity cues in the sentence, minus excluded ones; only patterns whose trigger words fired are run,
    combined into one alternation (compiled once per combination) so the sentence is scanned once."""
    found: list[tuple[re.Match[str], str]] = []
    if selected:
        combined, strong_only = _combined_cues(rubric, area, selected)
        found = [
            (match, "strong" if match.lastgroup in _STRONG_GROUPS else "weak") for match in combined.finditer(norm)
        ]
        if strong_only is not None and any(tier == "weak" for _, tier in found):
            # A weak match can swallow a strong cue that starts inside it; look for those separately.
            found.extend((match, "strong") for match in strong_only.finditer(norm))
    if in_context and area.context is not None:
        found.extend((match, "context") for match in area.context.finditer(norm))
    if found and area.exclude is not None:
        exclusions = list(area.exclude.finditer(norm))
        found = [(match, tier) for match, tier in found if not _is_excluded(match, exclusions)]
    return found


_COMBINED: dict[tuple[str, str, tuple[int, ...]], tuple[re.Pattern[str], re.Pattern[str] | None]] = {}


def _combined_cues(
    rubric: Rubric, area: Area, selected: tuple[int, ...]
) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    key = (rubric.sha256, area.id, selected)
    cached = _COMBINED.get(key)
    if cached is None:
        strong = [area.cues[index].source for index in selected if area.cues[index].tier == "strong"]
        weak = [area.cues[index].source for index in selected if area.cues[index].tier == "weak"]
        combined = "|".join(_tier_alternation(items, tier) for items, tier in ((strong, "s"), (weak, "w")) if items)
        strong_only = re.compile(_tier_alternation(strong, "x")) if strong and weak else None
        cached = (re.compile(combined), strong_only)
        if len(_COMBINED) > _COMBINED_LIMIT:
            _COMBINED.clear()
        _COMBINED[key] = cached
    return cached


def _tier_alternation(items: list[str], name: str) -> str:
    """Cues of one tier in a named group; those starting with a word boundary share a single ``\\b`` (the
    regex engine then gives up inside words after one check)."""
    bounded = "|".join(f"(?:{item[2:]})" for item in items if item.startswith("\\b"))
    other = "|".join(f"(?:{item})" for item in items if not item.startswith("\\b"))
    parts = [f"(?P<{name}>\\b(?:{bounded}))" if bounded else "", f"(?P<{name}2>{other})" if other else ""]
    return "|".join(part for part in parts if part)


def _classify(area: Area, rubric: Rubric, place: _Place, match: re.Match[str], tier: str) -> _Hit | None:
    """Polarity of one activity cue: negated, planned, or done (plainly or hedged)."""
    sentence = place.sentence
    norm = sentence.norm
    lang = rubric.language
    negation = find_negation(norm, match.start(), match.end(), lang)
    if negation is not None:
        return _Hit(area.id, place.page, sentence, "neg", tier, neg_kind=negation.kind, at=match.start())
    if is_planned(norm, match.start(), lang):
        return _Hit(area.id, place.page, sentence, "planned", tier, at=match.start())
    gate = _GATES.get(area.id)
    forced_hedge = gate(area, place, tier) if gate else False
    if forced_hedge is None:
        return None
    hedged = forced_hedge or tier != "strong" or is_hedged(norm, match.start(), lang)
    return _Hit(area.id, place.page, sentence, "pos", tier, hedged=hedged, at=match.start())


def _is_excluded(match: re.Match[str], exclusions: list[re.Match[str]]) -> bool:
    # An exclusion overlapping the cue, or just before it ("allow us access ... to conduct inspections").
    return any(item.start() <= match.end() and match.start() <= item.end() + _EXCLUSION_REACH for item in exclusions)


def _done_by_supplier(area: Area, rubric: Rubric, norm: str, match: re.Match[str]) -> bool:
    if not area.check_actor or (area.actor_free is not None and area.actor_free.search(norm)):
        return False
    actor = actor_of(norm, match.start(), match.end(), actors=rubric.actors, breaks=rubric.language.clause_break)
    return actor == "supplier"


# ----------------------------------------------------------------------------------------------------------
# Area-specific gates: None rejects the cue, True forces "hedged", False leaves it to the wording.
# ----------------------------------------------------------------------------------------------------------


def _certification_gate(area: Area, place: _Place, tier: str) -> bool | None:
    """RUBRIC.md §2 rule 5: certify to trafficking law (does) or labor law (hedged); generic law only when
    trafficking or labor is named in the same paragraph."""
    terms = area.terms
    norm = place.sentence.norm
    if _has(terms["topic_strong"], norm):
        return False
    if _has(terms["topic_labor"], norm):
        return True
    if tier != "strong" and not _has(terms["topic_law"], norm):
        return None
    topics = (terms["topic_strong"], terms["topic_labor"])
    nearby = [item.norm for item in _neighbours(place)]
    return True if any(_has(topic, text) for topic in topics for text in nearby) else None


def _neighbours(place: _Place) -> list[Sentence]:
    """The two sentences before and the one after, within the same paragraph."""
    block = place.sentence.block
    window = place.sentences[max(0, place.index - 2) : place.index + 2]
    return [item for item in window if item.block == block and item is not place.sentence]


@lru_cache(maxsize=8192)
def _has(pattern: re.Pattern[str], norm: str) -> bool:
    """Cached search: neighbouring sentences are checked for the same topic several times."""
    return pattern.search(norm) is not None


def _training_gate(area: Area, place: _Place, tier: str) -> bool | None:
    """RUBRIC.md §2 rule 7: training must reach company staff; generic or supplier-only training is hedged."""
    terms = area.terms
    norm = place.sentence.norm
    internal = terms["recipient_internal"].search(norm)
    supplier = terms["recipient_supplier"].search(norm)
    if supplier and _SHALL_RE.search(norm) and not _WE_RE.search(norm):
        return None  # a supplier code's own rule ("training shall be provided to workers")
    if tier == "context":
        return True
    if internal is None:
        if supplier is not None:
            return True
        return True if terms["provider"].search(norm) else None
    return terms["topic_strong"].search(norm) is None


_GATES = {"certification": _certification_gate, "training": _training_gate}


# ----------------------------------------------------------------------------------------------------------
# Resolving hits into one finding per area
# ----------------------------------------------------------------------------------------------------------


def _decide(hits: list[_Hit]) -> _Decision:
    """One status from all hits for an area (RUBRIC.md §2)."""
    positives = [hit for hit in hits if hit.polarity == "pos"]
    negatives = [hit for hit in hits if hit.polarity == "neg"]
    planned = [hit for hit in hits if hit.polarity == "planned"]
    strong_positive = [hit for hit in positives if hit.tier == "strong"]
    strong_plain = [hit for hit in negatives if hit.neg_kind == "plain" and hit.tier in ("strong", "blanket")]
    # "We do not audit X, but we audit Y" in one sentence is partial, not a contradiction.
    elsewhere = [hit for hit in strong_plain if all(hit.sentence is not other.sentence for other in strong_positive)]
    if strong_positive and elsewhere:
        # Rule 10: contradicting statements about the same activity go to a reviewer, with both sentences.
        return _Decision("unclear", (strong_positive[0], elsewhere[0]), 0.5, ("contradiction",))
    if positives and (strong_positive or not strong_plain):
        return _positive_decision(positives, negatives)
    if negatives or planned:
        return _negative_decision(negatives, planned)
    return _Decision("silent", (), 0.85)


def _positive_decision(positives: list[_Hit], negatives: list[_Hit]) -> _Decision:
    best = sorted(positives, key=_positive_rank)
    # "We do not use third parties" next to a positive only says who does it (a qualifier); limiting words
    # ("no *formal* program") or a weaker plain negative make the positive partial: hedged.
    limiting = [hit for hit in negatives if hit.neg_kind != "qualifier"]
    if limiting:
        return _Decision("does_hedged", (*best[:2], limiting[0]), 0.7)
    status = "does" if any(not hit.hedged for hit in positives) else "does_hedged"
    return _Decision(status, tuple(best[:_EVIDENCE_MAX]), _CONFIDENCE.get((status, best[0].tier), 0.6))


def _positive_rank(hit: _Hit) -> tuple[int, int]:
    return ({"strong": 0, "weak": 1, "context": 2}.get(hit.tier, 3) + (1 if hit.hedged else 0), 0)


def _negative_decision(negatives: list[_Hit], planned: list[_Hit]) -> _Decision:
    specific = [hit for hit in negatives if hit.tier != "blanket"]
    blanket = [hit for hit in negatives if hit.tier == "blanket"]
    ordered = sorted(specific, key=lambda hit: hit.neg_kind != "plain") + blanket + planned
    flags = ("planned",) if planned and not specific else ()
    if specific:
        kind = "plain" if any(hit.neg_kind == "plain" for hit in specific) else "limited"
    elif blanket:
        kind = "blanket"
    else:
        kind = "planned"
    return _Decision("does_not", tuple(ordered[:_EVIDENCE_MAX]), _CONFIDENCE[("does_not", kind)], flags)


def _finding(area: Area, scan: _Scan, rubric: Rubric, pages: tuple[str, ...]) -> tuple[AreaFinding, list[str]]:
    decision = _decide(scan.hits.get(area.id, []))
    flags = [f"{flag}:{area.id}" for flag in decision.flags]
    if decision.status == "silent" and (area.id in scan.headings or area.id in scan.echoes):
        flags.append(f"statute_echo_only:{area.id}")
    qualifiers: dict[str, str] = {}
    signals: tuple[str, ...] = ()
    if decision.status in _POSITIVE:
        texts = _area_texts(area.id, scan)
        qualifiers = _qualifiers(area, texts, rubric)
        flags.extend(
            f"qualifier_missing:{area.id}.{name}" for name, value in qualifiers.items() if value == "unspecified"
        )
        signals = _signals(area, texts, qualifiers)
    finding = AreaFinding(
        area=area.id,
        status=decision.status,
        qualifiers=qualifiers,
        evidence=_evidence_for(decision.hits, pages),
        confidence=decision.confidence,
        signals=signals,
    )
    return finding, flags


def _area_texts(area_id: str, scan: _Scan) -> list[str]:
    """The sentences that speak about an area: its positive hits, limiting negatives and its section."""
    seen: dict[str, None] = {}
    for hit in scan.hits.get(area_id, []):
        if hit.polarity == "pos" or hit.neg_kind == "qualifier":
            seen.setdefault(hit.sentence.norm)
    for norm in scan.sections.get(area_id, []):
        seen.setdefault(norm)
    return list(seen)


# ----------------------------------------------------------------------------------------------------------
# Qualifiers and quality signals (RUBRIC.md §3)
# ----------------------------------------------------------------------------------------------------------

_DOER_VALUES = {
    "performed_by": ("third_party", "internal", "both"),
    "independence": ("independent", "internal", "mixed"),
}


def _qualifiers(area: Area, texts: list[str], rubric: Rubric) -> dict[str, str]:
    result = {}
    for name, values in area.qualifiers.items():
        found = _qualifier_values(values, texts, rubric)
        if name == "announcement":
            result[name] = _resolve_announcement(found)
        else:
            outside, inside, both = _DOER_VALUES[name]
            if outside in found and "internal" in found:
                result[name] = both
            else:
                result[name] = outside if outside in found else inside if "internal" in found else "unspecified"
    return result


def _qualifier_values(values: tuple[tuple[str, re.Pattern[str]], ...], texts: list[str], rubric: Rubric) -> set[str]:
    """Which qualifier values the texts state; a negated outside party ("we do not use third parties") means
    internal, a negated "announced" means unannounced."""
    found: set[str] = set()
    flip = {"third_party": "internal", "independent": "internal", "announced": "unannounced"}
    for value, pattern in values:
        for norm in texts:
            for match in pattern.finditer(norm):
                negated = value in flip and find_negation(norm, match.start(), match.end(), rubric.language)
                found.add(flip[value] if negated else value)
    return found


def _resolve_announcement(found: set[str]) -> str:
    if "mixed" in found:
        return "mixed"
    if "semi_announced" in found:
        found.discard("implied_unannounced")  # "no date given, but a two-week window" is semi-announced
    elif "implied_unannounced" in found:
        found.discard("implied_unannounced")
        found.add("unannounced")
    if not found:
        return "unspecified"
    return found.pop() if len(found) == 1 else "mixed"


def _signals(area: Area, texts: list[str], qualifiers: dict[str, str]) -> tuple[str, ...]:
    names = []
    for rule in area.quality:
        if rule.pattern is not None:
            if any(rule.pattern.search(norm) for norm in texts):
                names.append(rule.name)
        elif qualifiers.get(rule.qualifier) in rule.values:
            names.append(rule.name)
    return tuple(names)


def _signal_found(signal: Signal, scan: _Scan) -> bool:
    return any(signal.pattern.search(norm) for norm in scan.signal_texts.get(signal.group, ()))


def _beyond_statute(scan: _Scan, rubric: Rubric) -> tuple[str, ...]:
    return tuple(signal.name for signal in rubric.beyond_statute if _signal_found(signal, scan))


# ----------------------------------------------------------------------------------------------------------
# Evidence
# ----------------------------------------------------------------------------------------------------------


def _evidence_for(hits: tuple[_Hit, ...], pages: tuple[str, ...]) -> tuple[Evidence, ...]:
    """One quote per sentence, in the order the decision ranked them."""
    seen: set[tuple[int, int]] = set()
    quotes = []
    for hit in hits:
        key = (hit.page, hit.sentence.start)
        if key not in seen:
            seen.add(key)
            quotes.append(_evidence(hit, pages))
    return tuple(quotes)


def _evidence(hit: _Hit, pages: tuple[str, ...]) -> Evidence:
    """The sentence behind a hit; a long sentence is narrowed to the clause around the cue."""
    page_text = pages[hit.page - 1] or ""
    start, end = hit.sentence.start, hit.sentence.end
    if end - start > _QUOTE_MAX:
        start = _narrow_start(page_text, hit, start, end)
    while start < end and page_text[start].isspace():
        start += 1
    raw = page_text[start:end]
    quote = raw if len(raw) <= _QUOTE_MAX else raw[: _QUOTE_MAX - 1].rstrip() + "\u2026"
    return Evidence(quote=quote, page=hit.page, start=start, end=end)


def _narrow_start(page_text: str, hit: _Hit, start: int, end: int) -> int:
    norm = hit.sentence.norm
    ratio = (end - start) / max(len(norm), 1)
    # Norm offsets map onto raw offsets only approximately (whitespace was collapsed): start a little early.
    approx = start + int(hit.at * ratio) - 80
    if approx <= start:
        return start
    space = page_text.rfind(" ", start, approx)
    return space + 1 if space > start else approx


# ----------------------------------------------------------------------------------------------------------
# Scores, tier, grade, crosswalk (RUBRIC.md §4, §6)
# ----------------------------------------------------------------------------------------------------------


def _round(value: float) -> int:
    return int(value + 0.5)


def _compliance_score(findings: dict[str, AreaFinding], rubric: Rubric, homepage: HomepageSignal | None) -> int:
    scoring = rubric.scoring
    points = sum(scoring.status_points[finding.status] for finding in findings.values())
    points += scoring.qualifier_points * _qualifiers_answered(findings)
    maximum = scoring.compliance_max
    if homepage is not None:
        maximum = scoring.compliance_max_with_homepage
        points += scoring.homepage_link_points if homepage.link_found else 0
        points += scoring.homepage_label_points if homepage.label_understandable else 0
    return max(0, min(100, _round(100 * points / maximum)))


def _qualifiers_answered(findings: dict[str, AreaFinding]) -> int:
    """The statute's two extra details: who verifies (c)(1), whether audits are independent and unannounced
    (c)(2). Moot, so earned, when the company says it does not do the activity."""
    verification, audits = findings["verification"], findings["audits"]
    answered = 0
    if verification.status == "does_not" or verification.qualifiers.get("performed_by", "unspecified") != "unspecified":
        answered += 1
    known = all(
        audits.qualifiers.get(name, "unspecified") != "unspecified" for name in ("independence", "announcement")
    )
    if audits.status == "does_not" or (audits.status in _POSITIVE and known):
        answered += 1
    return answered


def _tier(compliance: int, rubric: Rubric) -> str:
    return next((name for name, minimum in rubric.tiers if compliance >= minimum), rubric.tiers[-1][0])


def _practice_score(findings: dict[str, AreaFinding], beyond: tuple[str, ...], rubric: Rubric) -> int:
    scoring = rubric.scoring
    total = 0.0
    for area_id, finding in findings.items():
        if finding.status not in _POSITIVE:
            continue
        area = rubric.areas[area_id]
        base = area.base_points * (1.0 if finding.status == "does" else scoring.hedged_factor)
        quality = sum(rule.points for rule in area.quality if rule.name in finding.signals)
        total += min(scoring.practice_area_cap, base + quality)
    total += min(scoring.beyond_statute_cap, len(beyond))
    return max(0, min(100, _round(100 * total / scoring.practice_max)))


def _grade(practice: int, tier: str, rubric: Rubric) -> str:
    letters = [letter for letter, _ in rubric.grades]
    grade = next((letter for letter, minimum in rubric.grades if practice >= minimum), letters[-1])
    if tier in rubric.cap_tiers and letters.index(grade) < letters.index(rubric.cap_grade):
        return rubric.cap_grade
    return grade


def _crosswalk(findings: dict[str, AreaFinding], scan: _Scan, rubric: Rubric) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for regime in rubric.crosswalk.values():
        elements = {
            name: _element_status([findings[area].status for area in areas]) for name, areas in regime.elements.items()
        }
        signals = {signal.name: _signal_found(signal, scan) for signal in regime.signals}
        result[regime.id] = {"law": regime.law, "elements": elements, "signals": signals}
    return result


def _element_status(statuses: list[str]) -> str:
    if any(status in _POSITIVE for status in statuses):
        return "covered"
    if any(status == "unclear" for status in statuses):
        return "unclear"
    if statuses and all(status == "does_not" for status in statuses):
        return "states_not_done"
    return "missing"
