"""Fictional disclosure texts for the demo site, from strong to absent. ``{name}`` is the company's name."""

from __future__ import annotations

STRONG = """{name} — California Transparency in Supply Chains Act Disclosure

{name} is committed to respecting human rights across our supply chain. This statement describes what we do.

Verification
We evaluate and address risks of human trafficking and slavery in our product supply chains through an annual risk assessment of every tier 1 and tier 2 supplier, using the U.S. Department of Labor's List of Goods Produced by Child Labor or Forced Labor and country risk data. This verification is conducted by an independent third party, Veritas Social Audits.

Audits
We conduct unannounced audits of all tier 1 factories at least once a year. Audits are performed by independent third-party auditors and include confidential worker interviews. Where an audit finds a violation, the supplier must complete a corrective action plan within 90 days, and we verify completion with a follow-up audit.

Certification
Our supplier agreement requires every direct supplier to certify in writing that materials incorporated into our products comply with the laws regarding slavery and human trafficking of the countries in which they do business. Suppliers must flow these requirements down to their own subcontractors.

Internal accountability
Employees and contractors who fail to meet our standards on forced labor and trafficking are subject to disciplinary action, up to and including termination of employment or contract. Concerns can be reported anonymously to our ethics hotline, which is overseen by our Chief Compliance Officer.

Training
All employees and managers with direct responsibility for supply chain management receive annual training on human trafficking and slavery, with a particular focus on mitigating risks within the supply chain. In 2025, 98% of sourcing staff completed the training.

Beyond the law
Our policy bans recruitment fees charged to workers; where fees were paid, suppliers must repay them. Suppliers may not withhold workers' passports or identity documents. We publish our list of tier 1 suppliers every year.
"""

GOOD = """Supply Chain Transparency Statement of {name}

{name} assesses its direct suppliers for risks of forced labor and human trafficking before onboarding, using a supplier questionnaire; this verification is performed by our internal compliance team.

We audit our suppliers' facilities to check compliance with our Supplier Code of Conduct. Audits are conducted by third-party auditors and are semi-announced, with a two-week window in which the visit will happen.

Our purchase order terms require suppliers to certify that the goods they supply comply with all applicable laws, including those prohibiting slavery and human trafficking.

Employees who violate our policies on forced labor face disciplinary measures, up to and including dismissal.

Our buyers and sourcing managers are trained on how to identify and report signs of human trafficking and forced labor in the supply chain.
"""

WEAK = """{name} Statement on Human Trafficking

{name} does not tolerate forced labor, child labor or human trafficking and is committed to acting ethically in all of our business relationships.

We may conduct audits of suppliers where we believe there is a risk of non-compliance with our standards.

Suppliers are expected to follow all applicable laws in the countries where they operate.

Our employees receive training on our Code of Business Conduct.
"""

NEGATIVE = """California Supply Chains Act Disclosure — {name}

{name} does not currently engage in verification of product supply chains to evaluate and address risks of human trafficking and slavery.

{name} does not conduct audits of suppliers to evaluate supplier compliance with company standards for trafficking and slavery in supply chains.

{name} does not require direct suppliers to certify that materials incorporated into the product comply with the laws regarding slavery and human trafficking.

{name} does not maintain internal accountability standards specific to slavery and trafficking. We plan to introduce training on human trafficking for our buying team next year.
"""

CONTRADICTORY = """{name} Supply Chain Disclosure

{name} does not verify, audit or certify its supply chain for slavery or human trafficking.

Our compliance team conducts on-site audits of our largest suppliers every year.

Suppliers sign our vendor agreement, in which they certify compliance with laws on forced labor.
"""

QUALITY_TEXTS = {"strong": STRONG, "good": GOOD, "weak": WEAK, "negative": NEGATIVE, "contradictory": CONTRADICTORY}
