"""Watchlists and the daily beat jobs: real schedule entries, run eagerly at the dates that matter."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied

from disclosures.models import Certification, Notification, WatchlistEntry
from disclosures.services import registry as services
from disclosures.services.watchlists import watchlist_follow, watchlist_notify, watchlist_unfollow
from supplychain.celery import app
from tests.integration.registry_support import make_certification, make_contract

pytestmark = pytest.mark.django_db

PACIFIC = ZoneInfo("America/Los_Angeles")
EXPIRE_TASK = "disclosures.tasks.certification_expire_due_task"
NOTIFY_TASK = "disclosures.tasks.watchlist_notify_task"


def run_beat_day(day: date) -> None:
    """Run every registry entry of the real beat schedule, in schedule order, as if it were ``day`` in California."""
    entries = sorted(
        (entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] in {EXPIRE_TASK, NOTIFY_TASK}),
        key=lambda entry: (entry["schedule"].hour, entry["schedule"].minute),
    )
    assert [entry["task"] for entry in entries] == [EXPIRE_TASK, NOTIFY_TASK]
    for entry in entries:
        moment = datetime.combine(day, time(min(entry["schedule"].hour), min(entry["schedule"].minute)), PACIFIC)
        with time_machine.travel(moment, tick=False):
            app.tasks[entry["task"]].apply().get()


@pytest.fixture(autouse=True)
def _worker_startup() -> None:
    """What a worker or beat does at start-up: import the autodiscovered task modules, so names resolve."""
    app.loader.import_default_modules()


@pytest.fixture
def followed(officer: Any, contractor: Any, registry_staff: Any) -> Certification:
    """An officer follows a contractor whose active certification ends on 2026-12-31."""
    certification = make_certification(make_contract(contractor), staff=registry_staff)
    watchlist_follow(user=officer, contractor=contractor)
    return certification


def kinds(user: Any) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("kind", flat=True))


def test_the_beat_schedule_names_registered_registry_tasks() -> None:
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {EXPIRE_TASK, NOTIFY_TASK} <= names
    assert EXPIRE_TASK in app.tasks
    assert NOTIFY_TASK in app.tasks


def test_nothing_is_sent_while_expiry_is_more_than_30_days_away(followed: Certification, officer: Any) -> None:
    run_beat_day(date(2026, 11, 30))
    assert kinds(officer) == []
    assert mail.outbox == []


def test_watchers_hear_30_days_before_expiry_once(followed: Certification, officer: Any) -> None:
    run_beat_day(date(2026, 12, 1))
    run_beat_day(date(2026, 12, 2))
    assert kinds(officer) == ["cert_expiring"]
    assert len(mail.outbox) == 1
    assert followed.number in mail.outbox[0].body
    assert mail.outbox[0].to == [officer.email]


def test_the_day_after_the_contract_ends_it_expires_and_watchers_hear(followed: Certification, officer: Any) -> None:
    run_beat_day(date(2027, 1, 1))
    followed.refresh_from_db()
    assert followed.status == "expired"
    assert kinds(officer) == ["cert_expired"]
    run_beat_day(date(2027, 1, 2))
    assert kinds(officer) == ["cert_expired"]


def test_a_suspension_is_notified_at_once_and_not_again_by_the_daily_job(
    followed: Certification, officer: Any, registry_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=PACIFIC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.certification_suspend(certification=followed, reason="Investigation opened.", actor=registry_staff)
    assert kinds(officer) == ["cert_suspended"]
    run_beat_day(date(2026, 3, 3))
    assert kinds(officer) == ["cert_suspended"]
    assert len(mail.outbox) == 1


def test_a_second_suspension_after_reinstatement_is_notified_again(
    followed: Certification, officer: Any, registry_staff: Any
) -> None:
    services.certification_suspend(certification=followed, reason="One.", actor=registry_staff)
    run_beat_day(date(2026, 3, 3))
    services.certification_reinstate(
        certification=followed, reason="Cleared.", actor=registry_staff, today=date(2026, 3, 4)
    )
    services.certification_suspend(certification=followed, reason="Two.", actor=registry_staff)
    run_beat_day(date(2026, 3, 5))
    assert kinds(officer) == ["cert_suspended", "cert_suspended"]


def test_a_revocation_is_notified(followed: Certification, officer: Any, registry_staff: Any) -> None:
    services.certification_revoke(certification=followed, reason="False statement.", actor=registry_staff)
    run_beat_day(date(2026, 3, 3))
    assert kinds(officer) == ["cert_revoked"]


def test_a_sanction_is_notified(followed: Certification, officer: Any, contractor: Any) -> None:
    services.sanction_record(
        contractor=contractor,
        fields=services.SanctionFields(kind="other", start_date=date(2026, 3, 1), authority="DIR"),
        created_by=None,
    )
    run_beat_day(date(2026, 3, 3))
    assert kinds(officer) == ["sanction"]
    assert "DIR" in Notification.objects.get(user=officer).message


def test_contractor_staff_get_a_renewal_reminder(followed: Certification, contractor_staff: Any) -> None:
    run_beat_day(date(2026, 12, 15))
    assert kinds(contractor_staff) == ["renewal_reminder"]
    assert any(contractor_staff.email in message.to for message in mail.outbox)


def test_no_renewal_reminder_once_a_renewal_is_submitted(
    followed: Certification, contractor_staff: Any, contractor: Any
) -> None:
    make_certification(followed.contract, "submitted")
    run_beat_day(date(2026, 12, 15))
    assert kinds(contractor_staff) == []


def test_unfollowed_contractors_are_quiet(followed: Certification, officer: Any, contractor: Any) -> None:
    watchlist_unfollow(user=officer, contractor=contractor)
    run_beat_day(date(2026, 12, 15))
    assert kinds(officer) == []


def test_only_officers_keep_a_watchlist(shopper: Any, contractor: Any) -> None:
    with pytest.raises(PermissionDenied):
        watchlist_follow(user=shopper, contractor=contractor)
    assert not WatchlistEntry.objects.exists()


def test_the_notify_service_reports_what_it_did(followed: Certification) -> None:
    assert watchlist_notify(today=date(2026, 12, 20)) == {"contractors": 1, "notifications": 1}
    assert watchlist_notify(today=date(2026, 12, 20)) == {"contractors": 1, "notifications": 0}


def test_notifications_show_on_the_watchlist_page(followed: Certification, officer: Any, client: Any) -> None:
    run_beat_day(date(2026, 12, 20))
    client.force_login(officer)
    body = client.get("/registry/watchlist/").content.decode()
    assert f"certification {followed.number} expires on 2026-12-31" in body
