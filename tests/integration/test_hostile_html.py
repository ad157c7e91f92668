"""Hostile web pages and SSRF through URL intake: ``disclosure_submit(url=...)`` and the worker's processing.

Real local servers (pytest-httpserver, threaded, on 127.0.0.1 and on [::1]) play the hostile sites: huge pages,
compressed bombs, endless redirects, slow and dripping responses, and pages built to upset the HTML reader. Each
submission ends ``failed`` with its own code and a plain reason, or scored; never a 500, never ``internal_error``.

SSRF is checked at both layers. Submission refuses literal private addresses outright (nothing stored). The
worker refuses again at fetch time — for rows that got past submission (encoded addresses, names that resolve to
private addresses, a setting changed in between, a redirect) — and the servers' logs prove nothing was fetched
from a refused address. Names are resolved through ``socket.getaddrinfo`` at fetch time, so a test-only resolver
stands in for DNS (the machines have none) the same way the local servers stand in for web sites.
"""

from __future__ import annotations

import gzip
import re
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from disclosures.models import Disclosure
from disclosures.services.disclosures import SubmissionRejected, disclosure_submit

pytestmark = pytest.mark.django_db

STATEMENT = (
    "We engage an independent third party to verify our supply chains for risks of human trafficking and slavery. "
    "Our suppliers are subject to unannounced audits by an independent auditing firm. "
    "We require direct suppliers to certify that materials comply with slavery and trafficking laws. "
    "We maintain internal accountability standards for employees and contractors. "
    "We train supply chain managers on human trafficking and slavery."
)
PAGE = (
    f"<!doctype html><html><head><title>Supply chain</title></head><body><main><p>{STATEMENT}</p></main></body></html>"
)
LIMIT = 256 * 1024
FINISHED_OK = {Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW}


@pytest.fixture(scope="module")
def _server_v4() -> Iterator[HTTPServer]:
    """A threaded server of our own, so slow handlers never hold up another test (started once: stopping takes ~1 s)."""
    httpd = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    httpd.start()
    yield httpd
    httpd.stop()


@pytest.fixture(scope="module")
def _server_v6() -> Iterator[HTTPServer]:
    """The same on the IPv6 loopback, to prove [::1] is never fetched."""
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    httpd = HTTPServer(host="::1", port=0, threaded=True)
    httpd.start()
    yield httpd
    httpd.stop()


@pytest.fixture
def slow_server() -> Iterator[HTTPServer]:
    """Its own server for handlers that outlive the request: their late log entries must not reach other tests."""
    httpd = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    httpd.start()
    yield httpd
    httpd.clear()
    httpd.stop()


@pytest.fixture
def server(_server_v4: HTTPServer) -> Iterator[HTTPServer]:
    _server_v4.clear()  # no handlers and an empty log: every test starts from nothing fetched
    yield _server_v4
    _server_v4.clear()


@pytest.fixture
def server6(_server_v6: HTTPServer) -> Iterator[HTTPServer]:
    _server_v6.clear()
    yield _server_v6
    _server_v6.clear()


@pytest.fixture
def servers(server: HTTPServer, server6: HTTPServer) -> tuple[HTTPServer, HTTPServer]:
    return server, server6


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    settings.URL_FETCH_TIMEOUT_SECONDS = 1
    settings.URL_FETCH_MAX_REDIRECTS = 3
    settings.DISCLOSURE_MAX_UPLOAD_BYTES = LIMIT


@pytest.fixture
def submit(representative: Any, django_capture_on_commit_callbacks: Any) -> Callable[..., Disclosure]:
    """Submit a URL as the company's representative and run the worker's job; returns the refreshed row."""

    def run(company: Any, url: str) -> Disclosure:
        with django_capture_on_commit_callbacks(execute=True):
            disclosure, _ = disclosure_submit(company=company, submitted_by=representative, url=url)
        disclosure.refresh_from_db()
        return disclosure

    return run


def unique_path() -> str:
    """Each test asks for its own path, so a late log entry from an earlier test can never count against it."""
    return f"/statement-{uuid.uuid4().hex}"


def fetched(httpd: HTTPServer, path: str) -> int:
    return sum(1 for request, _response in httpd.log if request.path == path)


def assert_failed(disclosure: Disclosure, code: str) -> None:
    assert (disclosure.status, disclosure.failure_code) == (Disclosure.Status.FAILED, code), disclosure.failure_reason
    assert disclosure.failure_reason.strip()


# --- hostile pages from a server we are allowed to reach ----------------------------------------------------------


class TestHostilePages:
    @pytest.fixture(autouse=True)
    def _allow_the_local_server(self, settings: Any) -> None:
        settings.URL_FETCH_ALLOW_PRIVATE = True

    def test_a_page_larger_than_the_limit_fails_as_too_large(self, company: Any, submit: Any, server: Any) -> None:
        server.expect_request("/huge").respond_with_data("<p>" + "x" * (4 * LIMIT), content_type="text/html")
        disclosure = submit(company, server.url_for("/huge"))
        assert_failed(disclosure, "too_large")
        assert not disclosure.original_file

    def test_a_huge_page_without_a_length_is_cut_off_while_streaming(
        self, company: Any, submit: Any, server: Any
    ) -> None:
        def endless(request: Request) -> Response:
            return Response((b"<p>" + b"a" * 65536 for _ in range(10_000)), content_type="text/html")  # 640 MB

        server.expect_request("/stream").respond_with_handler(endless)
        assert_failed(submit(company, server.url_for("/stream")), "too_large")

    def test_a_gzip_bomb_is_refused_once_it_inflates_past_the_limit(
        self, company: Any, submit: Any, server: Any
    ) -> None:
        bomb = gzip.compress(b" " * (64 * 1024 * 1024), 9)  # 64 KB that inflate to 64 MB
        server.expect_request("/bomb").respond_with_data(
            bomb, headers={"Content-Encoding": "gzip"}, content_type="text/html"
        )
        disclosure = submit(company, server.url_for("/bomb"))
        assert_failed(disclosure, "too_large")
        assert "decompressed" in disclosure.failure_reason

    def test_endless_redirects_stop_at_the_cap(self, company: Any, submit: Any, server: Any) -> None:
        def onwards(request: Request) -> Response:
            step = int(request.path.rsplit("/", 1)[-1])
            return Response("", status=302, headers={"Location": f"/hop/{step + 1}"})

        server.expect_request(re.compile(r"^/hop/\d+$")).respond_with_handler(onwards)
        disclosure = submit(company, server.url_for("/hop/0"))
        assert_failed(disclosure, "too_many_redirects")
        hops = [request.path for request, _response in server.log if request.path.startswith("/hop/")]
        assert hops == ["/hop/0", "/hop/1", "/hop/2", "/hop/3"]  # the first request and three redirects, no more

    def test_a_redirect_loop_stops_at_the_cap(self, company: Any, submit: Any, server: Any) -> None:
        server.expect_request("/loop").respond_with_data("", status=301, headers={"Location": "/loop"})
        assert_failed(submit(company, server.url_for("/loop")), "too_many_redirects")

    def test_a_redirect_to_another_scheme_is_refused(self, company: Any, submit: Any, server: Any) -> None:
        server.expect_request("/file").respond_with_data("", status=302, headers={"Location": "file:///etc/passwd"})
        assert_failed(submit(company, server.url_for("/file")), "bad_scheme")

    def test_a_server_that_never_answers_times_out(self, company: Any, submit: Any, slow_server: Any) -> None:
        server = slow_server

        def silent(request: Request) -> Response:
            time.sleep(3)  # past the 1-second limit; the fetcher has hung up long before
            return Response(PAGE, content_type="text/html")

        server.expect_request("/silent").respond_with_handler(silent)
        disclosure = submit(company, server.url_for("/silent"))
        assert_failed(disclosure, "timeout")
        assert not disclosure.original_file

    def test_a_server_dripping_one_byte_at_a_time_times_out(self, company: Any, submit: Any, slow_server: Any) -> None:
        server = slow_server

        def drip(request: Request) -> Response:
            def body() -> Iterator[bytes]:
                for _ in range(40):  # four seconds in all; every byte arrives well inside a socket timeout
                    yield b" "
                    time.sleep(0.1)

            return Response(body(), content_type="text/html")

        server.expect_request("/drip").respond_with_handler(drip)
        assert_failed(submit(company, server.url_for("/drip")), "timeout")

    def test_a_server_error_fails_with_its_status(self, company: Any, submit: Any, server: Any) -> None:
        server.expect_request("/down").respond_with_data("oops", status=503)
        disclosure = submit(company, server.url_for("/down"))
        assert_failed(disclosure, "http_error")
        assert disclosure.http_status == 503

    @pytest.mark.parametrize(
        ("name", "body"),
        [
            (
                "only_scripts_and_chrome",
                "<html><body><nav>Home</nav><script>" + "x=1;" * 5000 + "</script></body></html>",
            ),
            ("twenty_thousand_nested_divs", "<html><body>" + "<div>" * 20_000 + STATEMENT + "</div>" * 20_000),
            ("control_characters_after_a_script", f"<html><body><script>x</script>\x0b\x01 <p>{STATEMENT}</p>"),
            ("unknown_charset", f'<html><head><meta charset="x-evil-1"></head><body><p>{STATEMENT}</p></body></html>'),
            ("utf7_charset", f'<html><head><meta charset="utf-7"></head><body><p>+ADw-script+AD4-{STATEMENT}</p>'),
            (
                "billion_laughs_doctype",
                '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
                '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><html><body><p>&lol3; ' + STATEMENT + "</p></body></html>",
            ),
            ("external_entity", '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><html><body><p>&e;</p></html>'),
            ("unclosed_everything", "<html><body><p><b><i><table><tr><td>" + STATEMENT * 3),
            ("nul_bytes", f"<html><body><p>{STATEMENT}\x00\x00\x00</p></body></html>"),
            ("a_million_characters_of_text", "<html><body><p>" + "word " * 200_000 + "</p></body></html>"),
        ],
    )
    def test_a_hostile_html_page_ends_scored_or_failed_with_a_reason(
        self, company: Any, submit: Any, server: Any, name: str, body: str
    ) -> None:
        server.expect_request(f"/{name}").respond_with_data(body.encode("utf-8"), content_type="text/html")
        disclosure = submit(company, server.url_for(f"/{name}"))
        assert disclosure.status in FINISHED_OK | {Disclosure.Status.FAILED}
        if disclosure.status == Disclosure.Status.FAILED:
            assert disclosure.failure_code not in {"", "internal_error"}, disclosure.failure_reason
            assert disclosure.failure_reason.strip()
        assert "root:" not in "".join(disclosure.pages.values_list("text", flat=True))  # no file was read

    def test_a_pdf_served_as_html_is_read_by_its_content(self, company: Any, submit: Any, server: Any) -> None:
        from tests.fixtures.pdfs import multipage_pdf

        server.expect_request("/lie").respond_with_data(multipage_pdf(pages=1), content_type="text/html")
        disclosure = submit(company, server.url_for("/lie"))
        assert disclosure.status in FINISHED_OK
        assert disclosure.content_kind == Disclosure.ContentKind.PDF


# --- SSRF: refused at submission ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "http://127.0.0.1:{port}{path}",
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[::1]:{port6}{path}",
        "http://[::ffff:127.0.0.1]:{port}{path}",
        "http://[::ffff:7f00:1]:{port}{path}",
        "http://0.0.0.0:{port}{path}",
        "http://[::]:{port}{path}",
        "http://localhost:{port}{path}",
        "http://LOCALHOST:{port}{path}",
        "http://10.0.0.1{path}",
        "http://192.168.1.1{path}",
        "http://[fd00::2]{path}",
        "http://metadata.google.internal/computeMetadata/v1/",
    ],
)
def test_submission_refuses_a_private_address_and_stores_nothing(
    company: Any, representative: Any, servers: tuple[Any, Any], settings: Any, template: str
) -> None:
    path = unique_path()
    server, server6 = servers
    settings.URL_FETCH_ALLOW_PRIVATE = False
    url = template.format(port=server.port, port6=server6.port, path=path)
    with pytest.raises(SubmissionRejected) as rejected:
        disclosure_submit(company=company, submitted_by=representative, url=url)
    assert rejected.value.code == "private_url"
    assert rejected.value.reason
    assert not Disclosure.objects.exists()
    assert fetched(server, path) == 0
    assert fetched(server6, path) == 0


# --- SSRF: refused again by the worker ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "http://127.0.0.1:{port}{path}",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port6}{path}",
        "http://[::ffff:127.0.0.1]:{port}{path}",
        "http://0.0.0.0:{port}{path}",
        "http://localhost:{port}{path}",
    ],
)
def test_the_worker_refuses_a_private_address_even_when_submission_let_it_through(
    company: Any,
    representative: Any,
    servers: tuple[Any, Any],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    template: str,
) -> None:
    path = unique_path()
    server, server6 = servers
    # Submitted while private addresses were allowed (or by a path that skips the check); the worker checks again.
    server.expect_request(path).respond_with_data(PAGE, content_type="text/html")
    server6.expect_request(path).respond_with_data(PAGE, content_type="text/html")
    settings.URL_FETCH_ALLOW_PRIVATE = True
    with django_capture_on_commit_callbacks(execute=False) as queued:
        disclosure, _ = disclosure_submit(
            company=company,
            submitted_by=representative,
            url=template.format(port=server.port, port6=server6.port, path=path),
        )
    settings.URL_FETCH_ALLOW_PRIVATE = False
    for job in queued:
        job()
    disclosure.refresh_from_db()
    assert_failed(disclosure, "private_address")
    assert fetched(server, path) == 0
    assert fetched(server6, path) == 0
    assert not disclosure.original_file


@pytest.mark.parametrize(
    "template",
    [
        "http://[64:ff9b::7f00:1]:{port}{path}",  # NAT64 wrapping of 127.0.0.1
        "http://[2002:7f00:1::]:{port}{path}",  # 6to4 wrapping of 127.0.0.1
    ],
)
def test_an_ipv6_wrapped_loopback_address_passes_submission_and_is_refused_by_the_worker(
    company: Any, submit: Any, server: Any, settings: Any, template: str
) -> None:
    path = unique_path()
    settings.URL_FETCH_ALLOW_PRIVATE = False
    disclosure = submit(company, template.format(port=server.port, path=path))
    assert_failed(disclosure, "private_address")
    assert fetched(server, path) == 0


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Names the test decides the addresses of; every other name goes to the system resolver."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def resolve(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        if host in answers:
            return [
                (socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
                for ip in answers[host]
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return answers


@pytest.mark.parametrize(
    "addresses",
    [["127.0.0.1"], ["10.1.2.3"], ["169.254.169.254"], ["93.184.216.34", "127.0.0.1"], ["::1"]],
    ids=["loopback", "rfc1918", "cloud-metadata", "public-and-private-mixed", "ipv6-loopback"],
)
def test_a_name_that_resolves_to_a_private_address_is_refused_and_nothing_is_fetched(
    company: Any, submit: Any, server: Any, settings: Any, fake_dns: dict[str, list[str]], addresses: list[str]
) -> None:
    path = unique_path()
    settings.URL_FETCH_ALLOW_PRIVATE = False
    fake_dns["disclosures.intranet.example"] = addresses
    server.expect_request(path).respond_with_data(PAGE, content_type="text/html")
    disclosure = submit(company, f"http://disclosures.intranet.example:{server.port}{path}")
    assert_failed(disclosure, "private_address")
    assert fetched(server, path) == 0


class TestRedirectsIntoThePrivateNetwork:
    """The site at 127.0.0.1 is allowed by address (as an internal mirror would be); where it redirects is not."""

    @pytest.fixture(autouse=True)
    def _allow_only_the_site(self, settings: Any) -> None:
        settings.URL_FETCH_ALLOW_PRIVATE = False
        settings.URL_FETCH_ALLOW_ADDRESSES = ["127.0.0.1"]

    def test_the_allowed_site_itself_is_fetched_and_scored(self, company: Any, submit: Any, server: Any) -> None:
        path = unique_path()
        server.expect_request(path).respond_with_data(PAGE, content_type="text/html")
        disclosure = submit(company, server.url_for(path))
        assert disclosure.status in FINISHED_OK
        assert fetched(server, path) == 1

    @pytest.mark.parametrize(
        "target",
        [
            "http://[::1]:{port6}{path}-secret",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.7/admin",
            "http://[::ffff:169.254.169.254]/latest/meta-data/",
        ],
    )
    def test_a_redirect_to_a_private_address_is_refused_before_it_is_followed(
        self, company: Any, submit: Any, server: Any, server6: Any, target: str
    ) -> None:
        path = unique_path()
        server.expect_request(path).respond_with_data(
            "", status=302, headers={"Location": target.format(port6=server6.port, path=path)}
        )
        server6.expect_request(f"{path}-secret").respond_with_data("internal", content_type="text/plain")
        disclosure = submit(company, server.url_for(path))
        assert_failed(disclosure, "private_address")
        assert fetched(server, path) == 1
        assert fetched(server6, f"{path}-secret") == 0

    def test_a_redirect_to_a_name_resolving_to_a_private_address_is_refused(
        self, company: Any, submit: Any, server: Any, server6: Any, fake_dns: dict[str, list[str]]
    ) -> None:
        path = unique_path()
        fake_dns["rebind.example"] = ["::1"]
        server.expect_request(path).respond_with_data(
            "", status=302, headers={"Location": f"http://rebind.example:{server6.port}{path}-secret"}
        )
        disclosure = submit(company, server.url_for(path))
        assert_failed(disclosure, "private_address")
        assert fetched(server6, f"{path}-secret") == 0
