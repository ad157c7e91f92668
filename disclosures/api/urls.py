"""API v1 URLs; each area's API module declares its own ``urlpatterns``."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from disclosures.api import companies, data, filings, portal, registry, search

urlpatterns = [
    *search.urlpatterns,
    *companies.urlpatterns,
    *filings.urlpatterns,
    *registry.urlpatterns,
    *portal.urlpatterns,
    *data.urlpatterns,
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up code as a script file (?script): the CSP forbids inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
