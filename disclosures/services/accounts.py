"""Accounts: sign-up, email verification and login throttling.

Sign-up never tells a stranger whether an address is registered: a new address gets a verification link, a
known one gets a "you already have an account" email, and both see the same page.

A verified email is recorded as an ``account.email_verify`` audit event naming the exact address. The proof
*is* the event, so changing the address un-verifies the account with no flag to reset, and the record of who
proved what, when, is append-only. Only a verified address can approve a membership automatically by domain
(services.companies).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosures.models import Notification
from disclosures.selectors.portal import EMAIL_VERIFIED_ACTION, email_normalize, user_email_is_verified
from disclosures.services.audit import audit_record

# Login throttling (DESIGN.md §7), from env-driven settings.
LOGIN_MAX_FAILURES: int = settings.LOGIN_MAX_FAILURES  # per IP address and username
LOGIN_MAX_FAILURES_PER_IP: int = settings.LOGIN_MAX_FAILURES_PER_IP  # across usernames: slows password spraying
LOGIN_FAILURE_WINDOW_SECONDS: int = settings.LOGIN_FAILURE_WINDOW_SECONDS

PASSWORD_RESET_MAX_EMAILS = 3  # per address per window: a stranger cannot flood someone's inbox
PASSWORD_RESET_WINDOW_SECONDS = 60 * 60

EMAIL_VERIFY_SALT = "disclosures.accounts.email-verify"
EMAIL_VERIFY_MAX_AGE_SECONDS = 3 * 24 * 60 * 60


# --- sign-up and verification --------------------------------------------------------------------------------


def _email_send(*, to: str, template: str, context: dict[str, Any], subject: str) -> None:
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[to])


def email_verification_token(*, user: Any) -> str:
    """A signed, expiring token naming the user and the address; it stops working if the address changes."""
    return signing.dumps({"user": user.pk, "email": email_normalize(user.email)}, salt=EMAIL_VERIFY_SALT)


def email_verification_send(*, user: Any) -> None:
    link = settings.SITE_URL + reverse("verify_email", kwargs={"token": email_verification_token(user=user)})
    _email_send(
        to=user.email,
        template="accounts/email_verify.txt",
        context={"user": user, "link": link, "days": EMAIL_VERIFY_MAX_AGE_SECONDS // 86400},
        subject=_("Confirm your email address"),
    )


def user_sign_up(*, email: str, password: str) -> Any | None:
    """Create an account whose username is its email; returns None (and emails the owner) if it exists."""
    email = email_normalize(email)
    user_model = get_user_model()
    existing = user_model.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()
    if existing is not None:
        _email_send(
            to=email,
            template="accounts/email_account_exists.txt",
            context={"user": existing, "reset_link": settings.SITE_URL + reverse("password_reset")},
            subject=_("You already have an account"),
        )
        return None
    user = user_model(username=email, email=email)
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from None
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(action="account.sign_up", actor=user, obj=user, summary=f"Signed up as {email}")
    transaction.on_commit(lambda: email_verification_send(user=user))
    return user


@transaction.atomic
def email_verification_confirm(*, token: str) -> Any:
    """Mark the address in ``token`` verified, then approve pending memberships whose domain matches."""
    try:
        payload = signing.loads(token, salt=EMAIL_VERIFY_SALT, max_age=EMAIL_VERIFY_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise ValidationError(_("This link has expired. Sign in and ask for a new one."), code="expired") from None
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid. Check that you copied all of it."), code="invalid") from None
    user = get_user_model().objects.filter(pk=payload.get("user"), is_active=True).first()
    if user is None or email_normalize(user.email) != payload.get("email"):
        raise ValidationError(_("This link is for an address that is no longer on the account."), code="stale")
    if not user_email_is_verified(user=user):
        audit_record(
            action=EMAIL_VERIFIED_ACTION,
            actor=user,
            obj=user,
            summary=f"Verified {user.email}",
            data={"email": email_normalize(user.email)},
        )
    from disclosures.services.companies import membership_auto_approve_pending

    membership_auto_approve_pending(user=user)
    return user


# --- login throttling ----------------------------------------------------------------------------------------


def _throttle_keys(*, ip: str, username: str) -> tuple[str, str]:
    # Hashed so arbitrary usernames cannot build invalid or oversized cache keys.
    pair = hashlib.sha256(f"{ip}\n{username.strip().casefold()}".encode()).hexdigest()
    only_ip = hashlib.sha256(ip.encode()).hexdigest()
    return f"login-fail:pair:{pair}", f"login-fail:ip:{only_ip}"


def login_is_throttled(*, ip: str, username: str) -> bool:
    pair_key, ip_key = _throttle_keys(ip=ip, username=username)
    return cache.get(pair_key, 0) >= LOGIN_MAX_FAILURES or cache.get(ip_key, 0) >= LOGIN_MAX_FAILURES_PER_IP


def _count(key: str) -> int:
    # add() starts the window only on the first failure, so the window is fixed, not sliding.
    if cache.add(key, 1, timeout=LOGIN_FAILURE_WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=LOGIN_FAILURE_WINDOW_SECONDS)
        return 1


def login_failure_record(*, ip: str, username: str) -> int:
    """Count one failed sign-in; returns the failures so far for this address and username."""
    pair_key, ip_key = _throttle_keys(ip=ip, username=username)
    _count(ip_key)
    return _count(pair_key)


def password_reset_email_allowed(*, email: str) -> bool:
    """Count one reset email to ``email``; False once the hourly allowance is spent (the page looks the same)."""
    key = "password-reset:" + hashlib.sha256(email_normalize(email).encode()).hexdigest()
    if cache.add(key, 1, timeout=PASSWORD_RESET_WINDOW_SECONDS):
        return True
    try:
        return cache.incr(key) <= PASSWORD_RESET_MAX_EMAILS
    except ValueError:  # expired in between
        return cache.add(key, 1, timeout=PASSWORD_RESET_WINDOW_SECONDS)


def login_failures_reset(*, ip: str, username: str) -> None:
    """A successful sign-in clears its own counter (not the per-address one, which spraying would reset)."""
    pair_key, _ip_key = _throttle_keys(ip=ip, username=username)
    cache.delete(pair_key)


EMAIL_VERIFY_RESEND_SECONDS = 60


def email_verification_resend(*, user: Any) -> bool:
    """Send the link again, at most once a minute; False when already verified or asked too recently."""
    if user_email_is_verified(user=user):
        return False
    if not cache.add(f"verify-resend:{user.pk}", 1, timeout=EMAIL_VERIFY_RESEND_SECONDS):
        return False
    email_verification_send(user=user)
    return True


def notifications_mark_read(*, user: Any) -> int:
    """Mark all of the user's notifications read; returns how many were unread."""
    return Notification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())
