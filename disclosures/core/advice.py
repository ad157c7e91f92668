"""How a company can improve its disclosure, area by area: pure data plus one function, no Django.

The advice is keyed by what the scorer found (RUBRIC.md §2-§3): the area's status, the statute's qualifiers,
the quality signals and the score's flags. Each note names one concrete missing element ("say whether your
audits are unannounced"), so a representative knows what to write, not just that the grade is low.

Texts are English message ids marked with ``gettext_noop`` (the name Django's ``makemessages`` extracts);
pages translate them at the edge with ``gettext(advice.text)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from disclosures.core.types import AREAS


def gettext_noop(message: str) -> str:
    """Mark a string for translation without translating it."""
    return message


COMPLIANCE = "compliance"  # needed to answer what the law asks: changes the compliance score
PRACTICE = "practice"  # describes a stronger practice: changes the practice score and the grade


@dataclass(frozen=True, slots=True)
class Advice:
    code: str  # stable id, e.g. "audits.announcement"; tests and the browser test key on it
    kind: str  # COMPLIANCE or PRACTICE
    text: str  # English message id


# --- the area's status -------------------------------------------------------------------------------------

_SILENT: dict[str, str] = {
    "verification": gettext_noop(
        "Say whether you verify your product supply chains to evaluate and address risks of slavery and human "
        "trafficking. Even “we do not” answers the law; saying nothing does not."
    ),
    "audits": gettext_noop(
        "Say whether you audit suppliers for compliance with your standards on trafficking and slavery. Even "
        "“we do not” answers the law; saying nothing does not."
    ),
    "certification": gettext_noop(
        "Say whether you require direct suppliers to certify that the materials in your products comply with "
        "the slavery and human trafficking laws of the countries where they do business."
    ),
    "accountability": gettext_noop(
        "Say whether you have internal standards and procedures for employees or contractors who fail to meet "
        "your standards on slavery and trafficking, and what happens to them."
    ),
    "training": gettext_noop(
        "Say whether employees and managers with direct responsibility for your supply chain are trained on "
        "human trafficking and slavery, especially on reducing the risks within supply chains."
    ),
}

_DOES_NOT: dict[str, str] = {
    "verification": gettext_noop(
        "Saying you do not verify answers the law but earns no practice credit. When you start, describe the "
        "risk assessment: which suppliers, how often, and which risk data you use."
    ),
    "audits": gettext_noop(
        "Saying you do not audit answers the law but earns no practice credit. When you start, say who audits, "
        "whether audits are independent and unannounced, and how often."
    ),
    "certification": gettext_noop(
        "Saying you do not require certification answers the law but earns no practice credit. Consider a "
        "contract clause in which direct suppliers certify compliance with anti-slavery and trafficking laws."
    ),
    "accountability": gettext_noop(
        "Saying you have no accountability procedure answers the law but earns no practice credit. Consider "
        "written consequences for employees and contractors who break your standards."
    ),
    "training": gettext_noop(
        "Saying you do not train answers the law but earns no practice credit. Consider training supply-chain "
        "staff and managers on recognising and reducing trafficking risks."
    ),
}

_HEDGED: dict[str, str] = {
    "verification": gettext_noop(
        "Your verification reads as optional or partial (“may”, “where appropriate”). "
        "Say plainly what you do, for which suppliers and how often."
    ),
    "audits": gettext_noop(
        "Your audits read as optional (“we reserve the right to audit”, “audits may be "
        "conducted”). Say plainly that you audit, which suppliers and how often."
    ),
    "certification": gettext_noop(
        "Suppliers being “expected to follow all laws” is not a certification. Say that direct "
        "suppliers must certify, or contractually agree, that they comply with laws on slavery, human "
        "trafficking and forced labor."
    ),
    "accountability": gettext_noop(
        "Your accountability procedure reads as optional or general. Say which standards apply to employees "
        "and contractors and what happens when they fail them (for example discipline up to termination)."
    ),
    "training": gettext_noop(
        "Generic ethics or compliance training counts only in part. Say that the training covers human "
        "trafficking and forced labor and that supply-chain staff and managers receive it."
    ),
}

_UNCLEAR = gettext_noop(
    "What you say here is ambiguous or contradicts itself, so a reviewer has to decide. Say plainly, in one "
    "place, whether you do this and how."
)
_CONTRADICTION = gettext_noop(
    "Two statements about this contradict each other. Remove or reconcile the older one so that one clear "
    "statement remains."
)
_PLANNED = gettext_noop(
    "A plan counts as not done yet. Once it is in place, describe it in the present tense (what you do, who "
    "does it, how often); until then you may say when it will start."
)
_STATUTE_ECHO = gettext_noop(
    "A heading that repeats the law's wording is not an answer. Under it, describe what your company actually does."
)
_ACCOUNTABILITY_SCOPE = gettext_noop(
    "Ending contracts with suppliers is audit follow-up, not accountability. Describe what happens to your own "
    "employees or contractors who fail your standards."
)

STATUS_ADVICE: dict[str, dict[str, str]] = {
    "silent": _SILENT,
    "does_not": _DOES_NOT,
    "does_hedged": _HEDGED,
}

# --- the statute's qualifiers (RUBRIC.md §3) ---------------------------------------------------------------

QUALIFIER_MISSING_ADVICE: dict[str, str] = {
    "verification.performed_by": gettext_noop(
        "Say whether the verification is done by a third party or by your own staff: the law asks you to say "
        "so if it is not done by a third party."
    ),
    "audits.independence": gettext_noop(
        "Say whether your audits are independent (carried out by a third party) or done by your own staff."
    ),
    "audits.announcement": gettext_noop("Say whether your audits are unannounced."),
}

# A qualifier value that answers the law but describes a weaker practice.
QUALIFIER_VALUE_ADVICE: dict[tuple[str, str], str] = {
    ("verification.performed_by", "internal"): gettext_noop(
        "Verification by your own staff only earns less practice credit than third-party verification. If a "
        "third party takes part, say so."
    ),
    ("audits.independence", "internal"): gettext_noop(
        "Internal audits earn less practice credit than independent ones. If any audits are carried out by an "
        "independent third party, say so."
    ),
    ("audits.independence", "mixed"): gettext_noop(
        "Say what share of your audits are independent, so readers can judge the mix."
    ),
    ("audits.announcement", "announced"): gettext_noop(
        "Announced audits earn the least practice credit. If any audits are unannounced or announced only as a "
        "time window, say so."
    ),
    ("audits.announcement", "semi_announced"): gettext_noop(
        "Audits announced as a time window earn partial credit. If any are fully unannounced, say so."
    ),
    ("audits.announcement", "mixed"): gettext_noop("Say what share of your audits are unannounced."),
}

REQUIRED_QUALIFIERS: dict[str, tuple[str, ...]] = {
    "verification": ("performed_by",),
    "audits": ("independence", "announcement"),
}

# --- quality signals (RUBRIC.md §3, ids as in disclosures.core.explain.SIGNAL_TEXT) ------------------------

SIGNAL_ADVICE: dict[str, str] = {
    "method_named": gettext_noop("Name the method you use (for example a risk assessment tool or questionnaire)."),
    "frequency": gettext_noop("Say how often you do it (for example every year, or before onboarding)."),
    "coverage": gettext_noop("Say how much of your supply chain it covers (share of suppliers or spend)."),
    "beyond_tier1": gettext_noop("Say whether it reaches beyond your direct suppliers, for example raw materials."),
    "labor_brokers": gettext_noop("Say whether labor brokers and recruitment agencies are covered."),
    "worker_interviews": gettext_noop("Say whether auditors interview workers, and whether away from managers."),
    "corrective_action": gettext_noop("Say what happens when a problem is found (corrective action plans)."),
    "flow_down": gettext_noop("Say whether suppliers must pass the same requirement on to their own suppliers."),
    "consequences_named": gettext_noop("Name the consequences (for example discipline up to termination)."),
    "hotline": gettext_noop("Say whether employees and workers can report concerns through a hotline."),
    "named_owner": gettext_noop("Name the team or executive responsible."),
    "completion_figures": gettext_noop("Give completion figures (how many staff were trained, and when)."),
}

# Which signals matter for which area, most useful first; at most MAX_SIGNAL_TIPS are shown per area.
AREA_SIGNALS: dict[str, tuple[str, ...]] = {
    "verification": ("method_named", "frequency", "beyond_tier1", "labor_brokers", "coverage"),
    "audits": ("frequency", "worker_interviews", "corrective_action", "coverage", "beyond_tier1"),
    "certification": ("flow_down", "frequency"),
    "accountability": ("consequences_named", "hotline", "named_owner"),
    "training": ("frequency", "completion_figures", "named_owner"),
}
MAX_SIGNAL_TIPS = 3


# --- the function pages call -------------------------------------------------------------------------------


def _flag_details(flags: Iterable[str], family: str) -> set[str]:
    prefix = family + ":"
    return {flag[len(prefix) :] for flag in flags if flag.startswith(prefix)}


def _status_advice(area: str, status: str, flags: Iterable[str]) -> list[Advice]:
    flags = list(flags)
    notes: list[Advice] = []
    if area in _flag_details(flags, "statute_echo"):
        notes.append(Advice(f"{area}.statute_echo", COMPLIANCE, _STATUTE_ECHO))
    if area in _flag_details(flags, "planned"):
        notes.append(Advice(f"{area}.planned", PRACTICE, _PLANNED))
    elif area in _flag_details(flags, "contradiction") | _flag_details(flags, "contradictory"):
        notes.append(Advice(f"{area}.contradiction", COMPLIANCE, _CONTRADICTION))
    elif status == "unclear":
        notes.append(Advice(f"{area}.unclear", COMPLIANCE, _UNCLEAR))
    elif status in STATUS_ADVICE:
        kind = COMPLIANCE if status == "silent" else PRACTICE
        notes.append(Advice(f"{area}.{status}", kind, STATUS_ADVICE[status][area]))
    if area == "accountability" and status in {"silent", "does_hedged"}:
        notes.append(Advice("accountability.scope", PRACTICE, _ACCOUNTABILITY_SCOPE))
    return notes


def _qualifier_advice(area: str, status: str, qualifiers: Mapping[str, str], flags: Iterable[str]) -> list[Advice]:
    missing = {detail for detail in _flag_details(flags, "qualifier_missing") if detail.startswith(area + ".")}
    notes: list[Advice] = []
    for name in REQUIRED_QUALIFIERS.get(area, ()):
        key = f"{area}.{name}"
        value = str(qualifiers.get(name, "") or "unspecified")
        if status in {"does", "does_hedged"} and (value == "unspecified" or key in missing):
            notes.append(Advice(key, COMPLIANCE, QUALIFIER_MISSING_ADVICE[key]))
        elif status in {"does", "does_hedged"} and (key, value) in QUALIFIER_VALUE_ADVICE:
            notes.append(Advice(f"{key}.{value}", PRACTICE, QUALIFIER_VALUE_ADVICE[(key, value)]))
    return notes


def _signal_advice(area: str, status: str, signals: Iterable[str]) -> list[Advice]:
    if status not in {"does", "does_hedged"}:
        return []
    found = set(signals)
    missing = [signal for signal in AREA_SIGNALS.get(area, ()) if signal not in found]
    return [Advice(f"{area}.signal.{signal}", PRACTICE, SIGNAL_ADVICE[signal]) for signal in missing[:MAX_SIGNAL_TIPS]]


def advice_for_finding(
    *,
    area: str,
    status: str,
    qualifiers: Mapping[str, str] | None = None,
    signals: Iterable[str] = (),
    flags: Iterable[str] = (),
) -> tuple[Advice, ...]:
    """Concrete notes for one area, what the law asks for first; empty when nothing is missing.

    ``flags`` are the whole score's flags (``qualifier_missing:audits.announcement``, ``planned:training``...);
    only those naming ``area`` are used.
    """
    if area not in AREAS:
        return ()
    flags = tuple(flags)
    notes = [
        *_status_advice(area, status, flags),
        *_qualifier_advice(area, status, qualifiers or {}, flags),
        *_signal_advice(area, status, signals),
    ]
    unique: dict[str, Advice] = {}
    for note in notes:
        unique.setdefault(note.code, note)
    # sorted() is stable: what the law asks for comes first, each group in the order built above.
    return tuple(sorted(unique.values(), key=lambda note: note.kind != COMPLIANCE))
