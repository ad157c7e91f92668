"""Plain-language wording for statuses, flags, qualifiers and coverage, without Django.

Core code cannot call Django's gettext, so every function here returns English *message ids* (and, where a
sentence has variable parts, a ``Phrase`` with %-style named params). Pages translate them at the edge:
``render(phrase, gettext)``. The no-op ``gettext_noop`` below has the name Django's ``makemessages`` already
extracts, so the strings still land in the .po files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from disclosures.core.types import AREAS


def gettext_noop(message: str) -> str:
    """Mark a string for translation without translating it (same name as Django's, so makemessages sees it)."""
    return message


@dataclass(frozen=True, slots=True)
class Phrase:
    """An English message id plus named params, translated and filled in by the caller."""

    template: str
    params: Mapping[str, str | int] = field(default_factory=dict)


def render(phrase: Phrase, translate: Callable[[str], str] = str) -> str:
    text = translate(phrase.template)
    return text % dict(phrase.params) if phrase.params else text


# --- areas and statuses ---------------------------------------------------------------------------------

AREA_LABELS: dict[str, str] = {
    "verification": gettext_noop("Supply-chain verification"),
    "audits": gettext_noop("Supplier audits"),
    "certification": gettext_noop("Supplier certification"),
    "accountability": gettext_noop("Internal accountability"),
    "training": gettext_noop("Staff training"),
}

AREA_QUESTIONS: dict[str, str] = {
    "verification": gettext_noop("Does it check its supply chain for forced-labor and trafficking risks?"),
    "audits": gettext_noop("Does it audit suppliers, and are the audits independent and unannounced?"),
    "certification": gettext_noop("Must direct suppliers certify that their materials comply with anti-slavery laws?"),
    "accountability": gettext_noop("Are there consequences for its own employees or contractors who break the rules?"),
    "training": gettext_noop("Are supply-chain staff and managers trained on trafficking and slavery?"),
}

# Short labels: they appear on chips next to the area name, so they must read well after a colon.
STATUS_LABELS: dict[str, str] = {
    "does": gettext_noop("Does it"),
    "does_hedged": gettext_noop("Hedged"),
    "does_not": gettext_noop("Says it does not"),
    "silent": gettext_noop("Says nothing"),
    "unclear": gettext_noop("Unclear"),
}

STATUS_DESCRIPTIONS: dict[str, str] = {
    "does": gettext_noop("The disclosure says plainly that the company does this."),
    "does_hedged": gettext_noop(
        "The disclosure says the company may, sometimes or partly do this, or reserves the right to."
    ),
    "does_not": gettext_noop(
        "The disclosure says the company does not do this. Saying so answers the law's question, "
        "but it is not a practice."
    ),
    "silent": gettext_noop("The disclosure says nothing about this."),
    "unclear": gettext_noop(
        "The disclosure's wording is ambiguous or contradicts itself here; a reviewer will look at it."
    ),
}

TIER_LABELS: dict[str, str] = {
    "complete": gettext_noop("Complete"),
    "substantial": gettext_noop("Substantial"),
    "partial": gettext_noop("Partial"),
    "minimal": gettext_noop("Minimal"),
    "none": gettext_noop("No disclosure"),
}

UNKNOWN = gettext_noop("Unknown")


def area_label(area: str) -> str:
    return AREA_LABELS.get(area, area)


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def tier_label(tier: str) -> str:
    return TIER_LABELS.get(tier, tier)


def ordered_areas(statuses: Mapping[str, str]) -> list[tuple[str, str]]:
    """(area, status) in the statute's order; an area the score does not mention is silent."""
    return [(area, statuses.get(area, "silent")) for area in AREAS]


# --- qualifiers -----------------------------------------------------------------------------------------

QUALIFIER_TEXT: dict[tuple[str, str], dict[str, str]] = {
    ("verification", "performed_by"): {
        "third_party": gettext_noop("done by a third party"),
        "internal": gettext_noop("done by the company itself, not a third party"),
        "both": gettext_noop("done by the company and by a third party"),
        "unspecified": gettext_noop("does not say whether a third party does it"),
    },
    ("audits", "independence"): {
        "independent": gettext_noop("audits are independent"),
        "internal": gettext_noop("audits are done by the company itself"),
        "mixed": gettext_noop("some audits are independent, some internal"),
        "unspecified": gettext_noop("does not say whether audits are independent"),
    },
    ("audits", "announcement"): {
        "unannounced": gettext_noop("audits are unannounced"),
        "semi_announced": gettext_noop("audits are announced as a time window, without a date"),
        "announced": gettext_noop("audits are announced in advance"),
        "mixed": gettext_noop("some audits are announced, some unannounced"),
        "unspecified": gettext_noop("does not say whether audits are unannounced"),
    },
}


def explain_qualifier(area: str, name: str, value: str) -> Phrase:
    text = QUALIFIER_TEXT.get((area, name), {}).get(value)
    if text is not None:
        return Phrase(text)
    return Phrase(gettext_noop("%(name)s: %(value)s"), {"name": _humanize(name), "value": _humanize(value)})


def explain_qualifiers(area: str, qualifiers: Mapping[str, str]) -> list[Phrase]:
    return [explain_qualifier(area, name, str(value)) for name, value in qualifiers.items()]


# --- flags ----------------------------------------------------------------------------------------------

_QUALIFIER_MISSING: dict[str, str] = {
    "verification.performed_by": gettext_noop("does not say whether verification is done by a third party"),
    "audits.independence": gettext_noop("does not say whether audits are independent"),
    "audits.announcement": gettext_noop("does not say whether audits are unannounced"),
}

_PLANNED: dict[str, str] = {
    "verification": gettext_noop("says supply-chain verification is planned, not done yet"),
    "audits": gettext_noop("says supplier audits are planned, not done yet"),
    "certification": gettext_noop("says supplier certification is planned, not required yet"),
    "accountability": gettext_noop("says internal accountability procedures are planned, not in place yet"),
    "training": gettext_noop("says training is planned, not done yet"),
}

_CONTRADICTION: dict[str, str] = {
    "verification": gettext_noop("contradicts itself about supply-chain verification"),
    "audits": gettext_noop("contradicts itself about supplier audits"),
    "certification": gettext_noop("contradicts itself about supplier certification"),
    "accountability": gettext_noop("contradicts itself about internal accountability"),
    "training": gettext_noop("contradicts itself about training"),
}

_STATUTE_ECHO: dict[str, str] = {
    "verification": gettext_noop("only repeats the law's wording about verification, without saying what it does"),
    "audits": gettext_noop("only repeats the law's wording about audits, without saying what it does"),
    "certification": gettext_noop("only repeats the law's wording about certification, without saying what it does"),
    "accountability": gettext_noop("only repeats the law's wording about accountability, without saying what it does"),
    "training": gettext_noop("only repeats the law's wording about training, without saying what it does"),
}

_FLAG_FAMILIES: dict[str, dict[str, str]] = {
    "qualifier_missing": _QUALIFIER_MISSING,
    "planned": _PLANNED,
    "contradiction": _CONTRADICTION,
    "contradictory": _CONTRADICTION,
    "statute_echo": _STATUTE_ECHO,
    "statute_echo_only": _STATUTE_ECHO,
}

_PLAIN_FLAGS: dict[str, str] = {
    "homepage_link_missing": gettext_noop("no link to the disclosure was found on the company's homepage"),
    "homepage_label_unclear": gettext_noop("the homepage link to the disclosure is not clearly labelled"),
    "truncated": gettext_noop("the stored text of the disclosure looks cut off"),
    "no_text": gettext_noop("no readable text was found in the disclosure"),
    "blanket_statement": gettext_noop(
        "relies on a blanket statement of compliance instead of describing what the company does"
    ),
}


def explain_flag(flag: str) -> Phrase:
    """``qualifier_missing:audits.announcement`` -> "does not say whether audits are unannounced"."""
    family, _, detail = flag.partition(":")
    text = _FLAG_FAMILIES.get(family, {}).get(detail) if detail else _PLAIN_FLAGS.get(flag)
    if text is not None:
        return Phrase(text)
    if detail and family == "low_confidence" and detail in AREA_LABELS:
        return Phrase(gettext_noop("the finding for %(area)s is uncertain"), {"area": detail})
    # An unknown flag still shows, readably, rather than disappearing.
    return Phrase(gettext_noop("note: %(flag)s"), {"flag": _humanize(flag)})


def explain_flags(flags: list[str] | tuple[str, ...]) -> list[Phrase]:
    return [explain_flag(str(flag)) for flag in flags]


# --- quality signals ------------------------------------------------------------------------------------

SIGNAL_TEXT: dict[str, str] = {
    "method_named": gettext_noop("names its method"),
    "frequency": gettext_noop("says how often"),
    "coverage": gettext_noop("says how much of the supply chain is covered"),
    "beyond_tier1": gettext_noop("looks beyond direct suppliers"),
    "beyond_tier_1": gettext_noop("looks beyond direct suppliers"),
    "third_party": gettext_noop("uses a third party"),
    "independent": gettext_noop("audits are independent"),
    "independent_in_part": gettext_noop("some audits are independent"),
    "unannounced": gettext_noop("audits are unannounced"),
    "unannounced_in_part": gettext_noop("some audits are unannounced or only loosely announced"),
    "trafficking_laws_named": gettext_noop("names slavery and trafficking laws"),
    "trafficking_named": gettext_noop("names slavery, trafficking or forced labor"),
    "specific_topic": gettext_noop("is specifically about slavery, trafficking or forced labor"),
    "materials_covered": gettext_noop("covers the materials in the products"),
    "written": gettext_noop("in writing"),
    "contractors_covered": gettext_noop("covers contractors too"),
    "supply_chain_audience": gettext_noop("reaches the people who buy and source"),
    "risk_mitigation": gettext_noop("teaches how to spot and reduce the risks"),
    "labor_brokers": gettext_noop("covers labor brokers and recruitment"),
    "recruitment_fees": gettext_noop("addresses recruitment fees"),
    "worker_interviews": gettext_noop("interviews workers"),
    "corrective_action": gettext_noop("requires corrective action"),
    "flow_down": gettext_noop("suppliers must pass the rules on to their own suppliers"),
    "consequences_named": gettext_noop("names the consequences"),
    "hotline": gettext_noop("has a reporting hotline"),
    "named_owner": gettext_noop("names who is responsible"),
    "completion_figures": gettext_noop("gives completion figures"),
}


def explain_signal(signal: str) -> Phrase:
    text = SIGNAL_TEXT.get(signal)
    return Phrase(text) if text is not None else Phrase(gettext_noop("%(signal)s"), {"signal": _humanize(signal)})


def _humanize(key: str) -> str:
    return key.replace("_", " ").replace(":", ": ").replace(".", " ").strip()


# --- coverage: always an inference, never a legal finding ------------------------------------------------

LIKELY_COVERED = "likely_covered"
LIKELY_NOT = "likely_not"
COVERAGE_UNKNOWN = "unknown"

_CONSUMER_INDUSTRIES = frozenset({"apparel", "food", "electronics", "toys", "home_goods", "retail"})
_RETAIL_OR_MANUFACTURING_NAICS = ("31", "32", "33", "44", "45")

COVERAGE_HEADLINES: dict[str, str] = {
    LIKELY_COVERED: gettext_noop("Likely covered by the law"),
    LIKELY_NOT: gettext_noop("Likely not covered by the law"),
    COVERAGE_UNKNOWN: gettext_noop("Coverage unknown"),
}

COVERAGE_LEADS: dict[str, str] = {
    LIKELY_COVERED: gettext_noop(
        "This company is likely covered by the California Transparency in Supply Chains Act because"
    ),
    LIKELY_NOT: gettext_noop(
        "This company is likely not covered by the California Transparency in Supply Chains Act because"
    ),
    COVERAGE_UNKNOWN: gettext_noop("We cannot tell whether this company is covered by the law:"),
}

COVERAGE_CAVEAT = gettext_noop(
    "This is an inference from public information, not a legal finding: the state's list of covered "
    "companies is confidential."
)
VOLUNTARY_NOTE = gettext_noop(
    "The company is likely not required to publish a disclosure, so its disclosure is voluntary."
)


@dataclass(frozen=True, slots=True)
class CoverageInference:
    verdict: str  # likely_covered | likely_not | unknown
    for_: tuple[Phrase, ...]  # facts pointing towards coverage
    against: tuple[Phrase, ...]  # facts pointing away from coverage
    unknown: tuple[Phrase, ...]  # facts we do not have

    def reasons_for(self, verdict: str) -> tuple[Phrase, ...]:
        """The reasons worth showing after the lead sentence of ``verdict``."""
        if verdict == LIKELY_COVERED:
            return self.for_
        if verdict == LIKELY_NOT:
            return self.against or self.unknown
        return self.unknown + self.for_


def _activity_fact(naics: str, industry: str) -> tuple[bool | None, Phrase]:
    code = "".join(ch for ch in naics if ch.isdigit())
    if len(code) >= 2:  # noqa: PLR2004 - NAICS sectors are the first two digits
        if code.startswith(_RETAIL_OR_MANUFACTURING_NAICS):
            return True, Phrase(
                gettext_noop("its principal activity is retail or manufacturing (NAICS %(code)s)"), {"code": code}
            )
        return False, Phrase(
            gettext_noop("its principal activity is neither retail nor manufacturing (NAICS %(code)s)"),
            {"code": code},
        )
    if industry in _CONSUMER_INDUSTRIES:
        return True, Phrase(gettext_noop("it makes or sells consumer goods"))
    return None, Phrase(gettext_noop("we do not know whether it is a retailer or manufacturer"))


_REVENUE_FACTS: dict[str, tuple[bool | None, str]] = {
    "over_1b": (True, gettext_noop("its worldwide revenue is reported as over $1 billion")),
    "100m_1b": (True, gettext_noop("its worldwide revenue is reported as over $100 million")),
    "under_100m": (False, gettext_noop("its worldwide revenue is reported as under $100 million")),
}


def _revenue_fact(revenue_band: str) -> tuple[bool | None, Phrase]:
    known, text = _REVENUE_FACTS.get(revenue_band, (None, gettext_noop("we do not know its worldwide revenue")))
    return known, Phrase(text)


def _california_fact(sells_in_california: bool | None) -> tuple[bool | None, Phrase]:
    if sells_in_california is True:
        return True, Phrase(gettext_noop("it sells in California"))
    if sells_in_california is False:
        return False, Phrase(gettext_noop("it is reported not to do business in California"))
    return None, Phrase(gettext_noop("we do not know whether it does business in California"))


def infer_coverage(
    *, naics: str = "", industry: str = "", revenue_band: str = "", sells_in_california: bool | None = None
) -> CoverageInference:
    """Apply the statute's three tests (activity, revenue, California) to what we know about a company."""
    facts = [
        _activity_fact(naics, industry),
        _revenue_fact(revenue_band),
        _california_fact(sells_in_california),
    ]
    for_ = tuple(phrase for known, phrase in facts if known is True)
    against = tuple(phrase for known, phrase in facts if known is False)
    unknown = tuple(phrase for known, phrase in facts if known is None)
    if against:
        verdict = LIKELY_NOT
    elif unknown:
        verdict = COVERAGE_UNKNOWN
    else:
        verdict = LIKELY_COVERED
    return CoverageInference(verdict=verdict, for_=for_, against=against, unknown=unknown)
