"""Site URLs, one namespace per area; each area's views module declares its own ``urlpatterns``."""

from django.urls import include, path

from disclosures.views import accounts, companies, data, filings, pages, portal, registry, review, search

urlpatterns = [
    path("", include((pages.urlpatterns, "pages"))),
    path("", include((search.urlpatterns, "search"))),
    path("", include((companies.urlpatterns, "companies"))),
    path("", include((filings.urlpatterns, "filings"))),
    path("registry/", include((registry.urlpatterns, "registry"))),
    path("portal/", include((portal.urlpatterns, "portal"))),
    path("review/", include((review.urlpatterns, "review"))),
    path("accounts/", include(accounts.urlpatterns)),
    path("", include((data.urlpatterns, "data"))),
]
