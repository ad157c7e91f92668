"""Reviewer decisions and the company's right of reply.

- ``finding_override``: a reviewer changes a finding's status, always with a reason. The scorer's original
  status stays in ``Finding.status``; the override lives in ``overridden_*``; simple_history keeps every step
  (who, when, why), so public pages can say "overridden" and still show what the scorer found.
- ``finding_contest_open``: a representative contests one finding of their own company with an explanation;
  while it is open the finding shows "contested" publicly.
- ``finding_contest_resolve``: upheld -> the finding is overridden; dismissed -> it stands. Either way every
  approved representative of the company (and whoever raised it) is notified.
- ``disclosure_review_complete``: a disclosure in ``needs_review`` is marked reviewed (``scored``).

Overrides do not recompute the scores and grade: the scorer computes those from the text; an override is shown
next to them. (Recomputing needs a core function that scores from statuses; see the portal work's report.)
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosures.models import Disclosure, Finding, FindingContest, Membership, Notification
from disclosures.models.filings import FindingStatus
from disclosures.selectors.roles import user_can_act_for_company, user_is_reviewer
from disclosures.services.audit import audit_record
from disclosures.services.disclosures import score_apply_overrides
from disclosures.services.notifications import notification_send

CONTEST_MIN_EXPLANATION = 20  # characters: enough for one sentence a reviewer can act on


def _require_reviewer(user: Any) -> None:
    if not user_is_reviewer(user):
        raise PermissionDenied(_("Only reviewers may do this."))


def _required_text(value: str, *, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message}, code="required")
    return text


@transaction.atomic
def finding_override(*, finding: Finding, user: Any, status: str, reason: str) -> Finding:
    """Set the status a finding is shown with; choosing the scorer's own status restores it."""
    _require_reviewer(user)
    reason = _required_text(reason, field="reason", message=_("Give the reason for the override."))
    if status not in FindingStatus.values:
        raise ValidationError({"status": _("Choose one of the statuses.")}, code="invalid")
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if status == finding.effective_status:
        raise ValidationError({"status": _("The finding already has this status.")}, code="unchanged")
    previous = finding.effective_status
    # Back to the scorer's status means "no override"; who, when and why are still recorded.
    finding.overridden_status = "" if status == finding.status else status
    finding.overridden_by = user
    finding.overridden_at = timezone.now()
    finding.override_reason = reason
    finding._history_user = user  # type: ignore[attr-defined]
    finding._change_reason = reason[:100]  # type: ignore[attr-defined]
    finding.full_clean()
    finding.save(update_fields=["overridden_status", "overridden_by", "overridden_at", "override_reason"])
    score_apply_overrides(score=finding.score)  # the shown scores and grade follow the reviewer's statuses
    audit_record(
        action="finding.override",
        actor=user,
        obj=finding,
        summary=f"{finding.area}: {previous} -> {status}",
        data={"from": previous, "to": status, "scorer_status": finding.status, "reason": reason},
    )
    return finding


@transaction.atomic
def finding_contest_open(*, finding: Finding, user: Any, explanation: str) -> FindingContest:
    finding = Finding.objects.select_related("score__disclosure").get(pk=finding.pk)
    if not user_can_act_for_company(user, finding.score.disclosure.company_id):
        raise PermissionDenied(_("Only the company's representatives may contest its findings."))
    if finding.score.disclosure.status not in (Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW):
        raise ValidationError(_("Only findings of a published disclosure can be contested."), code="unpublished")
    explanation = _required_text(explanation, field="explanation", message=_("Explain why the finding is wrong."))
    if len(explanation) < CONTEST_MIN_EXPLANATION:
        raise ValidationError(
            {"explanation": _("Explain in at least %(count)d characters.") % {"count": CONTEST_MIN_EXPLANATION}},
            code="too_short",
        )
    if FindingContest.objects.filter(finding=finding, status=FindingContest.Status.OPEN).exists():
        raise ValidationError(_("This finding is already contested; a reviewer will answer."), code="open")
    contest = FindingContest(finding=finding, raised_by=user, explanation=explanation)
    contest._history_user = user  # type: ignore[attr-defined]
    contest.full_clean()
    contest.save()
    audit_record(
        action="contest.open",
        actor=user,
        obj=contest,
        summary=f"{finding.score.disclosure.company}: contests {finding.area}",
        data={"finding": finding.pk, "explanation": explanation},
    )
    return contest


def _contest_notify(contest: FindingContest) -> None:
    disclosure = contest.finding.score.disclosure
    company = disclosure.company
    outcome = (
        _("upheld: the finding was changed")
        if contest.status == FindingContest.Status.UPHELD
        else _("dismissed: the finding stands")
    )
    message = _("Your contest of the %(area)s finding for %(company)s was %(outcome)s. %(note)s") % {
        "area": contest.finding.get_area_display(),
        "company": company.name,
        "outcome": outcome,
        "note": contest.resolution_note,
    }
    link = reverse("portal:disclosure", kwargs={"slug": company.slug, "pk": disclosure.pk})
    members = Membership.objects.filter(company=company, status=Membership.Status.APPROVED).select_related("user")
    recipients = {membership.user for membership in members} | {contest.raised_by}
    for recipient in recipients:
        notification_send(
            user=recipient,
            kind=Notification.Kind.CONTEST_RESOLVED,
            key=f"contest:{contest.pk}:resolved",
            message=message,
            link=link,
        )


@transaction.atomic
def finding_contest_resolve(
    *, contest: FindingContest, user: Any, upheld: bool, note: str, status: str = ""
) -> FindingContest:
    """Upheld: the finding gets ``status`` (an override whose reason cites the contest). Dismissed: it stands."""
    _require_reviewer(user)
    note = _required_text(note, field="note", message=_("Explain the decision; the company will see it."))
    contest = (
        FindingContest.objects.select_for_update()
        .select_related("finding__score__disclosure__company", "raised_by")
        .get(pk=contest.pk)
    )
    if contest.status != FindingContest.Status.OPEN:
        raise ValidationError(_("This contest has already been resolved."), code="resolved")
    if upheld:
        if not status:
            raise ValidationError({"status": _("Choose the status the finding should have.")}, code="required")
        reason = _("Contest upheld: %(note)s") % {"note": note}
        contest.finding = finding_override(finding=contest.finding, user=user, status=status, reason=reason)
    contest.status = FindingContest.Status.UPHELD if upheld else FindingContest.Status.DISMISSED
    contest.resolved_by = user
    contest.resolved_at = timezone.now()
    contest.resolution_note = note
    contest._history_user = user  # type: ignore[attr-defined]
    contest.full_clean()
    contest.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])
    audit_record(
        action=f"contest.{contest.status}",
        actor=user,
        obj=contest,
        summary=f"contest of {contest.finding.area}: {contest.status}",
        data={"finding": contest.finding_id, "note": note, "status": status},
    )
    transaction.on_commit(lambda: _contest_notify(contest))
    return contest


@transaction.atomic
def disclosure_review_complete(*, disclosure: Disclosure, user: Any) -> Disclosure:
    """A reviewer has looked at a ``needs_review`` disclosure: it is published as ``scored``."""
    _require_reviewer(user)
    disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    if disclosure.status != Disclosure.Status.NEEDS_REVIEW:
        raise ValidationError(_("This disclosure is not waiting for review."), code="not_waiting")
    disclosure.status = Disclosure.Status.SCORED
    disclosure._history_user = user  # type: ignore[attr-defined]
    disclosure.save(update_fields=["status", "updated_at"])
    audit_record(action="disclosure.review_complete", actor=user, obj=disclosure, summary=f"{disclosure} reviewed")
    return disclosure
