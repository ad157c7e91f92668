"""Watchlists: officers follow contractors and hear when something changes; contractor staff get renewal reminders.

``watchlist_notify`` runs daily (Celery beat) and right after a suspension, revocation or sanction. It is
idempotent: each event has a stable key (certification number plus the date or audit event it is about) and
``notification_send`` creates at most one notification, and sends at most one email, per key and user.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from disclosures.core import certification_rules as rules
from disclosures.models import AuditEvent, Certification, Contractor, ContractorMembership, Notification, WatchlistEntry
from disclosures.models.registry import CertificationStatus
from disclosures.selectors.registry import certification_facts, contract_facts
from disclosures.selectors.roles import user_is_officer
from disclosures.services.audit import audit_record
from disclosures.services.notifications import notification_send

EXPIRY_WARNING_DAYS = 30
Status = CertificationStatus
Kind = Notification.Kind
_WATCHED_STATUSES = (Status.VERIFIED, Status.ACTIVE, Status.EXPIRED, Status.SUSPENDED, Status.REVOKED)
_RENEWAL_STATUSES = (Status.SUBMITTED, Status.VERIFIED, Status.ACTIVE)


@dataclass(frozen=True, slots=True)
class Event:
    kind: str
    key: str
    message: str
    link: str


def watchlist_follow(*, user: Any, contractor: Contractor) -> WatchlistEntry:
    if not user_is_officer(user):
        raise PermissionDenied(_("Only procurement officers and registry staff keep a watchlist."))
    entry, created = WatchlistEntry.objects.get_or_create(user=user, contractor=contractor)
    if created:
        audit_record(action="watchlist.follow", actor=user, obj=contractor, summary=f"{user} follows {contractor}")
    return entry


def watchlist_unfollow(*, user: Any, contractor: Contractor) -> bool:
    deleted, _detail = WatchlistEntry.objects.filter(user=user, contractor=contractor).delete()
    if deleted:
        audit_record(action="watchlist.unfollow", actor=user, obj=contractor, summary=f"{user} unfollows {contractor}")
    return bool(deleted)


def _last_suspension_id(certification: Certification) -> int:
    event_id = (
        AuditEvent.objects.filter(
            action="certification.suspended",
            object_type=Certification._meta.label_lower,
            object_id=str(certification.pk),
        )
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return event_id or 0


def _window_end(certification: Certification) -> date | None:
    return rules.effective_window(certification_facts(certification), contract_facts(certification.contract))[1]


def _certification_events(certification: Certification, today: date) -> list[Event]:
    status = rules.status_as_of(certification_facts(certification), contract_facts(certification.contract), today)
    end = _window_end(certification)
    number = certification.number
    name = certification.contractor.legal_name
    link = reverse("registry:proof", kwargs={"number": number})
    values = {"number": number, "name": name, "end": end.isoformat() if end else ""}
    if status == Status.ACTIVE and end is not None and 0 <= (end - today).days <= EXPIRY_WARNING_DAYS:
        message = _("%(name)s: certification %(number)s expires on %(end)s.") % values
        return [Event(Kind.CERT_EXPIRING, f"registry:expiring:{number}:{end}", message, link)]
    if status == Status.EXPIRED:
        message = _("%(name)s: certification %(number)s expired on %(end)s.") % values
        return [Event(Kind.CERT_EXPIRED, f"registry:expired:{number}:{end}", message, link)]
    if status == Status.SUSPENDED:
        message = _("%(name)s: certification %(number)s is suspended.") % values
        key = f"registry:suspended:{number}:{_last_suspension_id(certification)}"
        return [Event(Kind.CERT_SUSPENDED, key, message, link)]
    if status == Status.REVOKED:
        message = _("%(name)s: certification %(number)s was revoked.") % values
        return [Event(Kind.CERT_REVOKED, f"registry:revoked:{number}", message, link)]
    return []


def _sanction_events(contractor: Contractor, today: date) -> list[Event]:
    events = []
    for sanction in contractor.sanctions.all():
        if sanction.end_date is not None and sanction.end_date < today:
            continue
        message = _("%(name)s: %(kind)s recorded by %(authority)s, from %(start)s.") % {
            "name": contractor.legal_name,
            "kind": sanction.get_kind_display(),
            "authority": sanction.authority,
            "start": sanction.start_date.isoformat(),
        }
        link = reverse("registry:lookup") + "?" + urlencode({"q": contractor.legal_name})
        events.append(Event(Kind.SANCTION, f"registry:sanction:{sanction.pk}", message, link))
    return events


def _is_renewed(certification: Certification, rows: Iterable[Certification]) -> bool:
    return any(
        other.pk != certification.pk
        and other.cert_type == certification.cert_type
        and other.contract_id == certification.contract_id
        and other.status in _RENEWAL_STATUSES
        and other.pk > certification.pk
        for other in rows
    )


def _renewal_events(rows: list[Certification], today: date) -> list[Event]:
    events = []
    for certification in rows:
        status = rules.status_as_of(certification_facts(certification), contract_facts(certification.contract), today)
        end = _window_end(certification)
        if status != Status.ACTIVE or end is None or not 0 <= (end - today).days <= EXPIRY_WARNING_DAYS:
            continue
        if _is_renewed(certification, rows):
            continue
        message = _("Renewal reminder: certification %(number)s expires on %(end)s. Submit a new one in time.") % {
            "number": certification.number,
            "end": end.isoformat(),
        }
        key = f"registry:renewal:{certification.number}:{end}"
        events.append(Event(Kind.RENEWAL_REMINDER, key, message, reverse("registry:contractor_home")))
    return events


def _send(users: Iterable[Any], events: list[Event]) -> int:
    sent = 0
    for user in users:
        for event in events:
            if notification_send(user=user, kind=event.kind, key=event.key, message=event.message, link=event.link):
                sent += 1
    return sent


def watchlist_notify_contractor(*, contractor_id: int, today: date) -> int:
    """Notify this contractor's watchers and staff of everything due today; returns how many were new."""
    contractor = Contractor.objects.prefetch_related("sanctions").filter(pk=contractor_id).first()
    if contractor is None:
        return 0
    rows = list(contractor.certifications.select_related("contract", "contractor").order_by("pk"))
    watched = [row for row in rows if row.status in _WATCHED_STATUSES]
    watcher_events = [event for row in watched for event in _certification_events(row, today)]
    watcher_events += _sanction_events(contractor, today)
    watchers = [entry.user for entry in WatchlistEntry.objects.select_related("user").filter(contractor=contractor)]
    staff = [item.user for item in ContractorMembership.objects.select_related("user").filter(contractor=contractor)]
    return _send(watchers, watcher_events) + _send(staff, _renewal_events(rows, today))


def watchlist_notify(*, today: date) -> dict[str, int]:
    """The daily job: every followed contractor and every contractor with staff accounts."""
    followed = set(WatchlistEntry.objects.values_list("contractor_id", flat=True))
    staffed = set(ContractorMembership.objects.values_list("contractor_id", flat=True))
    sent = 0
    for contractor_id in sorted(followed | staffed):
        sent += watchlist_notify_contractor(contractor_id=contractor_id, today=today)
    return {"contractors": len(followed | staffed), "notifications": sent}
