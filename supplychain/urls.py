"""URL wiring: the site, the API under /api/v1/, the admin and the language switcher."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("disclosures.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("disclosures.urls")),
]
