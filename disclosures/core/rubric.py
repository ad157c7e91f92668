"""Load and validate a rubric TOML file into frozen dataclasses with compiled regular expressions.

The rubric is reviewed data (``disclosures/rubrics/<version>.toml``); this module is the gatekeeper: an unknown
key, a weight that does not add up, a pattern that does not compile or a missing area stops loading with a
``RubricError`` that names the file and the line, so a bad edit fails in CI rather than silently rescoring.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from disclosures.core.types import AREAS, STATUSES

CURRENT_RUBRIC = "ctsca-1"
RUBRICS_DIR = Path(__file__).resolve().parent.parent / "rubrics"
_VERSION_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_MAX_THRESHOLD = 100  # tiers and grades are on the 0-100 scores

Pattern = re.Pattern[str]


class RubricError(ValueError):
    """A rubric file that cannot be used; the message starts with ``<file>:<line>:``."""


# ----------------------------------------------------------------------------------------------------------
# Data shapes
# ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QualityRule:
    """A practice-score signal: found by ``pattern`` in the area's text, or by a qualifier taking ``values``."""

    name: str
    points: int
    pattern: Pattern | None = None
    qualifier: str = ""
    values: tuple[str, ...] = ()


class TriggerIndex:
    """Which rule groups a sentence could match, from the word beginnings ("triggers") in the rubric.

    Every area, blanket statement and signal lists the word beginnings its patterns need; a sentence none of
    whose words start with one is never run through that group's (slow) patterns. Words are classified once
    and cached, so a long document costs a few dictionary look-ups per word.
    """

    __slots__ = ("_cache", "_longest", "_prefixes", "_shortest")
    _CACHE_LIMIT = 200_000

    def __init__(self, groups: dict[Any, tuple[str, ...]]) -> None:
        prefixes: dict[str, set[Any]] = {}
        for group, words in groups.items():
            for word in words:
                prefixes.setdefault(word, set()).add(group)
        self._prefixes = {word: frozenset(names) for word, names in prefixes.items()}
        self._shortest = min((len(word) for word in prefixes), default=1)
        self._longest = max((len(word) for word in prefixes), default=0)
        self._cache: dict[str, frozenset[Any]] = {}

    def groups_of(self, words: list[str]) -> set[Any]:
        found: set[Any] = set()
        cache = self._cache
        for word in words:
            groups = cache.get(word)
            if groups is None:
                groups = self._classify(word)
                if len(cache) < self._CACHE_LIMIT:
                    cache[word] = groups
            if groups:
                found |= groups
        return found

    def _classify(self, word: str) -> frozenset[Any]:
        groups: frozenset[Any] = frozenset()
        for size in range(self._shortest, min(len(word), self._longest) + 1):
            more = self._prefixes.get(word[:size])
            if more:
                groups |= more
        return groups


@dataclass(frozen=True, slots=True)
class Signal:
    """A document-wide yes/no signal (beyond-statute practice, crosswalk item)."""

    name: str
    group: str  # key in the trigger index
    triggers: tuple[str, ...]
    pattern: Pattern


@dataclass(frozen=True, slots=True)
class Cue:
    """One activity pattern of an area, run only when one of its ``keys`` (trigger words) is in the sentence."""

    pattern: Pattern
    tier: str  # "strong" (from ``activity``) or "weak"
    keys: frozenset[str]  # the area's triggers that occur in the pattern; empty means always run
    source: str  # the pattern as written, for combining several cues into one alternation


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    label: str
    statute: str
    base_points: int
    check_actor: bool
    context_any_actor: bool  # under its own heading, a supplier doing it still counts
    triggers: tuple[str, ...]
    heading: Pattern
    activity: Pattern
    weak: Pattern | None
    cues: tuple[Cue, ...]  # activity and weak patterns one by one, each gated by its own trigger words
    ungated_cues: tuple[int, ...]  # indexes of cues that name no trigger and always run
    context: Pattern | None
    exclude: Pattern | None
    actor_free: Pattern | None
    qualifiers: dict[str, tuple[tuple[str, Pattern], ...]]  # qualifier -> ((value, pattern), ...)
    terms: dict[str, Pattern]
    quality: tuple[QualityRule, ...]


@dataclass(frozen=True, slots=True)
class Language:
    clause_break: Pattern
    negation: Pattern
    negation_false: Pattern
    negation_gap: frozenset[str]
    negation_blockers: frozenset[str]
    negation_partial: Pattern
    negation_qualifier: Pattern
    negation_object_false: Pattern
    negation_after: Pattern
    hedge: Pattern
    planned: Pattern
    planned_false: Pattern
    law_description: Pattern
    statute_echo: Pattern
    company_voice: Pattern
    law_voice: Pattern
    blanket: Pattern
    blanket_area_names: tuple[Pattern, ...]
    blanket_area_triggers: tuple[tuple[str, ...], ...]
    blanket_triggers: tuple[str, ...]
    law_triggers: tuple[str, ...]
    answer_yes: Pattern
    answer_no: Pattern


@dataclass(frozen=True, slots=True)
class Actors:
    company: Pattern
    supplier: Pattern
    third_party: Pattern
    passive: Pattern
    supplier_verb: Pattern
    joint: Pattern


@dataclass(frozen=True, slots=True)
class Scoring:
    status_points: dict[str, int]
    qualifier_points: int
    homepage_link_points: int
    homepage_label_points: int
    compliance_max: int
    compliance_max_with_homepage: int
    hedged_factor: float
    practice_area_cap: int
    beyond_statute_cap: int
    practice_max: int


@dataclass(frozen=True, slots=True)
class CrosswalkRegime:
    id: str
    law: str
    elements: dict[str, tuple[str, ...]]
    signals: tuple[Signal, ...]


@dataclass(frozen=True, slots=True, repr=False)
class Rubric:
    version: str
    title: str
    statute: str
    sha256: str
    scoring: Scoring
    tiers: tuple[tuple[str, int], ...]  # highest first
    grades: tuple[tuple[str, int], ...]  # highest first
    cap_grade: str
    cap_tiers: frozenset[str]
    language: Language
    actors: Actors
    areas: dict[str, Area]  # in AREAS order
    beyond_statute: tuple[Signal, ...]
    crosswalk: dict[str, CrosswalkRegime]
    heading_prefix: Pattern  # any area heading, for "Supply Chain Verification. Our policy ..." prefixes
    triggers: TriggerIndex
    signal_groups: frozenset[str]  # trigger groups of the document-wide signals

    def __repr__(self) -> str:
        return f"Rubric({self.version!r}, sha256={self.sha256[:12]})"


# ----------------------------------------------------------------------------------------------------------
# Public API
# ----------------------------------------------------------------------------------------------------------


def rubric_path(version: str) -> Path:
    if not _VERSION_RE.match(version):
        raise RubricError(f"{version!r}:0: not a rubric version name")
    return RUBRICS_DIR / f"{version}.toml"


def load_rubric(version: str = CURRENT_RUBRIC) -> Rubric:
    """The named rubric, parsed and validated once per process."""
    return _load_cached(version)


@lru_cache(maxsize=8)
def _load_cached(version: str) -> Rubric:
    path = rubric_path(version)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RubricError(f"{path}:0: cannot read rubric ({exc.strerror or exc})") from exc
    return _build(data.decode("utf-8"), str(path), hashlib.sha256(data).hexdigest())


def load_rubric_from_text(text: str, name: str = "<rubric>") -> Rubric:
    """Parse and validate rubric TOML given as a string (tests, previews of an edit)."""
    return _build(text, name, hashlib.sha256(text.encode("utf-8")).hexdigest())


def rubric_sha256(version: str = CURRENT_RUBRIC) -> str:
    """The sha256 of the rubric file's bytes, stored with every score so old scores stay explainable."""
    return load_rubric(version).sha256


# ----------------------------------------------------------------------------------------------------------
# Validation helpers
# ----------------------------------------------------------------------------------------------------------


class _Source:
    """The raw text and file name, used to point errors at a line."""

    def __init__(self, text: str, name: str) -> None:
        self.name = name
        self.lines = text.splitlines()

    def line_of(self, path: tuple[str, ...]) -> int:
        """Best-effort line of a dotted key: the key inside its table, else the table header, else 1."""
        for depth in range(len(path), 0, -1):
            header = self._header_line(path[:depth])
            if header is None:
                continue
            if depth < len(path):
                key_line = self._key_line(path[depth], header)
                if key_line is not None:
                    return key_line
            return header
        key_line = self._key_line(path[0], 0) if path else None
        return key_line or 1

    def line_of_text(self, needle: str, fallback: tuple[str, ...]) -> int:
        for number, line in enumerate(self.lines, start=1):
            if needle and needle in line:
                return number
        return self.line_of(fallback)

    def error(self, path: tuple[str, ...], message: str, *, needle: str = "") -> RubricError:
        line = self.line_of_text(needle, path) if needle else self.line_of(path)
        where = ".".join(path) or "(top level)"
        return RubricError(f"{self.name}:{line}: {where}: {message}")

    def _header_line(self, path: tuple[str, ...]) -> int | None:
        wanted = {f"[{'.'.join(path)}]", f"[[{'.'.join(path)}]]"}
        for number, line in enumerate(self.lines, start=1):
            if line.split("#", 1)[0].strip() in wanted:
                return number
        return None

    def _key_line(self, key: str, after: int) -> int | None:
        key_re = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for number in range(after + 1, len(self.lines) + 1):
            line = self.lines[number - 1]
            if number > after + 1 and line.lstrip().startswith("["):
                return None
            if key_re.match(line):
                return number
        return None


def _check_keys(
    src: _Source, table: Any, path: tuple[str, ...], *, required: set[str], optional: frozenset[str] = frozenset()
) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise src.error(path, "must be a table")
    unknown = sorted(set(table) - required - optional)
    if unknown:
        raise src.error((*path, unknown[0]), f"unknown key {unknown[0]!r}")
    missing = sorted(required - set(table))
    if missing:
        raise src.error(path, f"missing key {missing[0]!r}")
    return table


def _int(src: _Source, value: Any, path: tuple[str, ...], *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise src.error(path, f"must be a whole number >= {minimum}, got {value!r}")
    return value


def _text(src: _Source, value: Any, path: tuple[str, ...]) -> str:
    if not isinstance(value, str) or not value.strip():
        raise src.error(path, "must be a non-empty string")
    return value


def _patterns(src: _Source, value: Any, path: tuple[str, ...], *, allow_empty: bool = False) -> Pattern | None:
    """An optional pattern list: ``None`` when empty and allowed to be."""
    if allow_empty and isinstance(value, list) and not value:
        return None
    return _required_patterns(src, value, path)


def _required_patterns(src: _Source, value: Any, path: tuple[str, ...]) -> Pattern:
    """Compile a list of regular expressions into one alternation, reporting the line of a broken one."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise src.error(path, "must be a list of regular-expression strings")
    if not value:
        raise src.error(path, "must not be empty")
    for item in value:
        try:
            re.compile(item)
        except re.error as exc:
            raise src.error(path, f"bad regular expression {item!r}: {exc}", needle=item) from exc
    try:
        return re.compile(_combine(value))
    except re.error as exc:  # e.g. inline global flags that are only legal at the start
        raise src.error(path, f"patterns do not combine: {exc}") from exc


def _combine(patterns: list[str]) -> str:
    """One alternation; patterns that start with a word boundary share a single leading ``\\b``.

    Python's regex engine tries every alternative at every position; with one ``\\b`` up front it gives up
    inside words after a single check, which makes the area cues several times faster on long documents.
    """
    bounded = [item[2:] for item in patterns if item.startswith("\\b")]
    other = [item for item in patterns if not item.startswith("\\b")]
    parts = [f"(?:{item})" for item in other]
    if bounded:
        parts.insert(0, "\\b(?:" + "|".join(f"(?:{item})" for item in bounded) + ")")
    return "|".join(parts)


def _words(src: _Source, value: Any, path: tuple[str, ...]) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise src.error(path, "must be a list of words")
    return frozenset(item.lower() for item in value)


_TRIGGER_RE = re.compile(r"^[a-z0-9][a-z0-9&'-]*$")


def _triggers(src: _Source, value: Any, path: tuple[str, ...]) -> tuple[str, ...]:
    """Word beginnings: lower case, no spaces (they are compared with the start of each word)."""
    if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
        raise src.error(path, "must be a non-empty list of word beginnings")
    for item in value:
        if not _TRIGGER_RE.match(item):
            raise src.error(path, f"trigger {item!r} must be one lower-case word beginning", needle=f"'{item}'")
    return tuple(value)


# ----------------------------------------------------------------------------------------------------------
# Section builders
# ----------------------------------------------------------------------------------------------------------

_TOP_KEYS = {"version", "title", "statute", "scoring", "tiers", "grades", "language", "actors", "areas"}
_TOP_OPTIONAL = frozenset({"beyond_statute", "crosswalk"})
_SCORING_KEYS = {
    "status_points",
    "qualifier_points",
    "homepage_link_points",
    "homepage_label_points",
    "compliance_max",
    "compliance_max_with_homepage",
    "hedged_factor",
    "practice_area_cap",
    "beyond_statute_cap",
    "practice_max",
}
_LANGUAGE_PATTERN_KEYS = (
    "answer_yes",
    "answer_no",
    "clause_break",
    "negation",
    "negation_false",
    "negation_partial",
    "negation_qualifier",
    "negation_object_false",
    "negation_after",
    "hedge",
    "planned",
    "planned_false",
    "law_description",
    "statute_echo",
    "company_voice",
    "law_voice",
    "blanket",
)
_LANGUAGE_WORD_KEYS = ("negation_gap", "negation_blockers")
_AREA_KEYS = {"label", "statute", "base_points", "check_actor", "triggers", "heading", "activity"}
_AREA_OPTIONAL = frozenset(
    {"weak", "context", "exclude", "actor_free", "qualifiers", "terms", "quality", "context_any_actor"}
)
# What scoring.py reads by name: a rubric without these cannot be applied.
_REQUIRED_QUALIFIERS: dict[str, dict[str, set[str]]] = {
    "verification": {"performed_by": {"third_party", "internal"}},
    "audits": {
        "independence": {"independent", "internal"},
        "announcement": {"mixed", "semi_announced", "unannounced", "implied_unannounced", "announced"},
    },
}
_REQUIRED_TERMS: dict[str, set[str]] = {
    "certification": {"topic_strong", "topic_labor", "topic_law"},
    "training": {"recipient_internal", "recipient_supplier", "provider", "topic_strong"},
}


def _build(text: str, name: str, sha256: str) -> Rubric:
    src = _Source(text, name)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise RubricError(f"{name}:{line.group(1) if line else 1}: not valid TOML: {exc}") from exc
    _check_keys(src, raw, (), required=_TOP_KEYS, optional=_TOP_OPTIONAL)
    areas = _build_areas(src, raw["areas"])
    scoring = _build_scoring(src, raw["scoring"], areas)
    tiers = _build_thresholds(src, raw["tiers"], ("tiers",))
    grades = _build_grades(src, raw["grades"])
    cap_grade, cap_tiers = _build_grade_cap(src, raw["grades"], tiers, grades)
    language = _build_language(src, raw["language"])
    beyond = _build_signals(src, raw.get("beyond_statute", {}), ("beyond_statute",), "beyond")
    crosswalk = _build_crosswalk(src, raw.get("crosswalk", {}))
    groups: dict[Any, tuple[str, ...]] = {area.id: area.triggers for area in areas.values()}
    groups["blanket"] = language.blanket_triggers
    groups["law"] = language.law_triggers
    for area in areas.values():
        for index, cue in enumerate(area.cues):
            groups[(area.id, index)] = tuple(cue.keys)  # a cue's own gate: (area, cue number)
    for area_id, name_triggers in zip(AREAS, language.blanket_area_triggers, strict=True):
        groups[f"name:{area_id}"] = name_triggers
    signals = (*beyond, *(item for regime in crosswalk.values() for item in regime.signals))
    for signal in signals:
        groups[signal.group] = signal.triggers
    return Rubric(
        version=_text(src, raw["version"], ("version",)),
        title=_text(src, raw["title"], ("title",)),
        statute=_text(src, raw["statute"], ("statute",)),
        sha256=sha256,
        scoring=scoring,
        tiers=tiers,
        grades=grades,
        cap_grade=cap_grade,
        cap_tiers=cap_tiers,
        language=language,
        actors=_build_actors(src, raw["actors"]),
        areas=areas,
        beyond_statute=beyond,
        crosswalk=crosswalk,
        heading_prefix=re.compile("|".join(f"(?:{area.heading.pattern})" for area in areas.values())),
        triggers=TriggerIndex(groups),
        signal_groups=frozenset(signal.group for signal in signals),
    )


def _build_scoring(src: _Source, table: Any, areas: dict[str, Area]) -> Scoring:
    path = ("scoring",)
    _check_keys(src, table, path, required=_SCORING_KEYS)
    points = table["status_points"]
    _check_keys(src, points, (*path, "status_points"), required=set(STATUSES))
    status_points = {status: _int(src, points[status], (*path, "status_points")) for status in STATUSES}
    ints = {key: _int(src, table[key], (*path, key)) for key in _SCORING_KEYS - {"status_points", "hedged_factor"}}
    factor = table["hedged_factor"]
    if isinstance(factor, bool) or not isinstance(factor, int | float) or not 0 <= factor <= 1:
        raise src.error((*path, "hedged_factor"), f"must be a number between 0 and 1, got {factor!r}")
    best = max(status_points.values())
    expected = best * len(AREAS) + 2 * ints["qualifier_points"]
    if ints["compliance_max"] != expected:
        raise src.error((*path, "compliance_max"), f"is {ints['compliance_max']} but the points add up to {expected}")
    with_homepage = expected + ints["homepage_link_points"] + ints["homepage_label_points"]
    if ints["compliance_max_with_homepage"] != with_homepage:
        raise src.error(
            (*path, "compliance_max_with_homepage"),
            f"is {ints['compliance_max_with_homepage']} but the points add up to {with_homepage}",
        )
    practice = ints["practice_area_cap"] * len(AREAS) + ints["beyond_statute_cap"]
    if ints["practice_max"] != practice or practice == 0:
        raise src.error((*path, "practice_max"), f"is {ints['practice_max']} but the caps add up to {practice}")
    for area in areas.values():
        if area.base_points > ints["practice_area_cap"]:
            raise src.error(("areas", area.id, "base_points"), "is larger than scoring.practice_area_cap")
    return Scoring(status_points=status_points, hedged_factor=float(factor), **ints)


def _build_thresholds(src: _Source, value: Any, path: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    if not isinstance(value, list) or not value:
        raise src.error(path, "must be a non-empty array of tables")
    result: list[tuple[str, int]] = []
    for item in value:
        _check_keys(src, item, path, required={"name", "min"})
        result.append((_text(src, item["name"], (*path, "name")), _int(src, item["min"], (*path, "min"))))
    _check_descending(src, result, path)
    return tuple(result)


def _build_grades(src: _Source, table: Any) -> tuple[tuple[str, int], ...]:
    path = ("grades",)
    _check_keys(src, table, path, required={"A", "B", "C", "D", "F"}, optional=frozenset({"cap_grade", "cap_tiers"}))
    result = [(letter, _int(src, table[letter], (*path, letter))) for letter in ("A", "B", "C", "D", "F")]
    _check_descending(src, result, path)
    return tuple(result)


def _check_descending(src: _Source, items: list[tuple[str, int]], path: tuple[str, ...]) -> None:
    minimums = [minimum for _, minimum in items]
    if minimums != sorted(minimums, reverse=True) or len(set(minimums)) != len(minimums):
        raise src.error(path, "thresholds must be strictly descending, highest first")
    if minimums[-1] != 0 or minimums[0] > _MAX_THRESHOLD:
        raise src.error(path, "thresholds must lie within 0..100 and the last must be 0")


def _build_grade_cap(
    src: _Source, table: dict[str, Any], tiers: tuple[tuple[str, int], ...], grades: tuple[tuple[str, int], ...]
) -> tuple[str, frozenset[str]]:
    cap_grade = table.get("cap_grade", "C")
    if cap_grade not in {letter for letter, _ in grades}:
        raise src.error(("grades", "cap_grade"), f"unknown grade {cap_grade!r}")
    cap_tiers = table.get("cap_tiers", [])
    names = {name for name, _ in tiers}
    if not isinstance(cap_tiers, list) or not set(cap_tiers) <= names:
        raise src.error(("grades", "cap_tiers"), f"must list tier names from {sorted(names)}")
    return cap_grade, frozenset(cap_tiers)


def _build_language(src: _Source, table: Any) -> Language:
    path = ("language",)
    required = set(_LANGUAGE_PATTERN_KEYS) | set(_LANGUAGE_WORD_KEYS)
    required |= {"blanket_area_names", "blanket_area_triggers", "blanket_triggers", "law_triggers"}
    required -= {"negation_object_false"}
    _check_keys(src, table, path, required=required, optional=frozenset({"negation_object_false"}))
    compiled = {
        key: _required_patterns(src, table[key], (*path, key)) for key in required & set(_LANGUAGE_PATTERN_KEYS)
    }
    object_false = table.get("negation_object_false", [r"^\b\B"])
    compiled["negation_object_false"] = _required_patterns(src, object_false, (*path, "negation_object_false"))
    names = table["blanket_area_names"]
    if not isinstance(names, list) or len(names) != len(AREAS):
        raise src.error((*path, "blanket_area_names"), f"must list one pattern per area ({len(AREAS)})")
    area_names = tuple(_required_patterns(src, [item], (*path, "blanket_area_names")) for item in names)
    words = {key: _words(src, table[key], (*path, key)) for key in _LANGUAGE_WORD_KEYS}
    triggers = _triggers(src, table["blanket_triggers"], (*path, "blanket_triggers"))
    area_triggers = table["blanket_area_triggers"]
    if not isinstance(area_triggers, list) or len(area_triggers) != len(AREAS):
        raise src.error((*path, "blanket_area_triggers"), f"must list one list of triggers per area ({len(AREAS)})")
    name_triggers = tuple(_triggers(src, item, (*path, "blanket_area_triggers")) for item in area_triggers)
    return Language(
        blanket_area_names=area_names,
        blanket_area_triggers=name_triggers,
        blanket_triggers=triggers,
        law_triggers=_triggers(src, table["law_triggers"], (*path, "law_triggers")),
        **compiled,
        **words,
    )


def _build_actors(src: _Source, table: Any) -> Actors:
    path = ("actors",)
    keys = {"company", "supplier", "third_party", "passive", "supplier_verb", "joint"}
    _check_keys(src, table, path, required=keys)
    return Actors(**{key: _required_patterns(src, table[key], (*path, key)) for key in keys})


def _build_areas(src: _Source, table: Any) -> dict[str, Area]:
    path = ("areas",)
    if not isinstance(table, dict):
        raise src.error(path, "must be a table")
    unknown = sorted(set(table) - set(AREAS))
    if unknown:
        raise src.error((*path, unknown[0]), f"unknown area {unknown[0]!r}; areas are {', '.join(AREAS)}")
    missing = [area for area in AREAS if area not in table]
    if missing:
        raise src.error(path, f"missing area {missing[0]!r}")
    return {area: _build_area(src, area, table[area]) for area in AREAS}


def _build_area(src: _Source, area_id: str, table: Any) -> Area:
    path = ("areas", area_id)
    _check_keys(src, table, path, required=_AREA_KEYS, optional=_AREA_OPTIONAL)
    check_actor = table["check_actor"]
    context_any_actor = table.get("context_any_actor", False)
    for key, value in (("check_actor", check_actor), ("context_any_actor", context_any_actor)):
        if not isinstance(value, bool):
            raise src.error((*path, key), "must be true or false")

    def optional(key: str) -> Pattern | None:
        return _patterns(src, table.get(key, []), (*path, key), allow_empty=True)

    activity = _required_patterns(src, table["activity"], (*path, "activity"))
    weak = optional("weak")
    triggers = _triggers(src, table["triggers"], (*path, "triggers"))
    cues = _cues(src, table, path, triggers)

    return Area(
        id=area_id,
        label=_text(src, table["label"], (*path, "label")),
        statute=_text(src, table["statute"], (*path, "statute")),
        base_points=_int(src, table["base_points"], (*path, "base_points")),
        check_actor=check_actor,
        context_any_actor=context_any_actor,
        triggers=triggers,
        heading=_required_patterns(src, table["heading"], (*path, "heading")),
        activity=activity,
        weak=weak,
        cues=cues,
        ungated_cues=tuple(index for index, cue in enumerate(cues) if not cue.keys),
        context=optional("context"),
        exclude=optional("exclude"),
        actor_free=optional("actor_free"),
        qualifiers=_build_qualifiers(src, area_id, table.get("qualifiers", {})),
        terms=_build_terms(src, area_id, table.get("terms", {})),
        quality=_build_quality(src, area_id, table.get("quality", {})),
    )


def _cues(src: _Source, table: dict[str, Any], path: tuple[str, ...], triggers: tuple[str, ...]) -> tuple[Cue, ...]:
    """Each activity/weak pattern with the trigger words written in it.

    A pattern such as ``\\bverif\\w* ... supply chains`` only runs on sentences with a word starting "verif";
    a pattern naming none of the area's triggers always runs. A unit test checks on every test sentence
    that no pattern matches without one of its keys firing.
    """
    cues = []
    for key, tier in (("activity", "strong"), ("weak", "weak")):
        for item in table.get(key, []):
            keys = frozenset(trigger for trigger in triggers if trigger in item)
            cues.append(Cue(_required_patterns(src, [item], (*path, key)), tier, keys, item))
    return tuple(cues)


def _build_qualifiers(src: _Source, area_id: str, table: Any) -> dict[str, tuple[tuple[str, Pattern], ...]]:
    path = ("areas", area_id, "qualifiers")
    wanted = _REQUIRED_QUALIFIERS.get(area_id, {})
    _check_keys(src, table, path, required=set(wanted))
    result: dict[str, tuple[tuple[str, Pattern], ...]] = {}
    for qualifier, values in wanted.items():
        sub = (*path, qualifier)
        _check_keys(src, table[qualifier], sub, required=values)
        result[qualifier] = tuple(
            (value, _required_patterns(src, patterns, (*sub, value))) for value, patterns in table[qualifier].items()
        )
    return result


def _build_terms(src: _Source, area_id: str, table: Any) -> dict[str, Pattern]:
    path = ("areas", area_id, "terms")
    wanted = _REQUIRED_TERMS.get(area_id, set())
    _check_keys(src, table, path, required=wanted)
    return {key: _required_patterns(src, table[key], (*path, key)) for key in wanted}


def _build_quality(src: _Source, area_id: str, table: Any) -> tuple[QualityRule, ...]:
    path = ("areas", area_id, "quality")
    if not isinstance(table, dict):
        raise src.error(path, "must be a table")
    rules = []
    for name, spec in table.items():
        sub = (*path, name)
        _check_keys(src, spec, sub, required={"points"}, optional=frozenset({"patterns", "qualifier", "values"}))
        points = _int(src, spec["points"], sub)
        if "patterns" in spec:
            rules.append(QualityRule(name=name, points=points, pattern=_required_patterns(src, spec["patterns"], sub)))
            continue
        qualifier, values = spec.get("qualifier"), spec.get("values")
        known = dict(_REQUIRED_QUALIFIERS.get(area_id, {}))
        if qualifier not in known or not isinstance(values, list) or not values:
            raise src.error(sub, "needs either patterns, or a qualifier of this area with a list of values")
        rules.append(QualityRule(name=name, points=points, qualifier=qualifier, values=tuple(values)))
    return tuple(rules)


def _build_signals(src: _Source, table: Any, path: tuple[str, ...], prefix: str) -> tuple[Signal, ...]:
    if not isinstance(table, dict):
        raise src.error(path, "must be a table")
    signals = []
    for name, spec in table.items():
        sub = (*path, name)
        _check_keys(src, spec, sub, required={"triggers", "patterns"})
        signals.append(
            Signal(
                name=name,
                group=f"{prefix}:{name}",
                triggers=_triggers(src, spec["triggers"], (*sub, "triggers")),
                pattern=_required_patterns(src, spec["patterns"], (*sub, "patterns")),
            )
        )
    return tuple(signals)


def _build_crosswalk(src: _Source, table: Any) -> dict[str, CrosswalkRegime]:
    if not isinstance(table, dict):
        raise src.error(("crosswalk",), "must be a table")
    regimes = {}
    for regime, spec in table.items():
        path = ("crosswalk", regime)
        _check_keys(src, spec, path, required={"law", "elements"}, optional=frozenset({"signals"}))
        elements: dict[str, tuple[str, ...]] = {}
        for element, areas in spec["elements"].items():
            if not isinstance(areas, list) or not areas or not set(areas) <= set(AREAS):
                raise src.error((*path, "elements", element), f"must list areas from {', '.join(AREAS)}")
            elements[element] = tuple(areas)
        regimes[regime] = CrosswalkRegime(
            id=regime,
            law=_text(src, spec["law"], (*path, "law")),
            elements=elements,
            signals=_build_signals(src, spec.get("signals", {}), (*path, "signals"), f"crosswalk:{regime}"),
        )
    return regimes
