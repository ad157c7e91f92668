"""The authorization matrix: every URL pattern, every role, every method it accepts: the exact status.

The patterns come from the URL resolver itself, so a new endpoint without a row here fails
``test_every_url_pattern_has_a_row`` with its name. Each (pattern, role, method) is its own test id:
``test_the_matrix[filings:original-other_representative-GET]``. Statuses are the rules of DESIGN.md §7 and
issues 3, 5, 6, 7 and 8 — public reads for everyone (anonymous API throttled), representatives write only for their
own company, officers see registry detail, contractor staff work only on their own contractor, registry staff
verify and sanction, reviewers decide, Django staff (registry staff and reviewers) may also submit for and see the
unpublished disclosures of any company (issue 3's choice), and the superuser passes every role check but is no
company's representative and no contractor's staff.

``"login"`` means a 302 to the sign-in page with ``?next=``; everything else is the exact status code. POST bodies
are minimal: valid where the interesting answer is the allowed one, empty where a refusal comes first. The
world is built once (``security_world``) and every cell runs in a rolled-back savepoint: about 2,000 cells in
about 30 s.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.integration.security_world import ROLES, World, world_fixture

LOGIN = "login"
ANON = "anonymous"
SIGNED_IN = tuple(role for role in ROLES if role != ANON)
STAFF = ("registry_staff", "reviewer", "superuser")  # Django is_staff
REGISTRY_STAFF = ("registry_staff", "superuser")
OFFICERS = ("officer", "registry_staff", "superuser")
REVIEWERS = ("reviewer", "superuser")
QUEUE = ("reviewer", "registry_staff", "superuser")
Expect = dict[str, int | str]


def every(status: int | str) -> Expect:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int | str, *, anonymous: int | str = LOGIN) -> Expect:
    return {**dict.fromkeys(SIGNED_IN, status), ANON: anonymous}


def only(
    allowed: tuple[str, ...] | dict[str, int | str],
    *,
    yes: int | str = 200,
    no: int | str = 403,
    anonymous: int | str = LOGIN,
) -> Expect:
    """``allowed`` roles get ``yes`` (or their own status from a dict), other signed-in roles ``no``."""
    statuses = allowed if isinstance(allowed, dict) else dict.fromkeys(allowed, yes)
    return {**dict.fromkeys(SIGNED_IN, no), **statuses, ANON: anonymous}


@dataclass(frozen=True)
class Case:
    """One pattern with sample kwargs; ``methods`` maps each method to (body, expected status per role)."""

    name: str
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    methods: dict[str, tuple[Any, Expect]] = field(default_factory=dict)
    query: Callable[[World], str] = lambda world: ""
    variant: str = ""
    json_body: bool = False

    @property
    def label(self) -> str:
        return f"{self.name}{'~' + self.variant if self.variant else ''}"


def page(name: str, **kwargs: Any) -> Case:
    """A public GET page or file that refuses POST."""
    return Case(name, methods={"GET": (None, every(200)), "POST": ({}, every(405))}, **kwargs)


def api_read(name: str, **kwargs: Any) -> Case:
    return Case(name, methods={"GET": (None, every(200)), "POST": ({}, every(405))}, json_body=True, **kwargs)


def ids(*keys: str) -> Callable[[World], dict[str, Any]]:
    """kwargs from the world's ids: ``ids("slug=company", "pk=disclosure")``."""

    def build(world: World) -> dict[str, Any]:
        pairs = (key.split("=") for key in keys)
        return {name: world.ids.get(source, source) for name, source in pairs}

    return build


# --- the table ------------------------------------------------------------------------------------------------------

REP_ONLY = only(("representative",))
TOKEN_HOLDERS = ("representative", "other_representative", "officer", "contractor_staff", *STAFF)  # not shoppers
INVALID = {"submit": "1"}  # a bound form with nothing valid in it (an empty POST would count as unbound)
PROFILE = {"website": "https://northwind-apparel.example", "disclosure_url": "", "aliases": "Northwind"}
MANAGERS = ("representative", *STAFF)  # may submit, see unfinished work and download originals (issue 3)
UNPUBLISHED = only(MANAGERS, no=404, anonymous=404)

PAGES: list[Case] = [
    page("pages:about"),
    page("pages:help"),
    page("pages:healthz"),
    page("pages:ping"),
    page("search:home"),
    page("search:home", query=lambda w: "q=northwnd", variant="query"),
    page("companies:brand", kwargs=ids("slug=brand")),
    page("companies:detail", kwargs=ids("slug=company")),
    page("data:statistics"),
    page("data:open_data"),
    page("data:companies_csv"),
    page("data:companies_json"),
    page("data:registry_csv"),
    page("data:registry_json"),
    Case(
        "data:snapshot_file",
        kwargs=ids("day=2026-01-01", "name=companies.csv"),
        methods={"GET": (None, every(404)), "POST": ({}, every(405))},
    ),
    page("data:badge", kwargs=ids("slug=company")),
]

FILINGS: list[Case] = [
    Case(
        "filings:submit",
        kwargs=ids("slug=company"),
        methods={"GET": (None, only(MANAGERS)), "POST": ({"text": "We audit suppliers."}, only(MANAGERS, yes=302))},
    ),
    Case(
        "filings:submit",
        kwargs=ids("slug=other_company"),
        variant="other-company",
        methods={"GET": (None, only((*STAFF, "other_representative")))},
    ),
    page("filings:detail", kwargs=ids("pk=disclosure")),
    Case(
        "filings:detail",
        kwargs=ids("pk=unpublished"),
        variant="unpublished",
        methods={"GET": (None, UNPUBLISHED), "POST": ({}, every(405))},
    ),
    page("filings:status_json", kwargs=ids("pk=disclosure")),
    Case(
        "filings:status_json",
        kwargs=ids("pk=unpublished"),
        variant="unpublished",
        methods={"GET": (None, UNPUBLISHED)},
    ),
    Case(
        "filings:original",
        kwargs=ids("pk=disclosure"),
        methods={"GET": (None, UNPUBLISHED), "POST": ({}, every(405))},
    ),
    Case(
        "filings:original",
        kwargs=ids("pk=other_disclosure"),
        variant="other-company",
        methods={"GET": (None, only((*STAFF, "other_representative"), no=404, anonymous=404))},
    ),
]

REGISTRY: list[Case] = [
    page("registry:lookup"),
    page("registry:lookup", query=lambda w: f"by=number&q={w.ids['active']}", variant="by-number"),
    page("registry:public_key"),
    Case("registry:verify_proof", methods={"GET": (None, every(200)), "POST": ({"proof": "garbage"}, every(200))}),
    page("registry:proof", kwargs=ids("number=active")),
    Case(
        "registry:contractor_home",
        methods={"GET": (None, only(("contractor_staff",))), "POST": ({}, every(405))},
    ),
    Case(
        "registry:certification_new",
        kwargs=ids("slug=contractor"),
        methods={"GET": (None, only(("contractor_staff",))), "POST": (INVALID, only(("contractor_staff",), yes=400))},
    ),
    Case(
        "registry:certification_new",
        kwargs=ids("slug=other_contractor"),
        variant="other-contractor",
        methods={"GET": (None, only(()))},
    ),
    Case(
        "registry:certification_edit",
        kwargs=ids("number=draft"),
        methods={"GET": (None, only(("contractor_staff",))), "POST": (INVALID, only(("contractor_staff",), yes=400))},
    ),
    Case(
        "registry:certification_edit",
        kwargs=ids("number=other_draft"),
        variant="other-contractor",
        methods={"GET": (None, only(())), "POST": ({}, only(()))},
    ),
    Case(
        "registry:certification_submit",
        kwargs=ids("number=draft"),
        methods={"GET": (None, every(405)), "POST": ({}, only(("contractor_staff",), yes=302))},
    ),
    Case(
        "registry:certification_submit",
        kwargs=ids("number=other_draft"),
        variant="other-contractor",
        methods={"POST": ({}, only(()))},
    ),
    Case(
        "registry:certification_reopen",
        kwargs=ids("number=draft"),
        methods={"GET": (None, every(405)), "POST": ({}, only(("contractor_staff",), yes=302))},
    ),
    Case(
        "registry:staff_queue",
        methods={"GET": (None, only(REGISTRY_STAFF)), "POST": ({}, every(405))},
    ),
    Case(
        "registry:staff_certification",
        kwargs=ids("number=submitted"),
        methods={"GET": (None, only(REGISTRY_STAFF)), "POST": ({}, every(405))},
    ),
    Case(
        "registry:staff_action",
        kwargs=ids("number=submitted", "action=reject"),
        methods={"GET": (None, every(405)), "POST": ({"reason": "Unsigned."}, only(REGISTRY_STAFF, yes=302))},
    ),
    Case(
        "registry:staff_sanction",
        kwargs=ids("slug=contractor"),
        methods={"GET": (None, only(REGISTRY_STAFF)), "POST": (INVALID, only(REGISTRY_STAFF, yes=400))},
    ),
    Case(
        "registry:staff_amend",
        kwargs=ids("pk=contract"),
        methods={"GET": (None, only(REGISTRY_STAFF)), "POST": (INVALID, only(REGISTRY_STAFF, yes=400))},
    ),
    Case("registry:watchlist", methods={"GET": (None, only(OFFICERS)), "POST": ({}, every(405))}),
    Case(
        "registry:follow",
        kwargs=ids("slug=contractor"),
        methods={"GET": (None, every(405)), "POST": ({}, only(OFFICERS, yes=302))},
    ),
    Case(
        "registry:unfollow",
        kwargs=ids("slug=contractor"),
        methods={"GET": (None, every(405)), "POST": ({}, only(OFFICERS, yes=302))},
    ),
    Case(
        "registry:certification_document",
        kwargs=ids("number=active"),
        methods={"GET": (None, only((*OFFICERS, "contractor_staff"))), "POST": ({}, every(405))},
    ),
]


def _portal(name: str, kwargs: Callable[[World], dict[str, Any]], post: tuple[Any, Expect] | None = None) -> Case:
    """A company-scoped portal page: the company's representatives only, POST as given or refused (405)."""
    get = (None, REP_ONLY)
    return Case(name, kwargs=kwargs, methods={"GET": get, "POST": post or ({}, signed_in(405))})


PORTAL: list[Case] = [
    Case("portal:home", methods={"GET": (None, signed_in(200)), "POST": ({}, signed_in(405))}),
    # An invalid request re-renders the form with 200 (issue 7 left it so; other portal forms answer 400).
    Case("portal:request", methods={"GET": (None, signed_in(200)), "POST": (INVALID, signed_in(200))}),
    Case("portal:notifications_read", methods={"GET": (None, signed_in(405)), "POST": ({}, signed_in(302))}),
    Case(
        "portal:token_create",
        methods={
            "GET": (None, signed_in(405)),
            "POST": (
                {"name": "ERP"},
                only(TOKEN_HOLDERS, no=403),
            ),
        },
    ),
    Case(
        "portal:token_revoke",
        kwargs=ids("pk=token"),
        methods={"GET": (None, signed_in(405)), "POST": ({}, only(("representative",), yes=302, no=404))},
    ),
    _portal("portal:company", ids("slug=company")),
    _portal("portal:disclosure", ids("slug=company", "pk=disclosure")),
    Case(
        "portal:disclosure",
        kwargs=ids("slug=company", "pk=other_disclosure"),
        variant="other-company-disclosure",
        methods={"GET": (None, only({"representative": 404}))},
    ),
    _portal("portal:compare", ids("slug=company")),
    _portal("portal:history", ids("slug=company")),
    _portal("portal:profile", ids("slug=company"), post=(PROFILE, only(("representative",), yes=302))),
    Case(
        "portal:profile",
        kwargs=ids("slug=other_company"),
        variant="other-company",
        methods={
            "GET": (None, only(("other_representative",))),
            "POST": ({"website": "https://southpaw-toys.example"}, only(("other_representative",), yes=302)),
        },
    ),
    Case(
        "portal:brand_add",
        kwargs=ids("slug=company"),
        methods={"GET": (None, signed_in(405)), "POST": (INVALID, only(("representative",), yes=400))},
    ),
    _portal(
        "portal:brand_edit", ids("slug=company", "pk=brand_pk"), post=(INVALID, only(("representative",), yes=400))
    ),
    Case(
        "portal:brand_edit",
        kwargs=ids("slug=company", "pk=other_brand_pk"),
        variant="other-company-brand",
        methods={"GET": (None, only({"representative": 404})), "POST": (INVALID, only({"representative": 404}))},
    ),
    Case(
        "portal:brand_delete",
        kwargs=ids("slug=company", "pk=brand_pk"),
        methods={"GET": (None, signed_in(405)), "POST": ({}, only(("representative",), yes=302))},
    ),
    Case(
        "portal:contest",
        kwargs=ids("pk=finding"),
        methods={
            "GET": (None, only(("representative",), no=404)),
            "POST": (INVALID, only(("representative",), yes=400, no=404)),
        },
    ),
    Case(
        "portal:contest",
        kwargs=ids("pk=other_finding"),
        variant="other-company-finding",
        methods={"GET": (None, only(("other_representative",), no=404))},
    ),
]


def _override_body(world: World) -> dict[str, str]:
    prefix = f"finding-{world.ids['finding']}"
    return {f"{prefix}-status": "does_not", f"{prefix}-reason": "Page 2 says the opposite."}


REVIEW: list[Case] = [
    Case("review:queue", methods={"GET": (None, only(QUEUE)), "POST": ({}, only(QUEUE, yes=405))}),
    Case(
        "review:disclosure",
        kwargs=ids("pk=disclosure"),
        methods={"GET": (None, only(QUEUE)), "POST": ({}, only(QUEUE, yes=405))},
    ),
    Case(
        "review:disclosure_complete",
        kwargs=ids("pk=disclosure"),
        methods={"GET": (None, only(QUEUE, yes=405)), "POST": ({}, only({"reviewer": 302, "superuser": 302}))},
    ),
    Case(
        "review:override",
        kwargs=ids("pk=finding"),
        methods={
            "GET": (None, only(QUEUE)),
            "POST": (_override_body, only({"reviewer": 302, "superuser": 302})),
        },
    ),
    Case(
        "review:contest",
        kwargs=ids("pk=contest"),
        methods={
            "GET": (None, only(QUEUE)),
            "POST": (
                {"outcome": "dismissed", "note": "The text is hedged."},
                only({"reviewer": 302, "superuser": 302}),
            ),
        },
    ),
    Case(
        "review:membership",
        kwargs=ids("pk=membership"),
        methods={
            "GET": (None, only(QUEUE)),
            "POST": (
                {"decision": "reject", "reason": "Not at the company."},
                only({"reviewer": 302, "superuser": 302}),
            ),
        },
    ),
]

ACCOUNTS: list[Case] = [
    Case("login", methods={"GET": (None, every(200)), "POST": ({}, every(200))}),
    Case("logout", methods={"GET": (None, every(405)), "POST": ({}, every(302))}),
    Case("signup", methods={"GET": (None, signed_in(302, anonymous=200)), "POST": ({}, signed_in(302, anonymous=200))}),
    page("signup_done"),
    Case("verify_email_resend", methods={"GET": (None, signed_in(405)), "POST": ({}, signed_in(302))}),
    Case(
        "verify_email", kwargs=ids("token=not-a-token"), methods={"GET": (None, every(200)), "POST": ({}, every(400))}
    ),
    Case("password_reset", methods={"GET": (None, every(200)), "POST": ({}, every(200))}),
    page("password_reset_done"),
    Case(
        "password_reset_confirm",
        kwargs=ids("uidb64=MQ", "token=set-password"),
        methods={"GET": (None, every(200)), "POST": ({}, every(200))},
    ),
    page("password_reset_complete"),
    Case("password_change", methods={"GET": (None, signed_in(200)), "POST": ({}, signed_in(200))}),
    Case("password_change_done", methods={"GET": (None, signed_in(200)), "POST": ({}, signed_in(405))}),
]


def api(name: str, **kwargs: Any) -> Case:
    return Case(name, json_body=True, **kwargs)


API: list[Case] = [
    api_read("api-brand-search", query=lambda w: "q=northwnd"),
    api_read("api-company-detail", kwargs=ids("slug=company")),
    api_read("api-company-list"),
    api_read("api-statistics"),
    api_read("api-registry-certification-list"),
    api_read("api-schema"),
    api_read("api-docs"),
    api_read("api-disclosure-detail", kwargs=ids("pk=disclosure")),
    api(
        "api-disclosure-detail",
        kwargs=ids("pk=unpublished"),
        variant="unpublished",
        methods={"GET": (None, UNPUBLISHED)},
    ),
    api(
        "api-disclosure-submit",
        kwargs=ids("slug=company"),
        methods={
            "GET": (None, signed_in(405, anonymous=401)),
            "POST": ({"text": "We audit our suppliers every year."}, only(MANAGERS, yes=202, anonymous=401)),
        },
    ),
    api(
        "api-disclosure-submit",
        kwargs=ids("slug=other_company"),
        variant="other-company",
        methods={"POST": ({"text": "We audit."}, only(("other_representative", *STAFF), yes=202, anonymous=401))},
    ),
    api_read("api-registry-verify", query=lambda w: f"number={w.ids['active']}"),
    api_read("api-registry-public-key"),
    api(
        "api-registry-verify-proof",
        methods={"GET": (None, every(405)), "POST": ({"proof": "garbage"}, every(200))},
    ),
    *(
        api(
            f"api-registry-certification-{action}",
            kwargs=ids(f"number={number}"),
            methods={"GET": (None, every(405)), "POST": ({}, only(REGISTRY_STAFF, yes=400, anonymous=401))},
        )
        for action, number in (
            ("verify", "submitted"),
            ("reject", "submitted"),
            ("suspend", "active"),
            ("reinstate", "active"),
            ("revoke", "active"),
        )
    ),
    api(
        "api-registry-certification-submit",
        kwargs=ids("number=draft"),
        methods={"GET": (None, every(405)), "POST": ({}, only(("contractor_staff",), anonymous=401))},
    ),
    api(
        "api-registry-certification-submit",
        kwargs=ids("number=other_draft"),
        variant="other-contractor",
        methods={"POST": ({}, only((), anonymous=401))},
    ),
    api(
        "api-registry-watchlist",
        kwargs=ids("slug=contractor"),
        methods={
            "GET": (None, every(405)),
            "POST": ({}, only(OFFICERS, anonymous=401)),
            "DELETE": (None, only(OFFICERS, anonymous=401)),
        },
    ),
    api(
        "api-portal-me",
        methods={"GET": (None, signed_in(200, anonymous=401)), "POST": ({}, signed_in(405, anonymous=401))},
    ),
    api(
        "api-portal-tokens",
        methods={"GET": (None, signed_in(200, anonymous=401)), "POST": ({}, signed_in(405, anonymous=401))},
    ),
    api(
        "api-portal-token-create",
        methods={
            "GET": (None, signed_in(405, anonymous=403)),
            "POST": (
                {"name": "ERP"},
                only(TOKEN_HOLDERS, yes=201, anonymous=403),
            ),
        },
    ),
    api(
        "api-portal-token-revoke",
        kwargs=ids("pk=token"),
        methods={
            "GET": (None, signed_in(405, anonymous=401)),
            "POST": ({}, only(("representative",), no=404, anonymous=401)),
        },
    ),
    api(
        "api-portal-membership-request",
        methods={
            "GET": (None, signed_in(405, anonymous=401)),
            "POST": (lambda w: {"company": w.ids["company"]}, signed_in(200, anonymous=401)),
        },
    ),
    api(
        "api-portal-versions",
        kwargs=ids("slug=company"),
        methods={
            "GET": (None, only(("representative",), anonymous=401)),
            "POST": ({}, signed_in(405, anonymous=401)),
        },
    ),
    api(
        "api-portal-compare",
        kwargs=ids("slug=company"),
        query=lambda w: f"a={w.ids['scores'][0]}&b={w.ids['scores'][1]}",
        methods={"GET": (None, only(("representative",), anonymous=401))},
    ),
    api(
        "api-portal-compare",
        kwargs=ids("slug=company"),
        query=lambda w: f"a={w.ids['scores'][0]}&b={w.ids['other_score']}",
        variant="other-company-score",
        methods={"GET": (None, only({"representative": 404}, anonymous=401))},
    ),
    api(
        "api-portal-profile",
        kwargs=ids("slug=company"),
        methods={
            "GET": (None, signed_in(405, anonymous=401)),
            "POST": ({}, only(("representative",), anonymous=401)),
        },
    ),
    api(
        "api-portal-contest",
        kwargs=ids("pk=finding"),
        methods={
            "GET": (None, signed_in(405, anonymous=401)),
            "POST": (
                {"explanation": "Page 2 says we audit every factory, unannounced."},
                only(("representative",), yes=201, no=404, anonymous=401),
            ),
        },
    ),
    api(
        "api-review-override",
        kwargs=ids("pk=finding"),
        methods={
            "GET": (None, signed_in(405, anonymous=401)),
            "POST": ({"status": "does_not", "reason": "Page 2."}, only(REVIEWERS, anonymous=401)),
        },
    ),
    api(
        "api-review-contest-resolve",
        kwargs=ids("pk=contest"),
        methods={
            "GET": (None, signed_in(405, anonymous=401)),
            "POST": ({"outcome": "dismissed", "note": "Hedged."}, only(REVIEWERS, anonymous=401)),
        },
    ),
]

ADMIN: list[Case] = [
    Case("admin:index", methods={"GET": (None, {ANON: "admin-login"})}),
]

CASES: list[Case] = PAGES + FILINGS + REGISTRY + PORTAL + REVIEW + ACCOUNTS + API + ADMIN


# --- enumerating the resolver ---------------------------------------------------------------------------------------


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[tuple[str, str]]:
    """(namespaced name, route) of every pattern, recursing into includes."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_names(entry, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or '<unnamed>'}", str(entry.pattern)


def _skipped(name: str) -> bool:
    # Django's own admin (one row above checks that it wants a staff login) and the language switch.
    return name.startswith("admin:") or name == "set_language"


def test_every_url_pattern_has_a_row() -> None:
    covered = {case.name for case in CASES}
    missing = sorted(f"{name} ({route})" for name, route in url_names() if not _skipped(name) and name not in covered)
    assert missing == [], "URL patterns without a row in the authorization matrix:\n" + "\n".join(missing)


def test_every_row_names_a_real_pattern() -> None:
    names = {name for name, _route in url_names()}
    assert sorted({case.name for case in CASES} - names) == []


def test_every_row_covers_every_role() -> None:
    incomplete = [
        f"{case.label} {method}"
        for case in CASES
        for method, (_body, expect) in case.methods.items()
        if set(expect) != set(ROLES) and case.name != "admin:index"
    ]
    assert incomplete == []


# --- running the cells ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with world_fixture(django_db_blocker, tmp_path_factory.mktemp("matrix-media")) as built:
        yield built


@pytest.fixture
def world_media(settings: Any, world: World) -> World:
    settings.MEDIA_ROOT = world.media_root  # the world's originals and signed documents live there
    return world


def cells() -> Iterator[Any]:
    for case in CASES:
        for method, (body, expect) in case.methods.items():
            for role, status in expect.items():
                yield pytest.param(case, method, body, role, status, id=f"{case.label}-{role}-{method}")


def request_as(world: World, role: str, case: Case, method: str, body: Any) -> Any:
    client = Client()
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    url = reverse(case.name, kwargs=case.kwargs(world))
    query = case.query(world)
    if query:
        url = f"{url}?{query}"
    data = body(world) if callable(body) else body
    if method == "GET":
        return client.get(url)
    if method == "DELETE":
        return client.delete(url)
    if case.json_body:
        return client.post(url, json.dumps(data or {}), content_type="application/json")
    return client.post(url, data or {})


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "method", "body", "role", "expected"), list(cells()))
def test_the_matrix(world_media: World, case: Case, method: str, body: Any, role: str, expected: int | str) -> None:
    response = request_as(world_media, role, case, method, body)
    where = response.get("Location", "")
    if expected == LOGIN:
        assert (response.status_code, where.split("?")[0]) == (302, reverse(django_settings.LOGIN_URL)), where
        assert "next=" in where
    elif expected == "admin-login":
        assert (response.status_code, where.split("?")[0]) == (302, reverse("admin:login"))
    else:
        assert response.status_code == expected, _explain(response)


def _explain(response: Any) -> str:
    body = b"" if getattr(response, "streaming", False) else response.content[:300]
    return f"{response.status_code} {response.get('Location', '')} {body!r}"
