"""In-app notifications, mailed through Django's email backend; one per event per user (idempotent)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from disclosures.models import Notification


def notification_send(
    *, user: Any, kind: str, key: str, message: str, link: str = "", email: bool = True
) -> Notification | None:
    """Create the notification unless this user already has one with ``key``; returns None for a repeat."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=kind, key=key[:200], message=message[:500], link=link[:300]
            )
    except IntegrityError:
        return None
    if email and user.email:
        body = message if not link else f"{message}\n\n{settings.SITE_URL}{link}"
        send_mail(subject=message[:120], message=body, from_email=None, recipient_list=[user.email])
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return notification
