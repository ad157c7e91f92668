"""URL wiring: the site, the API under /api/v1/, the admin and the language switcher."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("disclosures.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("disclosures.urls")),
]

handler400 = "disclosures.views.errors.bad_request"
handler403 = "disclosures.views.errors.permission_denied"
handler404 = "disclosures.views.errors.page_not_found"
handler500 = "disclosures.views.errors.server_error"
