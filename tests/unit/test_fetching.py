"""URL fetching against real local HTTP(S) servers (pytest-httpserver), and the SSRF rules that keep it public."""

from __future__ import annotations

import datetime as dt
import gzip
import ipaddress
import socket
import ssl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from disclosures.core.fetching import FetchError, FetchResult, fetch_url, find_disclosure_links, is_public_address

LIMITS: dict[str, Any] = {"timeout": 5.0, "max_bytes": 1_000_000, "max_redirects": 3}
PRIVATE_REASON = "leads to a private or reserved network address; only public web addresses can be fetched."


def _fetch(url: str, *, allow_private: bool = True, **overrides: Any) -> FetchResult:
    return fetch_url(url, allow_private=allow_private, **{**LIMITS, **overrides})


def _failure(url: str, **kwargs: Any) -> FetchError:
    with pytest.raises(FetchError) as caught:
        _fetch(url, **kwargs)
    return caught.value


def _resolver_to(*ips: str, calls: list[str] | None = None) -> Any:
    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        if calls is not None:
            calls.append(host)
        family = socket.AF_INET6 if ":" in ips[0] else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in ips]

    return resolve


@pytest.fixture
def slow_server() -> Iterator[HTTPServer]:
    """A threaded server of its own, so sleeping handlers never hold up the shared one."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


# --- the happy paths --------------------------------------------------------------------------------------------


def test_it_fetches_a_page_and_records_what_answered(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/disclosure").respond_with_data(
        "<html><p>We audit suppliers.</p></html>", content_type="text/html; charset=utf-8"
    )
    result = _fetch(httpserver.url_for("/disclosure"))
    assert result == FetchResult(
        final_url=httpserver.url_for("/disclosure"),
        status=200,
        content_type="text/html; charset=utf-8",
        body=b"<html><p>We audit suppliers.</p></html>",
        redirects=(),
    )


def test_it_follows_redirects_and_records_the_final_url(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/middle"})
    httpserver.expect_request("/middle").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/new?year=2024")}
    )
    httpserver.expect_request("/new", query_string="year=2024").respond_with_data("final", content_type="text/plain")
    result = _fetch(httpserver.url_for("/old"))
    assert result.final_url == httpserver.url_for("/new?year=2024")
    assert result.redirects == (httpserver.url_for("/old"), httpserver.url_for("/middle"))
    assert result.body == b"final"


def test_it_connects_to_the_address_it_checked_and_names_the_host(httpserver: HTTPServer) -> None:
    calls: list[str] = []
    httpserver.expect_request("/page", headers={"Host": f"disclosures.example:{httpserver.port}"}).respond_with_data(
        "pinned"
    )
    result = _fetch(
        f"http://disclosures.example:{httpserver.port}/page", resolver=_resolver_to("127.0.0.1", calls=calls)
    )
    assert result.body == b"pinned"
    assert calls == ["disclosures.example"]  # resolved once, then the checked address is used


def test_it_tries_the_next_address_when_one_refuses(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/").respond_with_data("second address")
    result = _fetch(f"http://twohomes.example:{httpserver.port}/", resolver=_resolver_to("127.0.0.2", "127.0.0.1"))
    assert result.body == b"second address"


def test_it_inflates_a_compressed_body_it_did_not_ask_for(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/").respond_with_data(
        gzip.compress(b"We audit suppliers."), headers={"Content-Encoding": "gzip"}
    )
    assert _fetch(httpserver.url_for("/")).body == b"We audit suppliers."


# --- refusals that happen before any connection ------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "10.0.0.8",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",  # noqa: S104 - the point of the test
        "100.64.0.1",
        "224.0.0.1",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "[fe80::1]",
        "[fc00::1]",
        "[::]",
        "[64:ff9b::a00:1]",
        "[2002:7f00:1::1]",
    ],
)
def test_it_refuses_private_addresses_before_connecting(httpserver: HTTPServer, host: str) -> None:
    error = _failure(f"http://{host}:{httpserver.port}/latest/meta-data/", allow_private=False)
    assert (error.code, error.reason) == ("private_address", f"{host.strip('[]')} {PRIVATE_REASON}")
    assert httpserver.log == []


def test_it_refuses_a_name_that_resolves_to_a_private_address(httpserver: HTTPServer) -> None:
    error = _failure(
        f"http://intranet.example:{httpserver.port}/", allow_private=False, resolver=_resolver_to("127.0.0.1")
    )
    assert (error.code, error.reason) == ("private_address", f"intranet.example {PRIVATE_REASON}")
    assert httpserver.log == []


def test_it_refuses_a_name_with_any_private_answer() -> None:
    error = _failure("http://mixed.example/", allow_private=False, resolver=_resolver_to("93.184.216.34", "10.1.1.1"))
    assert error.code == "private_address"


def test_it_refuses_redirects_into_private_networks(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    # The test server itself is exempted by address; everything else is still checked.
    error = _failure(httpserver.url_for("/"), allow_private=False, allow_addresses={"127.0.0.1"})
    assert (error.code, error.reason) == ("private_address", f"169.254.169.254 {PRIVATE_REASON}")


def test_it_refuses_redirects_to_names_that_resolve_privately(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/").respond_with_data("", status=302, headers={"Location": "http://rebind.example/"})

    def resolver(host: str, port: int, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        ip = "127.0.0.1" if host == "localhost" else "192.168.0.10"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    error = _failure(httpserver.url_for("/"), allow_private=False, allow_addresses={"127.0.0.1"}, resolver=resolver)
    assert (error.code, error.reason) == ("private_address", f"rebind.example {PRIVATE_REASON}")


@pytest.mark.parametrize(
    "url", ["ftp://example.com/statement.pdf", "file:///etc/passwd", "javascript:alert(1)", "example.com/statement"]
)
def test_it_fetches_only_http_and_https(url: str) -> None:
    error = _failure(url)
    assert (error.code, error.reason) == ("bad_scheme", "Only http:// and https:// addresses can be fetched.")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://user:secret@example.com/", "Addresses with a user name or password in them are not accepted."),
        ("http:///statement", "This web address has no host name."),
        ("http://example.com:99999/", "This web address has an invalid host name or port."),
        ("http://exa mple.com/", "This is not a valid web address."),
        ("", "This is not a valid web address."),
    ],
)
def test_it_refuses_malformed_urls(url: str, reason: str) -> None:
    error = _failure(url)
    assert (error.code, error.reason) == ("bad_url", reason)


# --- limits -------------------------------------------------------------------------------------------------------


def test_it_stops_endless_redirects(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    error = _failure(httpserver.url_for("/loop"))
    assert (error.code, error.reason) == ("too_many_redirects", "The address redirected more than 3 times.")
    assert len(httpserver.log) == 4


def test_it_refuses_a_body_declared_too_large(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/").respond_with_data(b"x" * 2_000_000)
    error = _failure(httpserver.url_for("/"))
    assert (error.code, error.reason) == ("too_large", "The page is larger than the 1.0 MB limit")


def test_it_stops_streaming_a_body_that_grows_too_large(httpserver: HTTPServer) -> None:
    def endless(request: Request) -> Response:
        return Response((b"x" * 65536 for _ in range(100)), content_type="text/plain")

    httpserver.expect_request("/").respond_with_handler(endless)
    error = _failure(httpserver.url_for("/"))
    assert (error.code, error.reason) == ("too_large", "The page is larger than the 1.0 MB limit")


def test_it_refuses_a_compression_bomb(httpserver: HTTPServer) -> None:
    bomb = gzip.compress(bytes(50_000_000))
    assert len(bomb) < 100_000
    httpserver.expect_request("/").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    error = _failure(httpserver.url_for("/"))
    assert (error.code, error.reason) == ("too_large", "The page is larger than the 1.0 MB limit (once decompressed)")


def test_it_gives_up_on_a_server_that_does_not_answer(slow_server: HTTPServer) -> None:
    def sleepy(request: Request) -> Response:
        time.sleep(1.5)
        return Response("too late")

    slow_server.expect_request("/").respond_with_handler(sleepy)
    started = time.monotonic()
    error = _failure(slow_server.url_for("/"), timeout=0.4)
    assert (error.code, error.reason) == ("timeout", "The server did not respond within 0.4 seconds.")
    assert time.monotonic() - started < 1.2


def test_it_gives_up_on_a_server_that_drips_bytes(slow_server: HTTPServer) -> None:
    def drip() -> Iterator[bytes]:
        for _ in range(30):
            yield b"x"
            time.sleep(0.1)

    slow_server.expect_request("/").respond_with_handler(lambda request: Response(drip(), content_type="text/plain"))
    started = time.monotonic()
    error = _failure(slow_server.url_for("/"), timeout=0.6)
    assert (error.code, error.reason) == ("timeout", "The server did not respond within 0.6 seconds.")
    assert time.monotonic() - started < 1.5  # each byte came quickly; the overall deadline still held


def test_it_reports_http_errors_with_their_status(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone").respond_with_data("nope", status=404)
    error = _failure(httpserver.url_for("/gone"))
    assert (error.code, error.reason, error.status) == (
        "http_error",
        "The server answered with HTTP 404 NOT FOUND.",
        404,
    )


def test_it_reports_refused_connections() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound but not listening: connections are refused
        error = _failure(f"http://127.0.0.1:{port}/")
    assert (error.code, error.reason) == ("connection_failed", "Could not connect to 127.0.0.1.")


def test_it_reports_names_that_do_not_resolve() -> None:
    def nowhere(*args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    error = _failure("https://nowhere.example/", resolver=nowhere)
    assert (error.code, error.reason) == ("connection_failed", "The address nowhere.example could not be found.")


# --- HTTPS: the checked address, the certificate's host name -----------------------------------------------------


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[HTTPServer, ssl.SSLContext]]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "secure.example")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("secure.example")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    (tmp_path / "cert.pem").write_bytes(pem)
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=server_context)
    server.start()
    yield server, ssl.create_default_context(cadata=pem.decode())
    server.clear()
    server.stop()


def test_it_verifies_tls_for_the_host_name_while_connecting_to_the_checked_address(
    tls_server: tuple[HTTPServer, ssl.SSLContext],
) -> None:
    server, client_context = tls_server
    server.expect_request("/statement", headers={"Host": f"secure.example:{server.port}"}).respond_with_data("tls ok")
    result = _fetch(
        f"https://secure.example:{server.port}/statement",
        resolver=_resolver_to("127.0.0.1"),
        ssl_context=client_context,
    )
    assert (result.status, result.body) == (200, b"tls ok")


def test_it_refuses_a_certificate_for_another_host(tls_server: tuple[HTTPServer, ssl.SSLContext]) -> None:
    server, client_context = tls_server
    error = _failure(
        f"https://other.example:{server.port}/", resolver=_resolver_to("127.0.0.1"), ssl_context=client_context
    )
    assert (error.code, error.reason) == (
        "connection_failed",
        "The security certificate of other.example could not be verified.",
    )


# --- address rules ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("8.8.8.8", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("169.254.169.254", False),
        ("0.0.0.0", False),  # noqa: S104
        ("255.255.255.255", False),
        ("239.1.1.1", False),
        ("::1", False),
        ("::", False),
        ("::ffff:10.0.0.1", False),
        ("::ffff:93.184.216.34", True),
        ("fd12:3456::1", False),
        ("ff02::1", False),
    ],
)
def test_it_knows_which_addresses_are_public(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


# --- homepage links -------------------------------------------------------------------------------------------------

HOMEPAGE = b"""<html><body>
<header><nav><a href="/legal">Legal</a> <a href="/about">About us</a></nav></header>
<main>
  <p>Read about <a href="/responsibility/supply-chain">our supply chain</a>.</p>
  <a href="/ca-supply-chains-act">CA</a>
</main>
<footer>
  <a href="https://acme.example/legal/california-transparency-in-supply-chains-act">California Transparency in
     Supply Chains Act</a>
  <a href="/modern-slavery-statement.pdf">Modern Slavery Statement</a>
  <a href="mailto:ethics@acme.example">Human trafficking hotline</a>
</footer>
</body></html>"""


def test_it_finds_disclosure_links_best_first() -> None:
    links = find_disclosure_links(HOMEPAGE, "https://acme.example/")
    assert [(link.url, link.placement, link.understandable, link.score) for link in links] == [
        ("https://acme.example/legal/california-transparency-in-supply-chains-act", "footer", True, 105),
        ("https://acme.example/modern-slavery-statement.pdf", "footer", True, 85),
        ("https://acme.example/responsibility/supply-chain", "body", True, 40),
        ("https://acme.example/ca-supply-chains-act", "body", False, 30),
    ]
    assert links[0].label == "California Transparency in Supply Chains Act"


def test_it_finds_no_links_on_a_page_without_any() -> None:
    assert find_disclosure_links(b"<html><body><a href='/shop'>Shop</a></body></html>", "https://acme.example/") == []
    assert find_disclosure_links(b"", "https://acme.example/") == []
