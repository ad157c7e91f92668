"""RUBRIC.md §2-§3 as tables: invented sentences, the status each area must get, and the qualifiers.

Every sentence here was written for these tests (none is copied from the samples). Each row names one area;
the other areas are not asserted unless a row says so.
"""

from __future__ import annotations

import pytest

from disclosures.core.rubric import load_rubric
from disclosures.core.scoring import score_text
from disclosures.core.text import segment, words


def status_of(text: str, area: str) -> str:
    return score_text(text).areas[area].status


# ----------------------------------------------------------------------------------------------------------
# Verification: § 1714.43(c)(1)
# ----------------------------------------------------------------------------------------------------------

VERIFICATION = [
    ("We evaluate and address the risks of human trafficking and slavery in our product supply chains.", "does"),
    ("Acme performs a risk assessment of every new supplier before placing its first order.", "does"),
    (
        (
            "Our sourcing team checks country risk against the U.S. Department of Labor's List of "
            "Goods Produced by Child Labor or Forced Labor."
        ),
        "does",
    ),
    ("New vendors complete a social compliance questionnaire before they are approved.", "does"),
    ("We map our supply chain down to the raw material level.", "does"),
    ("Prospective suppliers are screened for forced labor risk before onboarding.", "does"),
    ("We carry out human rights due diligence on our suppliers.", "does"),
    ("Acme engages an outside firm to verify its product supply chains.", "does"),
    ("Verification of our supply chain is carried out by our in-house compliance team.", "does"),
    ("Our suppliers are verified by an independent social compliance firm.", "does"),
    ("Each supplier is ranked by risk using country and commodity data.", "does"),
    ("We may engage consultants to verify our supply chains where risks warrant.", "does_hedged"),
    ("Where appropriate, we conduct risk assessments of selected suppliers.", "does_hedged"),
    ("Acme does not currently verify its product supply chains for risks of human trafficking.", "does_not"),
    ("We do not engage in verification of product supply chains.", "does_not"),
    ("The Company does not use third parties to verify its supply chains.", "does_not"),
    ("At this time, we do not conduct risk assessments of our suppliers.", "does_not"),
    ("Nimbus Corp. does not verify its supply chains.", "does_not"),
    ("We have not yet evaluated our suppliers for trafficking risk.", "does_not"),
    ("We plan to introduce a supplier risk assessment process next year.", "does_not"),
    ("Acme is developing a program to map its supply chain.", "does_not"),
    ("We are committed to respecting human rights in our supply chain.", "silent"),
    ("Forced labor is a serious risk in many industries around the world.", "silent"),
    ("Our auditors review the financial risks of the business each quarter.", "silent"),
    ("Vendors must verify the age of every worker they hire.", "silent"),
]


@pytest.mark.parametrize(("text", "expected"), VERIFICATION)
def test_it_finds_verification(text: str, expected: str) -> None:
    assert status_of(text, "verification") == expected


PERFORMED_BY = [
    ("Acme engages an independent firm to verify its supply chains.", "third_party"),
    ("Our own sourcing team verifies our supply chains; we do not use third-party verifiers.", "internal"),
    ("We verify our supply chains internally and also through an outside consultant.", "both"),
    ("We evaluate the risks of forced labor in our supply chain.", "unspecified"),
]


@pytest.mark.parametrize(("text", "expected"), PERFORMED_BY)
def test_it_tells_who_verifies(text: str, expected: str) -> None:
    finding = score_text(text).areas["verification"]
    assert finding.status in {"does", "does_hedged"}
    assert finding.qualifiers == {"performed_by": expected}


# ----------------------------------------------------------------------------------------------------------
# Audits: § 1714.43(c)(2)
# ----------------------------------------------------------------------------------------------------------

AUDITS = [
    ("Every active factory receives an on-site audit each year.", "does"),
    ("We conduct unannounced audits of our suppliers through an independent third-party firm.", "does"),
    ("Our internal compliance team audits high-risk suppliers annually with advance notice.", "does"),
    ("Suppliers will be audited annually by accredited auditors.", "does"),
    ("Factories that make our goods undergo SMETA audits every two years.", "does"),
    ("Our staff visit supplier factories to inspect working conditions.", "does"),
    ("We inspect factories for compliance with our standards on forced labor.", "does"),
    ("We reserve the right to audit suppliers.", "does_hedged"),
    ("Audits may be conducted where risks warrant.", "does_hedged"),
    ("Acme retains the right to conduct unannounced inspections of supplier facilities.", "does_hedged"),
    ("Suppliers must allow us to audit their facilities.", "does_hedged"),
    ("We do not currently audit suppliers for trafficking.", "does_not"),
    ("Acme does not conduct audits of its suppliers.", "does_not"),
    ("We have never audited our vendors.", "does_not"),
    ("Nimbus does not conduct independent audits of its supply chain.", "does_not"),
    ("We intend to begin auditing our highest-risk suppliers in 2026.", "does_not"),
    ("Our Audit Committee oversees the integrity of our financial statements.", "silent"),
    ("All shipments pass a quality inspection before they leave the warehouse.", "silent"),
    ("Suppliers must keep payroll records and make them available for review.", "silent"),
    ("Suppliers must conduct regular audits of their own subcontractors.", "silent"),
]


@pytest.mark.parametrize(("text", "expected"), AUDITS)
def test_it_finds_audits(text: str, expected: str) -> None:
    assert status_of(text, "audits") == expected


AUDIT_QUALIFIERS = [
    (
        "We conduct unannounced audits of all suppliers through an independent third-party firm.",
        "independent",
        "unannounced",
    ),
    ("Our internal audit team conducts announced audits of our direct suppliers.", "internal", "announced"),
    (
        "Audits are semi-announced, with a two-week window, and are performed by accredited third-party auditors.",
        "independent",
        "semi_announced",
    ),
    (
        "Our employees and third-party auditors visit factories, which may be announced or unannounced.",
        "mixed",
        "mixed",
    ),
    ("We audit suppliers without prior notice.", "unspecified", "unannounced"),
    ("We audit suppliers every year.", "unspecified", "unspecified"),
    (
        "We do not use third-party auditors; our own staff audit each supplier on 30 days' notice.",
        "internal",
        "announced",
    ),
]


@pytest.mark.parametrize(("text", "independence", "announcement"), AUDIT_QUALIFIERS)
def test_it_tells_who_audits_and_whether_they_warn(text: str, independence: str, announcement: str) -> None:
    finding = score_text(text).areas["audits"]
    assert finding.status in {"does", "does_hedged"}
    assert finding.qualifiers == {"independence": independence, "announcement": announcement}


def test_it_reads_a_withheld_date_inside_a_window_as_semi_announced() -> None:
    text = (
        "Independent firms audit each factory once a year. We do not provide the audit date to the factory. "
        "Factories are told of a three-week window during which the audit will take place."
    )
    finding = score_text(text).areas["audits"]
    assert finding.status == "does"
    assert finding.qualifiers["announcement"] == "semi_announced"


def test_it_flags_missing_audit_qualifiers() -> None:
    card = score_text("We audit our suppliers regularly.")
    assert "qualifier_missing:audits.independence" in card.flags
    assert "qualifier_missing:audits.announcement" in card.flags


def test_it_gives_a_does_not_finding_no_qualifiers() -> None:
    finding = score_text("We do not audit our suppliers.").areas["audits"]
    assert finding.status == "does_not"
    assert finding.qualifiers == {}


# ----------------------------------------------------------------------------------------------------------
# Certification: § 1714.43(c)(3), RUBRIC.md §2 rule 5
# ----------------------------------------------------------------------------------------------------------

CERTIFICATION = [
    (
        (
            "We require our direct suppliers to certify that materials in our products comply "
            "with laws on slavery and human trafficking."
        ),
        "does",
    ),
    ("Suppliers must sign a written certification of compliance with applicable anti-trafficking laws.", "does"),
    ("Our purchase order terms require suppliers to warrant that they do not use forced labor.", "does"),
    ("Each vendor contractually agrees to comply with all laws prohibiting slavery and human trafficking.", "does"),
    ("By accepting our purchase orders, suppliers confirm that no forced or prison labor was used.", "does"),
    ("Suppliers certify compliance with all applicable labor laws.", "does_hedged"),
    ("We may require suppliers to certify that they comply with laws against human trafficking.", "does_hedged"),
    ("Suppliers are expected to attest that their goods are made without forced labor.", "does_hedged"),
    ("Suppliers are expected to follow all laws.", "silent"),
    ("Our suppliers must comply with our Supplier Code of Conduct.", "silent"),
    ("Suppliers may not use prison labor.", "silent"),
    ("Our organic products are certified by an accredited body.", "silent"),
    ("Suppliers must keep signed contracts with their workers.", "silent"),
    ("We do not require our suppliers to certify compliance with anti-slavery laws.", "does_not"),
    ("Acme does not currently require direct suppliers to provide certifications.", "does_not"),
    ("We are considering whether to ask suppliers for certifications on forced labor.", "does_not"),
]


@pytest.mark.parametrize(("text", "expected"), CERTIFICATION)
def test_it_finds_certification(text: str, expected: str) -> None:
    assert status_of(text, "certification") == expected


def test_it_counts_a_general_law_certification_when_trafficking_is_named_nearby() -> None:
    text = (
        "Our standards forbid forced and bonded labor. "
        "Vendors also warrant that all goods are made in accordance with all applicable laws."
    )
    assert status_of(text, "certification") == "does_hedged"


def test_it_ignores_a_general_law_certification_with_no_labor_context() -> None:
    text = "Each supplier represents that its goods meet all applicable food safety laws and regulations."
    assert status_of(text, "certification") == "silent"


# ----------------------------------------------------------------------------------------------------------
# Accountability: § 1714.43(c)(4), RUBRIC.md §2 rule 6
# ----------------------------------------------------------------------------------------------------------

ACCOUNTABILITY = [
    (
        (
            "Employees who violate our standards on forced labor face disciplinary "
            "action, up to and including termination."
        ),
        "does",
    ),
    (
        (
            "We maintain internal accountability standards and procedures for employees and "
            "contractors who fail to meet our standards on slavery."
        ),
        "does",
    ),
    ("Any employee or contractor found to have breached our anti-trafficking policy will be disciplined.", "does"),
    (
        "Staff who ignore our responsible sourcing rules may be subject to sanctions, including dismissal.",
        "does_hedged",
    ),
    ("Employees can raise concerns anonymously through our ethics hotline.", "does_hedged"),
    ("All employees are required to comply with our Code of Conduct.", "does_hedged"),
    ("We will terminate any supplier that uses forced labor.", "silent"),
    ("Suppliers found in violation must complete a corrective action plan.", "silent"),
    ("We have zero tolerance for forced labor.", "silent"),
    ("Vendors shall not discipline workers for raising grievances.", "silent"),
    ("We hold ourselves accountable to the highest ethical standards.", "silent"),
    ("We do not maintain internal accountability standards specific to slavery and trafficking.", "does_not"),
    ("Acme does not have formal accountability procedures for employees regarding trafficking.", "does_not"),
]


@pytest.mark.parametrize(("text", "expected"), ACCOUNTABILITY)
def test_it_finds_accountability(text: str, expected: str) -> None:
    assert status_of(text, "accountability") == expected


def test_it_counts_supplier_consequences_framed_as_the_accountability_procedure() -> None:
    text = "Internal Accountability\nIf a factory breaches our standards, it must correct the problem or be dropped."
    assert status_of(text, "accountability") == "does_hedged"


# ----------------------------------------------------------------------------------------------------------
# Training: § 1714.43(c)(5), RUBRIC.md §2 rule 7
# ----------------------------------------------------------------------------------------------------------

TRAINING = [
    ("All buyers and sourcing managers receive annual training on human trafficking and slavery.", "does"),
    ("We train employees with direct responsibility for supply chain management on forced labor risks.", "does"),
    ("Supply chain staff will be trained on modern slavery.", "does"),
    ("Our procurement team completed a course on recognizing forced labor indicators.", "does"),
    ("All employees complete annual ethics training.", "does_hedged"),
    ("We provide Code of Conduct training to our employees.", "does_hedged"),
    ("We provide training to our suppliers on human trafficking.", "does_hedged"),
    ("We do not currently provide training on human trafficking to our employees.", "does_not"),
    ("Acme does not have a training program on trafficking at this time.", "does_not"),
    ("We will introduce human trafficking training for our buyers in 2026.", "does_not"),
    ("The company plans to roll out training for procurement staff.", "does_not"),
    ("Our work focuses on promoting training and capacity building in sourcing communities.", "silent"),
    ("Vendors shall provide health and safety training to all workers.", "silent"),
]


@pytest.mark.parametrize(("text", "expected"), TRAINING)
def test_it_finds_training(text: str, expected: str) -> None:
    assert status_of(text, "training") == expected


# ----------------------------------------------------------------------------------------------------------
# Hard cases across areas
# ----------------------------------------------------------------------------------------------------------

NEGATED_NON_ACTIVITIES = [
    "We do not tolerate forced labor in any form.",
    "Suppliers may not hold workers' passports.",
    "Our code prohibits all forced labor, including but not limited to prison and bonded labor.",
    "No child or forced labor may be used to make our products.",
    "Suppliers that do not comply with our code are not permitted to produce for us.",
]


@pytest.mark.parametrize("text", NEGATED_NON_ACTIVITIES)
def test_it_never_reads_a_prohibition_as_a_negative_answer(text: str) -> None:
    card = score_text(text)
    assert all(finding.status == "silent" for finding in card.areas.values())


def test_it_marks_contradictions_unclear_with_both_sentences() -> None:
    card = score_text("We do not audit our suppliers. We conduct annual audits of all our factories.")
    finding = card.areas["audits"]
    assert finding.status == "unclear"
    assert len(finding.evidence) == 2
    assert "contradiction:audits" in card.flags


def test_it_hedges_a_limited_negative_next_to_a_positive() -> None:
    text = "We have no formal training program. Buyers are trained on our supplier code each year."
    assert status_of(text, "training") == "does_hedged"


def test_it_applies_a_blanket_negative_to_every_area() -> None:
    card = score_text("We do not engage in any of the measures listed above.")
    assert {finding.status for finding in card.areas.values()} == {"does_not"}
    assert "blanket_statement" in card.flags


def test_it_reads_a_planned_list_of_areas_as_planned_everywhere() -> None:
    card = score_text(
        "We are considering whether to adopt formal verification, audit, certification and training processes."
    )
    assert card.areas["training"].status == "does_not"
    assert "planned:verification" in card.flags


def test_it_flags_plans() -> None:
    card = score_text("We will introduce supplier audits next year.")
    assert card.areas["audits"].status == "does_not"
    assert "planned:audits" in card.flags


def test_it_reads_will_as_a_present_commitment() -> None:
    card = score_text("Suppliers will be audited annually, and we will terminate any supplier that refuses.")
    assert card.areas["audits"].status == "does"
    assert "planned:audits" not in card.flags
    assert card.areas["accountability"].status == "silent"


STATUTE_ECHO = """California Transparency in Supply Chains Act
Verification:
Audits:
Certification:
Internal Accountability:
Training:
This page will be updated."""


def test_it_gives_statute_echo_headings_no_status() -> None:
    card = score_text(STATUTE_ECHO)
    assert {finding.status for finding in card.areas.values()} == {"silent"}
    assert "statute_echo_only:audits" in card.flags
    assert "statute_echo_only:training" in card.flags


def test_it_ignores_the_statutes_list_restated_as_items() -> None:
    text = (
        "The law asks companies to disclose to what extent they:\n"
        "1. Engage in verification of product supply chains to evaluate and address "
        "risks of human trafficking and slavery.\n"
        "2. Conduct audits of suppliers to evaluate supplier compliance with company standards.\n"
        "3. Require direct suppliers to certify that materials incorporated into the product comply with the laws.\n"
        "4. Maintain internal accountability standards and procedures for employees or "
        "contractors failing to meet company standards.\n"
        "5. Provide company employees and management, who have direct responsibility "
        "for supply chain management, training.\n"
    )
    card = score_text(text)
    assert {finding.status for finding in card.areas.values()} == {"silent"}


def test_it_keeps_a_company_list_that_follows_a_we_lead_in() -> None:
    text = (
        "To keep forced labor out of our supply chain, we:\n1. conduct audits of "
        "suppliers to evaluate compliance with our code;\n"
    )
    assert status_of(text, "audits") == "does"


def test_it_reads_answers_under_question_headings() -> None:
    text = "Does the company audit its suppliers?\nNo.\nDoes the company train its buyers?\nYes, every year."
    card = score_text(text)
    assert card.areas["audits"].status == "does_not"
    assert card.areas["training"].status in {"does", "does_hedged"}


def test_it_answers_verification_and_audits_from_one_practice() -> None:
    card = score_text("We verify our supply chains through independent audits of every factory.")
    assert card.areas["verification"].status == "does"
    assert card.areas["audits"].status == "does"


# A second table of phrasings, written later to check that the rules generalise beyond the first one.
MORE_PHRASINGS = [
    ("verification", "We work with our suppliers to identify and address potential risks of forced labor.", "does"),
    ("verification", "Our supplier approval process includes a review of each supplier's labor practices.", "does"),
    (
        "verification",
        "The Company evaluates its supply chain on an ongoing basis to assess risks related to human trafficking.",
        "does",
    ),
    ("verification", "We do not currently engage third parties to verify our product supply chains.", "does_not"),
    ("verification", "Global Brands does not conduct verification of its supply chain at this time.", "does_not"),
    ("verification", "We rely on our suppliers to ensure their supply chains are free from slavery.", "silent"),
    ("verification", "We periodically review our sourcing practices.", "silent"),
    ("verification", "Suppliers are required to provide a list of the factories they use.", "does_hedged"),
    ("verification", "We use a third-party platform to collect and assess supplier data on labor risks.", "does"),
    ("audits", "Factories are subject to periodic social compliance audits by our agents.", "does"),
    ("audits", "We may audit suppliers to confirm compliance with our code of conduct.", "does_hedged"),
    ("audits", "All of our direct suppliers are audited at least once every two years.", "does"),
    ("audits", "Our Vendor Agreement gives us the right to inspect factories at any time.", "does_hedged"),
    ("audits", "We do not conduct independent, unannounced audits of our suppliers.", "does_not"),
    ("audits", "At this time the Company does not audit its suppliers.", "does_not"),
    ("audits", "Suppliers must maintain audit-ready records at all times.", "silent"),
    (
        "audits",
        "Our monitoring program includes announced and unannounced factory visits by our compliance staff.",
        "does",
    ),
    (
        "certification",
        "All suppliers must sign our Supplier Code of Conduct, which prohibits forced and child labor.",
        "does",
    ),
    (
        "certification",
        "Our vendor agreements require suppliers to comply with all applicable laws, "
        "including laws against slavery and human trafficking.",
        "does",
    ),
    ("certification", "Suppliers acknowledge in writing that they comply with our Human Rights Policy.", "does_hedged"),
    ("certification", "We expect suppliers to comply with all laws regarding slavery and human trafficking.", "silent"),
    ("certification", "We require suppliers to follow our code of conduct.", "silent"),
    (
        "certification",
        "The Company does not currently require its direct suppliers to certify that materials "
        "comply with anti-slavery laws.",
        "does_not",
    ),
    (
        "accountability",
        "Violations of our Code of Conduct by employees may result in disciplinary action, including termination.",
        "does_hedged",
    ),
    (
        "accountability",
        "Our employees must comply with our Code of Business Conduct, and failure to do so can result in termination.",
        "does",
    ),
    (
        "accountability",
        "Employees are encouraged to report suspected violations to their manager or through our hotline.",
        "does_hedged",
    ),
    ("accountability", "Suppliers who violate our standards may be terminated.", "silent"),
    (
        "accountability",
        "The Company has not adopted internal accountability standards specific to human trafficking.",
        "does_not",
    ),
    (
        "accountability",
        "We expect every supplier to hold itself accountable for conditions in its factories.",
        "silent",
    ),
    ("training", "Employees responsible for sourcing receive training on our supplier code of conduct.", "does"),
    ("training", "We provide human trafficking awareness training to our purchasing team.", "does"),
    ("training", "Our compliance team has participated in webinars on forced labor.", "does"),
    ("training", "We have not provided specific training to our employees on human trafficking.", "does_not"),
    ("training", "Suppliers must train their workers on health and safety.", "silent"),
    (
        "training",
        "We are in the process of developing training for employees with supply chain responsibilities.",
        "does_not",
    ),
    ("training", "Education is a priority for our foundation, which funds schools in sourcing communities.", "silent"),
    ("verification", "To verify compliance, Acme relies on supplier self-reporting.", "does"),
    ("verification", "Acme has engaged Verit\u00e9 to review its supply chain risks.", "does"),
    ("verification", "We have mapped our tier 1 and tier 2 suppliers.", "does"),
    ("verification", "Acme's supply chain is relatively simple and is not considered high risk.", "silent"),
    ("verification", "Verification: Acme does not currently conduct verification activities.", "does_not"),
    ("verification", "We assess our vendors for compliance with our policies during onboarding.", "does"),
    ("audits", "Acme uses independent third-party auditors to conduct both announced and unannounced audits.", "does"),
    ("audits", "Site visits are carried out by members of our sourcing team.", "does"),
    (
        "audits",
        "Acme has not conducted audits of its suppliers for compliance with anti-trafficking standards.",
        "does_not",
    ),
    ("audits", "Our suppliers are members of Sedex and share their SMETA audit reports with us.", "does"),
    ("audits", "We require factories to be certified under WRAP or an equivalent program.", "does"),
    (
        "certification",
        "Vendors must certify annually that they comply with our Vendor Code of Conduct, which bans forced labor.",
        "does",
    ),
    ("certification", "Our purchase orders include a clause requiring compliance with anti-slavery laws.", "does"),
    ("certification", "Suppliers are required to confirm in writing that they do not use forced labor.", "does"),
    ("certification", "We have not required suppliers to certify their compliance.", "does_not"),
    ("certification", "Our products are certified Fair Trade.", "silent"),
    ("accountability", "Employees who violate the Code may be disciplined.", "does_hedged"),
    (
        "accountability",
        "Contractors who fail to meet our standards regarding slavery face termination of their contracts.",
        "does",
    ),
    ("accountability", "Managers are held accountable for compliance with our responsible sourcing policy.", "does"),
    (
        "accountability",
        "Any supplier found to use forced labor will be subject to corrective action and possible termination.",
        "silent",
    ),
    ("training", "New buyers complete an e-learning module on forced labor within 30 days of hire.", "does"),
    ("training", "We educate our sourcing staff about the signs of human trafficking.", "does"),
    ("training", "Training on human trafficking is not currently provided.", "does_not"),
    ("training", "We trained over 200 factory workers on their rights last year.", "does_hedged"),
]


@pytest.mark.parametrize(("area", "text", "expected"), MORE_PHRASINGS)
def test_it_generalises_to_more_phrasings(area: str, text: str, expected: str) -> None:
    assert status_of(text, area) == expected


# ----------------------------------------------------------------------------------------------------------
# The word triggers that gate the detailed checks must never hide a cue
# ----------------------------------------------------------------------------------------------------------

ALL_TABLE_TEXTS = (
    [text for table in (VERIFICATION, AUDITS, CERTIFICATION, ACCOUNTABILITY, TRAINING) for text, _ in table]
    + [text for text, _ in PERFORMED_BY]
    + [text for text, *_ in AUDIT_QUALIFIERS]
    + NEGATED_NON_ACTIVITIES
)


@pytest.mark.parametrize("text", ALL_TABLE_TEXTS)
def test_it_fires_the_area_trigger_whenever_an_area_cue_matches(text: str) -> None:
    rubric = load_rubric()
    for sentence in segment(text, heading_prefix=rubric.heading_prefix):
        groups = rubric.triggers.groups_of(words(sentence.norm))
        for area in rubric.areas.values():
            cues = [pattern for pattern in (area.activity, area.weak) if pattern is not None]
            if any(pattern.search(sentence.norm) for pattern in cues):
                assert area.id in groups, (area.id, sentence.norm)


def test_it_reads_a_negated_doer_as_who_not_whether() -> None:
    finding = score_text("We do not audit suppliers ourselves; independent firms audit every factory.").areas["audits"]
    assert finding.status == "does"
    assert finding.qualifiers["independence"] == "independent"


def test_it_hedges_a_negative_and_a_positive_in_one_sentence_instead_of_calling_it_a_contradiction() -> None:
    text = "We do not audit our distributors, but we conduct annual audits of all factories that make our products."
    card = score_text(text)
    assert card.areas["audits"].status == "does_hedged"
    assert "contradiction:audits" not in card.flags
