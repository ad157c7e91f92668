"""API tokens: named keys for a user's own systems (submit disclosures, verify contractors).

Only the sha256 of a key is stored (``disclosures.api.authentication.token_hash``); the raw key is returned
once, by ``api_token_create``, and never again. A token *acts as its user*: every API view checks the user's
roles and memberships exactly as for a signed-in person, so a representative's token can submit for that
representative's companies only, an officer's token can use the officer's registry views, and losing a role
or a membership takes the power away from the user's tokens at the same moment. Revoking is immediate: the
authentication class only accepts tokens whose ``revoked_at`` is empty, so a revoked token gets 401.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosures.api.authentication import token_hash
from disclosures.models import ApiToken
from disclosures.selectors.portal import user_may_hold_tokens
from disclosures.services.audit import audit_record

TOKEN_PREFIX = "sct_"  # noqa: S105 - not a secret: recognisable prefix for logs and secret scanners
MAX_ACTIVE_TOKENS = 20


def api_token_create(*, user: Any, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns it with the raw key, which is shown to the user once and not stored."""
    if not user_may_hold_tokens(user=user):
        raise PermissionDenied(_("API tokens are for company representatives, procurement officers and staff."))
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Name the token after the system that will use it.")}, code="required")
    if ApiToken.objects.filter(user=user, revoked_at=None).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You have %(count)d active tokens. Revoke one you no longer use first.") % {"count": MAX_ACTIVE_TOKENS},
            code="too_many",
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=raw[:12], key_hash=token_hash(raw))
    token.full_clean()
    token.save()
    audit_record(action="api_token.create", actor=user, obj=token, summary=f"Token {token}")
    return token, raw


def api_token_revoke(*, token: ApiToken, user: Any) -> ApiToken:
    """Revoke one of the user's own tokens; revoking twice is harmless."""
    if token.user_id != user.pk:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(action="api_token.revoke", actor=user, obj=token, summary=f"Token {token}")
    return token
