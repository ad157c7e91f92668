"""Web hardening: CSRF, production HTTPS settings, CSP and no inline code, framing, uploads, rate limits, file names.

The page scans reuse the authorization matrix's table and world: every GET pattern is rendered as every role and
each HTML answer (200s and error pages alike) is checked for a strict Content-Security-Policy, for inline script,
event-handler attributes, style attributes and ``javascript:`` URLs, and for X-Frame-Options (the badge is the one
thing other sites may frame). Production settings are checked in a subprocess with ``DJANGO_DEBUG=False``, the way
a deployment reads them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from disclosures.models import Certification, Company, Contractor, Disclosure
from tests.integration.security_world import ROLES, World, world_fixture
from tests.integration.test_authorization_matrix import CASES, LOGIN, Case, request_as

REPO = Path(__file__).resolve().parents[2]
SCRIPT_FORBIDDEN = ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:")
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}  # data islands: never executed, CSP allows them


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with world_fixture(django_db_blocker, tmp_path_factory.mktemp("hardening-media")) as built:
        yield built


@pytest.fixture
def world_media(settings: Any, world: World) -> World:
    settings.MEDIA_ROOT = world.media_root
    return world


# --- CSRF -------------------------------------------------------------------------------------------------------


def _allowed_role(case: Case, method: str) -> str:
    """A role the view would let through, so a 403 can only come from the CSRF check."""
    expect = case.methods[method][1]
    for role in ROLES[1:]:
        if expect.get(role) not in (LOGIN, 403, 404, 405, 401):
            return role
    return "superuser"


def _post_cases(*, api: bool) -> list[Any]:
    """Patterns that accept POST from someone (a POST every role gets 405 for has nothing to protect)."""
    return [
        pytest.param(case, id=case.label)
        for case in CASES
        if "POST" in case.methods
        and case.json_body == api
        and set(case.methods["POST"][1].values()) - {405, 401, LOGIN}
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("case", _post_cases(api=False))
def test_every_form_post_without_a_csrf_token_is_refused(world_media: World, case: Case) -> None:
    role = _allowed_role(case, "POST")
    client = Client(enforce_csrf_checks=True)
    if world_media.user(role) is not None:
        client.force_login(world_media.user(role))
    url = reverse(case.name, kwargs=case.kwargs(world_media))
    body = case.methods["POST"][0]
    response = client.post(url, body(world_media) if callable(body) else body or {"x": "1"})
    assert response.status_code == 403, (role, response.status_code)
    assert b"CSRF" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("case", _post_cases(api=True))
def test_every_api_post_with_a_session_needs_a_csrf_token(world_media: World, case: Case) -> None:
    role = _allowed_role(case, "POST")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world_media.user(role))
    url = reverse(case.name, kwargs=case.kwargs(world_media))
    response = client.post(url, "{}", content_type="application/json")
    assert response.status_code == 403, (role, response.status_code, response.content[:200])
    assert "CSRF" in response.json()["detail"]


@pytest.mark.django_db
def test_an_api_token_needs_no_csrf_token_because_no_browser_sends_it_on_its_own(world_media: World) -> None:
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {world_media.ids['token_raw']}"})
    url = reverse("api-disclosure-submit", kwargs={"slug": world_media.ids["company"]})
    response = client.post(
        url, json.dumps({"text": "We audit our suppliers every year."}), content_type="application/json"
    )
    assert response.status_code == 202


@pytest.mark.django_db
def test_a_token_cannot_mint_another_token(world_media: World) -> None:
    client = Client(headers={"Authorization": f"Bearer {world_media.ids['token_raw']}"})
    response = client.post(
        reverse("api-portal-token-create"), json.dumps({"name": "x"}), content_type="application/json"
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_representatives_token_acts_only_for_its_own_company(world_media: World) -> None:
    client = Client(headers={"Authorization": f"Bearer {world_media.ids['token_raw']}"})
    own = reverse("api-portal-versions", kwargs={"slug": world_media.ids["company"]})
    other = reverse("api-portal-versions", kwargs={"slug": world_media.ids["other_company"]})
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 403


@pytest.mark.django_db
def test_a_revoked_token_is_refused(world_media: World) -> None:
    session = Client()
    session.force_login(world_media.user("representative"))
    assert session.post(reverse("portal:token_revoke", kwargs={"pk": world_media.ids["token"]})).status_code == 302
    client = Client(headers={"Authorization": f"Bearer {world_media.ids['token_raw']}"})
    assert client.get(reverse("api-portal-me")).status_code == 401


# --- production settings (DJANGO_DEBUG=False) ------------------------------------------------------------------

PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings as s
from django.test import Client
plain = Client().get("/ping")
secure = Client().get("/ping", secure=True)
print(json.dumps({
    "debug": s.DEBUG, "ssl_redirect": s.SECURE_SSL_REDIRECT, "session_secure": s.SESSION_COOKIE_SECURE,
    "csrf_secure": s.CSRF_COOKIE_SECURE, "session_httponly": s.SESSION_COOKIE_HTTPONLY,
    "hsts": s.SECURE_HSTS_SECONDS, "hsts_subdomains": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "plain_status": plain.status_code, "plain_location": plain.get("Location", ""),
    "secure_status": secure.status_code, "hsts_header": secure.get("Strict-Transport-Security", ""),
    "nosniff": secure.get("X-Content-Type-Options", ""), "referrer": secure.get("Referrer-Policy", ""),
}))
"""


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "supplychain.settings",
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": "test-" + "k" * 60,
        "DJANGO_ALLOWED_HOSTS": "testserver,supplychain.example",
        "SQLITE_PATH": str(tmp_path / "production.sqlite3"),
        "REGISTRY_SIGNING_KEY": "",
    }


def test_production_settings_force_https_secure_cookies_and_hsts(tmp_path: Path) -> None:
    # One subprocess, about 2 s: the settings module read exactly as a deployment reads it.
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=REPO,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["debug"] is False
    assert seen["ssl_redirect"] is True
    assert seen["session_secure"] is True
    assert seen["csrf_secure"] is True
    assert seen["session_httponly"] is True
    assert seen["hsts"] >= 31_536_000
    assert seen["hsts_subdomains"] is True
    assert (seen["plain_status"], seen["plain_location"]) == (301, "https://testserver/ping")
    assert seen["secure_status"] == 200
    assert "max-age=31536000" in seen["hsts_header"]
    assert "includeSubDomains" in seen["hsts_header"]
    assert seen["nosniff"] == "nosniff"
    assert seen["referrer"] == "same-origin"


def test_manage_check_deploy_is_clean_under_production_settings(tmp_path: Path) -> None:
    # About 2 s; CI runs the same command, this keeps it in the test suite too.
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_sign_in_cookies_are_secure_http_only_and_same_site_when_https_is_on(
    settings: Any, representative: Any
) -> None:
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client()
    client.get(reverse("login"), secure=True)
    csrf = client.cookies["csrftoken"]
    response = client.post(
        reverse("login"),
        {"username": "rep", "password": "correct-horse-battery", "csrfmiddlewaretoken": csrf.value},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    assert csrf["secure"]


# --- CSP, inline code and framing on every page -----------------------------------------------------------------


class InlineCodeFinder(HTMLParser):
    """Collects everything a strict CSP would block or that smuggles script into a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name == "style":
                self.problems.append(f"<{tag} style=...>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:...>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            kind = (values.get("type") or "").lower()
            self._in_script = "data" if kind in DATA_SCRIPT_TYPES else ("src" if values.get("src") else "inline")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script in ("inline", "src") and data.strip():
            self.problems.append(f"inline <script> body: {data.strip()[:60]!r}")


def csp_problems(header: str) -> list[str]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    scripts = directives.get("script-src", directives.get("default-src"))
    problems = []
    if scripts is None:
        problems.append("no script-src or default-src")
    else:
        problems += [f"script-src allows {word}" for word in scripts if word in SCRIPT_FORBIDDEN]
    if directives.get("object-src") != ["'none'"]:
        problems.append("object-src is not 'none'")
    if "base-uri" not in directives:
        problems.append("no base-uri")
    return problems


def page_problems(response: Any) -> list[str]:
    problems = []
    header = response.get("Content-Security-Policy", "")
    problems += csp_problems(header) if header else ["no Content-Security-Policy header"]
    if response.get("X-Frame-Options", "").upper() != "DENY" and "frame-ancestors 'none'" not in header:
        problems.append("frameable (no X-Frame-Options DENY, no frame-ancestors 'none')")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    finder = InlineCodeFinder()
    finder.feed(response.content.decode(response.charset or "utf-8", errors="replace"))
    return problems + finder.problems


def _get_cases() -> list[Any]:
    return [pytest.param(case, id=case.label) for case in CASES if "GET" in case.methods and case.name != "admin:index"]


@pytest.mark.django_db
@pytest.mark.parametrize("case", _get_cases())
def test_every_page_has_a_strict_csp_and_no_inline_code_for_every_role(world_media: World, case: Case) -> None:
    found = {}
    for role in ROLES:
        response = request_as(world_media, role, case, "GET", None)
        kind = response.get("Content-Type", "")
        if case.name == "data:badge":
            continue  # checked on its own below: the one embeddable thing
        if kind.startswith("text/html") and not getattr(response, "streaming", False):
            problems = page_problems(response)
            if problems:
                found[role] = problems
        elif response.status_code < 300:
            assert response.get("X-Frame-Options", "").upper() == "DENY" or "frame-ancestors 'none'" in response.get(
                "Content-Security-Policy", ""
            ), (role, kind)
    assert found == {}, json.dumps(found, indent=1)


@pytest.mark.django_db
def test_the_badge_is_the_one_thing_other_sites_may_frame(world_media: World) -> None:
    response = Client().get(reverse("data:badge", kwargs={"slug": world_media.ids["company"]}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]  # framing allowed, scripts still not
    assert b"<script" not in response.content


@pytest.mark.django_db
def test_error_pages_are_hardened_too(client: Any) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert page_problems(response) == []


# --- uploads: content types, file names, never served as HTML ---------------------------------------------------

HOSTILE_HTML = (
    b"<!doctype html><html><body><script>fetch('/portal/tokens/',{method:'POST'})</script>"
    b"<p>We audit our suppliers every year with independent, unannounced audits.</p></body></html>"
)
HOSTILE_SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture
def company(world_media: World) -> Company:
    return Company.objects.get(slug=world_media.ids["company"])


@pytest.fixture
def representative(world_media: World) -> Any:
    return world_media.user("representative")


@pytest.fixture
def contractor(world_media: World) -> Contractor:
    return Contractor.objects.get(slug=world_media.ids["contractor"])


@pytest.fixture
def contractor_staff(world_media: World) -> Any:
    return world_media.user("contractor_staff")


@pytest.fixture
def officer(world_media: World) -> Any:
    return world_media.user("officer")


@pytest.fixture
def shopper(world_media: World) -> Any:
    return world_media.user("shopper")


@pytest.fixture
def rep_client(client: Any, representative: Any) -> Any:
    client.force_login(representative)
    return client


def _upload(client: Any, company: Any, name: str, data: bytes, capture: Any) -> Disclosure:
    with capture(execute=True):
        response = client.post(
            reverse("filings:submit", kwargs={"slug": company.slug}), {"file": SimpleUploadedFile(name, data)}
        )
    assert response.status_code == 302, response.content[:500]
    return Disclosure.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))


@pytest.mark.django_db
def test_an_html_file_named_pdf_is_read_as_html_and_downloaded_as_an_attachment_never_as_html(
    rep_client: Any, company: Any, django_capture_on_commit_callbacks: Any
) -> None:
    disclosure = _upload(rep_client, company, "statement.pdf", HOSTILE_HTML, django_capture_on_commit_callbacks)
    assert disclosure.content_kind == Disclosure.ContentKind.HTML  # sniffed from the bytes, not the name
    response = rep_client.get(reverse("filings:original", kwargs={"pk": disclosure.pk}))
    assert response.status_code == 200
    assert not response["Content-Type"].startswith(("text/html", "application/xhtml", "image/svg"))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == HOSTILE_HTML  # the original is kept exactly


@pytest.mark.django_db
def test_an_svg_with_script_fails_as_unsupported_and_is_still_only_an_attachment(
    rep_client: Any, company: Any, django_capture_on_commit_callbacks: Any
) -> None:
    disclosure = _upload(rep_client, company, "logo.pdf", HOSTILE_SVG, django_capture_on_commit_callbacks)
    assert (disclosure.status, disclosure.failure_code) == (Disclosure.Status.FAILED, "unsupported_type")
    response = rep_client.get(reverse("filings:original", kwargs={"pk": disclosure.pk}))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "..\\..\\windows\\win.ini.pdf",
        "/etc/cron.d/evil.pdf",
        "statement\x00.html.pdf",
        "\u202egpj.exe.pdf",
        "a" * 1000 + ".pdf",
        "CON.pdf",
    ],
    ids=["dotdot", "backslashes", "absolute", "nul", "right-to-left-override", "very-long", "windows-device"],
)
def test_an_uploaded_file_name_is_never_used_as_a_path(
    rep_client: Any, company: Any, settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any, name: str
) -> None:
    disclosure = _upload(
        rep_client,
        company,
        name,
        b"We audit suppliers. " * 20 + hashlib.sha256(name.encode()).hexdigest().encode(),
        django_capture_on_commit_callbacks,
    )
    stored = Path(disclosure.original_file.path).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    assert stored.is_relative_to(media)
    assert stored.name == f"{disclosure.sha256}.bin"  # the content's hash, never the uploader's name
    assert "/" not in disclosure.original_filename
    assert "\\" not in disclosure.original_filename
    assert "\x00" not in disclosure.original_filename
    assert [path for path in tmp_path.rglob("*") if path.is_file() and not path.resolve().is_relative_to(media)] == []
    download = rep_client.get(reverse("filings:original", kwargs={"pk": disclosure.pk}))
    assert f'filename="{company.slug}-disclosure-{disclosure.pk}.txt"' in download["Content-Disposition"]


@pytest.mark.django_db
def test_stored_files_are_not_reachable_under_media_url(
    rep_client: Any, company: Any, django_capture_on_commit_callbacks: Any
) -> None:
    disclosure = _upload(rep_client, company, "statement.pdf", HOSTILE_HTML, django_capture_on_commit_callbacks)
    assert Client().get(django_settings.MEDIA_URL + disclosure.original_file.name).status_code == 404
    assert rep_client.get(django_settings.MEDIA_URL + disclosure.original_file.name).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["..%2F..%2Fsupplychain%2Fsettings.py", "....//....//etc/passwd", "%2e%2e"])
def test_open_data_snapshots_refuse_path_traversal(client: Any, name: str) -> None:
    assert client.get(f"/data/snapshots/2026-01-01/{name}").status_code == 404
    assert client.get(f"/data/snapshots/..%2F..%2F/{name}").status_code == 404


@pytest.mark.django_db
def test_a_signed_document_that_is_really_html_is_refused(contractor_staff: Any, contractor: Any) -> None:
    from tests.integration import registry_support

    draft = registry_support.make_certification(registry_support.make_contract(contractor), "draft")
    client = Client()
    client.force_login(contractor_staff)
    url = reverse("registry:certification_edit", kwargs={"number": draft.number})
    page = client.get(url)
    form = {key: value for key, value in page.context["form"].initial.items() if value is not None}
    form["document"] = SimpleUploadedFile("../../signed.pdf", HOSTILE_HTML, content_type="application/pdf")
    response = client.post(url, form)
    assert response.status_code == 400
    draft.refresh_from_db()
    assert not draft.document.name.endswith((".html", ".htm", ".svg"))
    assert Certification.objects.filter(document__contains="..").count() == 0


@pytest.mark.django_db
def test_a_signed_document_is_downloaded_as_an_attachment_that_does_not_render(officer: Any, contractor: Any) -> None:
    from tests.integration import registry_support

    active = registry_support.certification_in("active", contractor)
    client = Client()
    client.force_login(officer)
    response = client.get(reverse("registry:certification_document", kwargs={"number": active.number}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


# --- rate limits and enumeration --------------------------------------------------------------------------------


def _rate(name: str) -> int:
    count, _per = django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][name].split("/")
    return int(count)


@pytest.mark.django_db
def test_the_anonymous_api_is_throttled_at_its_configured_rate(client: Any) -> None:
    # Time stands still, so every request lands in one window however slow the machine; ~600 requests, ~2 s.
    limit = _rate("anon")
    with time_machine.travel("2026-03-02 12:00:00+00:00", tick=False):
        statuses = [client.get(reverse("api-registry-public-key")).status_code for _ in range(limit)]
        refused = client.get(reverse("api-registry-public-key"))
    assert set(statuses) == {200}
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "detail" in refused.json()


@pytest.mark.django_db
def test_a_signed_in_user_is_not_held_to_the_anonymous_rate(client: Any, shopper: Any) -> None:
    client.force_login(shopper)
    limit = _rate("anon")
    with time_machine.travel("2026-03-02 12:00:00+00:00", tick=False):
        statuses = {client.get(reverse("api-registry-public-key")).status_code for _ in range(limit + 1)}
    assert statuses == {200}


def _sign_in(client: Any, username: str, password: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_sign_in_is_throttled_after_repeated_failures_even_with_the_right_password(
    client: Any, representative: Any
) -> None:
    failures = django_settings.LOGIN_MAX_FAILURES
    statuses = {_sign_in(client, "rep", f"wrong-{n}").status_code for n in range(failures)}
    assert statuses == {200}
    assert _sign_in(client, "rep", "correct-horse-battery").status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(client: Any, representative: Any) -> None:
    known = _sign_in(client, "rep", "wrong-password")
    unknown = _sign_in(client, "nobody-here", "wrong-password")
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


@pytest.mark.django_db
def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address(client: Any, representative: Any) -> None:
    known = client.post(reverse("password_reset"), {"email": representative.email}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@northwind-apparel.example"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert _visible_text(known) == _visible_text(unknown)
    assert [message.to for message in mail.outbox] == [[representative.email]]  # only a real account gets mail


def _visible_text(response: Any) -> str:
    # The form's CSRF token is masked afresh on every render; everything else must be identical.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


@pytest.mark.django_db
def test_password_reset_mails_to_one_address_are_capped_and_the_page_does_not_change(
    client: Any, representative: Any
) -> None:
    pages = {client.post(reverse("password_reset"), {"email": representative.email}).status_code for _ in range(10)}
    assert pages == {302}
    assert 1 <= len(mail.outbox) < 10
