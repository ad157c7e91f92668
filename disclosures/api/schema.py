"""drf-spectacular extensions that document the API as a whole (part of the API documentation work).

Imported by ``disclosures.api.data`` so they are registered whenever the API URLs are loaded.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """``Authorization: Bearer <token>``: tokens are created in the portal and shown once."""

    target_class = "disclosures.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token from the portal, sent as `Authorization: Bearer <token>`. Reading public "
            "data needs no token; a token raises the rate limit and is required for writes.",
        }
