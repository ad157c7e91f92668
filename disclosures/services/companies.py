"""Who may act for a company (membership requests and decisions) and the company profile its people edit.

Rules enforced here, whatever the interface (page, API, admin action):
- a membership is approved by a reviewer, or automatically when the user's *verified* email domain is the
  company's website domain (or a subdomain of it); an unverified address never approves anything;
- only approved representatives of a company may change its profile, brands and aliases; every change is
  kept by simple_history (who, when, old values) and written to the audit log with the changed values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosures.models import Brand, Company, Membership, Notification
from disclosures.selectors.portal import email_domain_matches_website, user_email_is_verified
from disclosures.selectors.roles import user_can_act_for_company, user_is_reviewer
from disclosures.services.audit import audit_record
from disclosures.services.brands import brand_create, brand_delete, brand_update, search_index_bump
from disclosures.services.notifications import notification_send

AUTO_APPROVAL_REASON = "Verified email domain matches the company's website."


def membership_can_auto_approve(*, user: Any, company: Company) -> bool:
    matches = email_domain_matches_website(email=user.email or "", website=company.website)
    return matches and user_email_is_verified(user=user)


# --- membership ---------------------------------------------------------------------------------------------


def _membership_notify(membership: Membership) -> None:
    decided = membership.decided_at or timezone.now()
    if membership.status == Membership.Status.APPROVED:
        message = _("You can now act for %(company)s.") % {"company": membership.company.name}
    else:
        message = _("Your request to act for %(company)s was declined: %(reason)s") % {
            "company": membership.company.name,
            "reason": membership.decision_reason,
        }
    notification_send(
        user=membership.user,
        kind=Notification.Kind.MEMBERSHIP,
        key=f"membership:{membership.pk}:{membership.status}:{decided.timestamp()}",
        message=message,
        link=reverse("portal:home"),
    )


def _membership_decision_save(membership: Membership, *, status: str, decided_by: Any, reason: str) -> Membership:
    membership.status = status
    membership.decided_by = decided_by
    membership.decided_at = timezone.now()
    membership.decision_reason = reason
    membership._history_user = decided_by  # type: ignore[attr-defined]
    membership.full_clean()
    membership.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(
        action=f"membership.{status}",
        actor=decided_by,
        obj=membership,
        summary=f"{membership.user} for {membership.company}: {status}",
        data={"company": membership.company.slug, "user": membership.user.pk, "reason": reason},
    )
    transaction.on_commit(lambda: _membership_notify(membership))
    return membership


@transaction.atomic
def membership_request(*, user: Any, company: Company, message: str = "") -> Membership:
    """Ask to represent ``company``; approved at once when the verified email domain matches its website."""
    membership = Membership.objects.select_for_update().filter(user=user, company=company).first()
    if membership is not None and membership.status != Membership.Status.REJECTED:
        return membership  # already requested or approved: asking twice changes nothing
    if membership is None:
        membership = Membership(user=user, company=company)
    # A declined request may be asked again (e.g. after verifying the email); history keeps the old decision.
    membership.status = Membership.Status.REQUESTED
    membership.message = message.strip()
    membership.decided_by = None
    membership.decided_at = None
    membership.decision_reason = ""
    membership._history_user = user  # type: ignore[attr-defined]
    membership.full_clean(validate_unique=False)
    membership.save()
    audit_record(action="membership.request", actor=user, obj=membership, summary=f"{user} asks for {company}")
    if membership_can_auto_approve(user=user, company=company):
        _membership_decision_save(
            membership, status=Membership.Status.APPROVED, decided_by=None, reason=AUTO_APPROVAL_REASON
        )
    return membership


@transaction.atomic
def membership_decide(*, membership: Membership, decided_by: Any, approve: bool, reason: str = "") -> Membership:
    if not user_is_reviewer(decided_by):
        raise PermissionDenied(_("Only reviewers decide membership requests."))
    membership = Membership.objects.select_for_update().select_related("user", "company").get(pk=membership.pk)
    if membership.status != Membership.Status.REQUESTED:
        raise ValidationError(_("This request has already been decided."), code="decided")
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Say why the request is declined; the user will see it.")})
    status = Membership.Status.APPROVED if approve else Membership.Status.REJECTED
    return _membership_decision_save(membership, status=status, decided_by=decided_by, reason=reason)


def membership_auto_approve_pending(*, user: Any) -> list[Membership]:
    """After an email is verified: approve the user's open requests whose company domain matches."""
    approved = []
    pending = Membership.objects.filter(user=user, status=Membership.Status.REQUESTED).select_related("company")
    for membership in pending:
        if membership_can_auto_approve(user=user, company=membership.company):
            approved.append(
                _membership_decision_save(
                    membership, status=Membership.Status.APPROVED, decided_by=None, reason=AUTO_APPROVAL_REASON
                )
            )
    return approved


# --- the company profile ------------------------------------------------------------------------------------


def company_require_representative(*, user: Any, company: Company) -> None:
    if not user_can_act_for_company(user, company.pk):
        raise PermissionDenied(_("Only the company's representatives may do this."))


def _clean_aliases(aliases: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for alias in aliases:
        text = " ".join(str(alias).split())[:255]
        if text and text.casefold() not in {existing.casefold() for existing in cleaned}:
            cleaned.append(text)
    return cleaned


@transaction.atomic
def company_profile_update(
    *,
    company: Company,
    user: Any,
    website: str | None = None,
    disclosure_url: str | None = None,
    aliases: Iterable[str] | None = None,
) -> Company:
    """Change the fields given (None = leave as is); records who changed what in history and the audit log."""
    company_require_representative(user=user, company=company)
    wanted = {
        "website": website.strip() if website is not None else None,
        "disclosure_url": disclosure_url.strip() if disclosure_url is not None else None,
        "aliases": _clean_aliases(aliases) if aliases is not None else None,
    }
    changes = {
        field: [getattr(company, field), value]
        for field, value in wanted.items()
        if value is not None and value != getattr(company, field)
    }
    if not changes:
        return company
    for field, (_old, new) in changes.items():
        setattr(company, field, new)
    company._history_user = user  # type: ignore[attr-defined]
    company.full_clean()
    company.save(update_fields=[*changes, "updated_at"])
    if {"name", "aliases"} & set(changes):
        search_index_bump()  # company names and aliases are searchable too
    audit_record(
        action="company.profile_update",
        actor=user,
        obj=company,
        summary=f"{company} profile: {', '.join(changes)}",
        data={"changes": changes},
    )
    return company


def _brand_snapshot(brand: Brand) -> dict[str, Any]:
    return {"name": brand.name, "aliases": sorted(brand.aliases.values_list("alias", flat=True))}


@transaction.atomic
def company_brand_add(*, company: Company, user: Any, name: str, aliases: Iterable[str] = ()) -> Brand:
    company_require_representative(user=user, company=company)
    if not " ".join(name.split()):
        raise ValidationError({"name": _("Give the brand a name.")})
    brand = brand_create(company=company, name=name, aliases=list(aliases))
    audit_record(
        action="brand.create", actor=user, obj=brand, summary=f"{company}: added {brand}", data=_brand_snapshot(brand)
    )
    return brand


@transaction.atomic
def company_brand_update(*, brand: Brand, user: Any, name: str, aliases: Iterable[str]) -> Brand:
    company_require_representative(user=user, company=brand.company)
    if not " ".join(name.split()):
        raise ValidationError({"name": _("Give the brand a name.")})
    before = _brand_snapshot(brand)
    brand._history_user = user  # type: ignore[attr-defined]
    brand = brand_update(brand=brand, name=name, aliases=list(aliases))
    after = _brand_snapshot(brand)
    if after != before:
        audit_record(
            action="brand.update",
            actor=user,
            obj=brand,
            summary=f"{brand.company}: changed {brand}",
            data={"before": before, "after": after},
        )
    return brand


@transaction.atomic
def company_brand_remove(*, brand: Brand, user: Any) -> None:
    company_require_representative(user=user, company=brand.company)
    snapshot = _brand_snapshot(brand)
    audit_record(
        action="brand.delete", actor=user, obj=brand, summary=f"{brand.company}: removed {brand}", data=snapshot
    )
    brand._history_user = user  # type: ignore[attr-defined]
    brand_delete(brand=brand)
