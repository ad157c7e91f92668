"""Whole invented statements in different shapes: a bare supplier code, a statute-shaped disclosure, honest
negatives, a Q&A page, an intro about the law, and run-on PDF text with hyphenation. Each must get every area right."""

from __future__ import annotations

import pytest

from disclosures.core.scoring import score_text

CODE_ONLY = """Vendor Code of Conduct

Forced Labor
Vendors shall not use forced, bonded, indentured or prison labor. Workers must be free to leave their employment
after reasonable notice. Vendors shall not require workers to lodge deposits or surrender identity documents.

Child Labor
Vendors shall not employ anyone under the age of 15 or the legal minimum age, whichever is higher. Vendors must
keep proof of age for every worker.

Wages and Hours
Vendors shall pay at least the legal minimum wage. Overtime must be voluntary and paid at a premium rate.

Health and Safety
Vendors shall provide a safe workplace and regular health and safety training to workers and supervisors. Fire
exits must be kept clear.

Disciplinary Practices
Vendors shall not use corporal punishment or harassment. Any discipline of workers must be fair and documented.

Subcontracting
Vendors must obtain written approval before subcontracting any part of an order. Vendors must ensure their
subcontractors follow this Code.

Records
Vendors shall maintain records needed to show compliance with this Code and make them available upon request.

Compliance
Vendors must comply with all applicable laws and regulations of the countries in which they operate.
"""

TYPICAL_FULL = """California Transparency in Supply Chains Act Disclosure

Brightline Outdoor Co. is committed to ethical sourcing. This disclosure is made under California Civil Code
section 1714.43.

Verification. Brightline uses a risk-based approach to evaluate the potential for forced labor in its supply
chain. Our responsible sourcing group reviews country and product risk before a new factory is approved. We do
not use a third party for this review.

Audits. All finished-goods factories are audited before production and at least every eighteen months
thereafter. Audits are carried out by independent monitoring firms and are generally unannounced. Auditors
interview workers in their own language.

Certification. Our master supply agreement requires each direct supplier to certify that the materials it uses
comply with the laws on slavery and human trafficking of the countries where it does business.

Internal Accountability. Brightline employees and contractors who fail to follow our policies on forced labor
are subject to disciplinary action, up to and including termination. Concerns can be reported anonymously
through our ethics hotline.

Training. Associates in sourcing, product development and compliance receive training on identifying and
mitigating risks of human trafficking and slavery when they join and every year afterwards.
"""

SMALL_NEGATIVE = """Supply Chain Transparency Statement

Kettle & Pine LLC sells home goods that it buys from a small number of wholesalers in the United States. We do
not verify our product supply chains for risks of human trafficking or slavery, and we do not conduct audits of
our suppliers. We do not ask our suppliers to certify compliance with anti-slavery laws. We do not have internal
accountability procedures specific to slavery and trafficking, and we do not currently train our employees on
these topics. We expect our wholesalers to obey the law.
"""

QA_STYLE = """California Supply Chains Act FAQ

Does the company verify its supply chains?
Yes. Our quality and compliance team reviews the risk profile of each supplier annually.

Does the company audit its suppliers?
The company reserves the right to inspect supplier facilities, announced or unannounced.

Does the company require supplier certification?
Suppliers sign our vendor agreement, in which they warrant compliance with all applicable labor laws, including
those prohibiting forced labor.

Does the company maintain internal accountability standards?
Our Code of Ethics applies to every employee, and violations can lead to dismissal.

Does the company provide training?
Not at this time.
"""

INTRO_ONLY = """Our Commitment to Human Rights

Human trafficking and forced labor are among the gravest abuses of human rights. The California Transparency in
Supply Chains Act of 2010 requires retailers and manufacturers doing business in California to disclose their
efforts to eradicate slavery and human trafficking from their direct supply chains for tangible goods offered
for sale. The law requires disclosure of whether a company verifies its supply chains, audits suppliers,
requires certifications, maintains internal accountability standards and trains employees. We believe every
worker deserves to be treated with dignity and respect, and we expect the same of our business partners. We will
continue to review our approach as our business grows.
"""

PDF_RUNON = """MODERN SLAVERY AND CALIFORNIA TRANSPARENCY STATEMENT 2023
Our approach
Halcyon Foods Group operates 14 plants in 6 countries and buys ingredients from more
than 900 suppliers. Our supplier onboarding process includes a self-assessment question-
naire covering labour practices, and suppliers in high-risk categories are subject to an
ethical audit (SMETA or equivalent) carried out by an approved third-party audit firm. Au-
dits may be announced or semi-announced. In 2023, 212 audits were completed.
Supplier terms
Our standard terms and conditions of purchase require suppliers to comply with the
Modern Slavery Act and all laws on forced labour and human trafficking.
Our people
Halcyon colleagues who breach our Code of Conduct face disciplinary action. In 2023,
1,340 buyers and technical colleagues completed our modern slavery e-learning module.
This statement was approved by the Board of Directors on 12 March 2024 and signed by
Jane Holt, Chief Executive Officer.
"""


DOCUMENTS = [
    pytest.param(
        CODE_ONLY,
        {
            "verification": "silent",
            "audits": "silent",
            "certification": "silent",
            "accountability": "silent",
            "training": "silent",
        },
        id="code_only",
    ),
    pytest.param(
        TYPICAL_FULL,
        {
            "verification": "does",
            "audits": "does",
            "certification": "does",
            "accountability": "does",
            "training": "does",
        },
        id="typical_full",
    ),
    pytest.param(
        SMALL_NEGATIVE,
        {
            "verification": "does_not",
            "audits": "does_not",
            "certification": "does_not",
            "accountability": "does_not",
            "training": "does_not",
        },
        id="small_negative",
    ),
    pytest.param(
        QA_STYLE,
        {
            "verification": "does",
            "audits": "does_hedged",
            "certification": "does",
            "accountability": "does",
            "training": "does_not",
        },
        id="qa_style",
    ),
    pytest.param(
        INTRO_ONLY,
        {
            "verification": "silent",
            "audits": "silent",
            "certification": "silent",
            "accountability": "silent",
            "training": "silent",
        },
        id="intro_only",
    ),
    pytest.param(
        PDF_RUNON,
        {
            "verification": "does",
            "audits": "does",
            "certification": "does",
            "accountability": "does",
            "training": "does",
        },
        id="pdf_runon",
    ),
]


@pytest.mark.parametrize(("text", "expected"), DOCUMENTS)
def test_it_gets_every_area_of_a_whole_statement_right(text: str, expected: dict[str, str]) -> None:
    card = score_text(text)
    assert {area: finding.status for area, finding in card.areas.items()} == expected


def test_it_reads_approval_and_signature_from_a_uk_style_statement() -> None:
    signals = score_text(PDF_RUNON).crosswalk["uk"]["signals"]
    assert signals["board_approval"] is True
    assert signals["director_signature"] is True


def test_it_finds_nothing_to_score_in_a_bare_supplier_code() -> None:
    card = score_text(CODE_ONLY)
    assert card.compliance_score == 0
    assert card.grade == "F"
