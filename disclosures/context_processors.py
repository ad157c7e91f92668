"""Values every page needs: hotline numbers and the signed-in user's roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from disclosures.selectors.roles import user_roles

NATIONAL_HOTLINE = "1-888-373-7888"


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"national_hotline": NATIONAL_HOTLINE, "roles": user_roles(user) if user is not None else frozenset()}
