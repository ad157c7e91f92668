"""Fetch a disclosure URL or a company homepage without letting the URL reach into our own network (SSRF).

Pure standard library, no Django. Each hop is resolved here, every address the name resolves to is checked
(private, loopback, link-local, multicast, reserved and unspecified ranges are refused, including IPv4 addresses
hidden inside IPv6 ones), and the connection goes to the very address that was checked, so a DNS answer that
changes between check and connect (rebinding) cannot slip through. TLS still verifies the certificate for the
host name (SNI), and the Host header names the host. Redirects are followed by hand and re-checked each time.
One deadline covers the whole fetch, however slowly the server drips bytes, and the body is capped while it
streams (compressed bodies too, after inflating).

``find_disclosure_links`` reads a homepage for the link the statute asks for: "a conspicuous and easily
understood link" to the disclosure.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

BAD_URL = "bad_url"
BAD_SCHEME = "bad_scheme"
PRIVATE_ADDRESS = "private_address"
TOO_LARGE = "too_large"
TOO_MANY_REDIRECTS = "too_many_redirects"
TIMEOUT = "timeout"
HTTP_ERROR = "http_error"
CONNECTION_FAILED = "connection_failed"
ERROR_CODES: tuple[str, ...] = (
    BAD_URL,
    BAD_SCHEME,
    PRIVATE_ADDRESS,
    TOO_LARGE,
    TOO_MANY_REDIRECTS,
    TIMEOUT,
    HTTP_ERROR,
    CONNECTION_FAILED,
)

USER_AGENT = "SupplyChainTransparencyChecker/1.0 (disclosure and homepage checks)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_MASK = 0xFFFFFFFF

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[..., list[tuple[Any, ...]]]


class FetchError(Exception):
    """A URL that could not be fetched. ``code`` is stable for programs, ``reason`` is for people."""

    def __init__(self, code: str, reason: str, *, status: int | None = None, url: str = "") -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.status = status
        self.url = url


@dataclass(frozen=True, slots=True)
class FetchResult:
    final_url: str
    status: int
    content_type: str
    body: bytes
    redirects: tuple[str, ...] = ()  # the URLs that answered with a redirect, in order


@dataclass(frozen=True, slots=True)
class _Target:
    url: str
    scheme: str
    host: str  # ASCII (IDNA) host name or IP literal, no brackets
    port: int
    path: str  # path and query, percent-encoded


@dataclass(frozen=True, slots=True)
class _Response:
    status: int
    reason: str
    content_type: str
    body: bytes
    location: str | None


def fetch_url(
    url: str,
    *,
    allow_private: bool,
    timeout: float,
    max_bytes: int,
    max_redirects: int,
    resolver: Resolver | None = None,
    ssl_context: ssl.SSLContext | None = None,
    allow_addresses: Collection[str] = (),
) -> FetchResult:
    """GET ``url`` and return the final response, or raise ``FetchError`` with a plain-language reason.

    ``allow_addresses`` exempts specific IPs from the private-address rule (a test server, an internal mirror)
    while every other address is still checked.
    """
    deadline = time.monotonic() + timeout
    # Looked up at call time, not bound at import: a test (or a deployment) that swaps the system resolver is obeyed.
    resolver = resolver or socket.getaddrinfo
    context = ssl_context or ssl.create_default_context()
    redirects: list[str] = []
    current = url
    while True:
        target = _parse_target(current)
        addresses = _resolve(target, resolver, allow_private=allow_private, allow_addresses=allow_addresses)
        response = _get(target, addresses, deadline=deadline, timeout=timeout, max_bytes=max_bytes, context=context)
        if response.location is None:
            break
        redirects.append(current)
        if len(redirects) > max_redirects:
            raise FetchError(
                TOO_MANY_REDIRECTS, f"The address redirected more than {max_redirects} times.", url=current
            )
        current = urljoin(current, response.location)
    if not 200 <= response.status < 300:  # noqa: PLR2004 - the success range
        raise FetchError(
            HTTP_ERROR,
            f"The server answered with HTTP {response.status} {response.reason}".rstrip() + ".",
            status=response.status,
            url=current,
        )
    return FetchResult(
        final_url=current,
        status=response.status,
        content_type=response.content_type,
        body=response.body,
        redirects=tuple(redirects),
    )


# --- addresses ------------------------------------------------------------------------------------------------


def _parse_target(url: str) -> _Target:
    if not url or any(ch.isspace() or ord(ch) < 32 for ch in url.strip()):  # noqa: PLR2004 - control characters
        raise FetchError(BAD_URL, "This is not a valid web address.", url=url)
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(BAD_SCHEME, "Only http:// and https:// addresses can be fetched.", url=url)
    if parts.username is not None or parts.password is not None:
        raise FetchError(BAD_URL, "Addresses with a user name or password in them are not accepted.", url=url)
    try:
        port = parts.port
        host = (parts.hostname or "").rstrip(".")
        ascii_host = host if _ip_literal(host) else host.encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        raise FetchError(BAD_URL, "This web address has an invalid host name or port.", url=url) from None
    if not ascii_host:
        raise FetchError(BAD_URL, "This web address has no host name.", url=url)
    scheme = parts.scheme.lower()
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=~-._")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=~-._?")
    return _Target(url=url, scheme=scheme, host=ascii_host, port=port or (443 if scheme == "https" else 80), path=path)


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def is_public_address(address: IPAddress) -> bool:
    """True only for globally routable unicast addresses; IPv4 embedded in IPv6 is judged as IPv4."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded: ipaddress.IPv4Address | None = address.ipv4_mapped or address.sixtofour
        if address.teredo:
            embedded = address.teredo[1]
        if address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & _IPV4_MASK)
        if embedded is not None:
            return is_public_address(embedded)
    refused = (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )
    return address.is_global and not refused


def _resolve(
    target: _Target, resolver: Resolver, *, allow_private: bool, allow_addresses: Collection[str]
) -> list[str]:
    literal = _ip_literal(target.host)
    if literal is not None:
        ips = [str(literal)]
    else:
        try:
            infos = resolver(target.host, target.port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise FetchError(
                CONNECTION_FAILED, f"The address {target.host} could not be found.", url=target.url
            ) from None
        ips = list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))
    if not ips:
        raise FetchError(CONNECTION_FAILED, f"The address {target.host} could not be found.", url=target.url)
    for ip in ips:
        # Every answer is checked, not just the first: a name may mix public and private addresses.
        if not (allow_private or ip in allow_addresses or is_public_address(ipaddress.ip_address(ip))):
            raise FetchError(
                PRIVATE_ADDRESS,
                f"{target.host} leads to a private or reserved network address; only public web addresses "
                "can be fetched.",
                url=target.url,
            )
    return ips


# --- HTTP -----------------------------------------------------------------------------------------------------


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked IP while the Host header keeps the host name."""

    def __init__(self, host: str, port: int, *, ip: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self) -> None:
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the checked IP; TLS verifies the certificate for the host name sent as SNI."""

    def __init__(self, host: str, port: int, *, ip: str, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._ip = ip
        self._tls = context

    def connect(self) -> None:
        sock = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


class _Watchdog:
    """Cuts the connection when the overall deadline passes, even mid-read of a server dripping one byte a time."""

    def __init__(self, connection: http.client.HTTPConnection, seconds: float) -> None:
        self.fired = threading.Event()
        self._connection = connection
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired.set()
        sock = self._connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed: nothing left to cut
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


def _get(
    target: _Target, ips: list[str], *, deadline: float, timeout: float, max_bytes: int, context: ssl.SSLContext
) -> _Response:
    failure: Exception | None = None
    for ip in ips:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        connection = _connection(target, ip, remaining, context)
        watchdog = _Watchdog(connection, remaining)
        try:
            return _exchange(connection, target, watchdog, deadline=deadline, max_bytes=max_bytes)
        except _ConnectFailedError as error:
            failure = error.__cause__  # try the host's next address
        except (OSError, http.client.HTTPException) as error:
            raise _transport_error(error, target, watchdog, timeout) from None
        finally:
            watchdog.cancel()
            connection.close()
    if failure is None or time.monotonic() >= deadline:
        raise FetchError(TIMEOUT, f"The server did not respond within {timeout:g} seconds.", url=target.url)
    raise _transport_error(failure, target, None, timeout)


class _ConnectFailedError(Exception):
    pass


def _connection(target: _Target, ip: str, remaining: float, context: ssl.SSLContext) -> http.client.HTTPConnection:
    if target.scheme == "https":
        return _PinnedHTTPSConnection(target.host, target.port, ip=ip, timeout=remaining, context=context)
    return _PinnedHTTPConnection(target.host, target.port, ip=ip, timeout=remaining)


def _exchange(
    connection: http.client.HTTPConnection, target: _Target, watchdog: _Watchdog, *, deadline: float, max_bytes: int
) -> _Response:
    try:
        connection.connect()
    except OSError as error:
        if isinstance(error, (TimeoutError, ssl.SSLError)) or watchdog.fired.is_set():
            raise
        raise _ConnectFailedError from error
    connection.request("GET", target.path, headers=_request_headers())
    response = connection.getresponse()
    try:
        return _read_response(response, watchdog, deadline=deadline, max_bytes=max_bytes, url=target.url)
    finally:
        # The response holds its own reference to the socket: close it, or an abandoned body keeps it open.
        response.close()


def _read_response(
    response: http.client.HTTPResponse, watchdog: _Watchdog, *, deadline: float, max_bytes: int, url: str
) -> _Response:
    location = response.getheader("Location") if response.status in REDIRECT_STATUSES else None
    if location:
        return _Response(response.status, response.reason, "", b"", location.strip())
    declared = response.getheader("Content-Length") or ""
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(TOO_LARGE, _too_large_reason(max_bytes), status=response.status, url=url)
    body = _read_capped(response, watchdog, deadline=deadline, max_bytes=max_bytes, url=url)
    body = _decode_content(body, response.getheader("Content-Encoding"), max_bytes=max_bytes, url=url)
    return _Response(response.status, response.reason, response.getheader("Content-Type") or "", body, None)


def _request_headers() -> dict[str, str]:
    return {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5",
        "Accept-Encoding": "identity",  # a compressed body could be a zip bomb; we inflate only under a cap
        "Connection": "close",
    }


def _read_capped(
    response: http.client.HTTPResponse, watchdog: _Watchdog, *, deadline: float, max_bytes: int, url: str
) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(TOO_LARGE, _too_large_reason(max_bytes), status=response.status, url=url)
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise TimeoutError
    if watchdog.fired.is_set():
        raise TimeoutError  # the watchdog's shutdown looks like an end of body; it is not
    return b"".join(chunks)


def _decode_content(body: bytes, encoding: str | None, *, max_bytes: int, url: str) -> bytes:
    encoding = (encoding or "identity").strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(HTTP_ERROR, f"The server sent the page in an encoding we cannot read ({encoding}).", url=url)
    inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
    try:
        inflated = inflater.decompress(body, max_bytes + 1)
    except zlib.error:
        raise FetchError(HTTP_ERROR, "The server sent a damaged compressed response.", url=url) from None
    if len(inflated) > max_bytes or inflater.unconsumed_tail:
        raise FetchError(TOO_LARGE, _too_large_reason(max_bytes) + " (once decompressed)", url=url)
    return inflated


def _too_large_reason(max_bytes: int) -> str:
    return f"The page is larger than the {max_bytes / 2**20:.1f} MB limit"


def _transport_error(error: BaseException, target: _Target, watchdog: _Watchdog | None, timeout: float) -> FetchError:
    if isinstance(error, FetchError):
        return error
    if isinstance(error, TimeoutError) or (watchdog is not None and watchdog.fired.is_set()):
        return FetchError(TIMEOUT, f"The server did not respond within {timeout:g} seconds.", url=target.url)
    if isinstance(error, ssl.SSLCertVerificationError):
        return FetchError(
            CONNECTION_FAILED, f"The security certificate of {target.host} could not be verified.", url=target.url
        )
    return FetchError(CONNECTION_FAILED, f"Could not connect to {target.host}.", url=target.url)


# --- homepage links -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DisclosureLink:
    url: str
    label: str
    placement: str  # "header" | "footer" | "body"
    understandable: bool  # the label itself says supply chain, slavery or trafficking
    score: int


_LABEL_SCORES: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(pattern, re.I), score)
    for pattern, score in (
        (r"california\s+transparency\s+in\s+(?:the\s+)?supply\s+chains?(?:\s+act)?", 100),
        (r"transparency\s+in\s+(?:the\s+)?supply\s+chains?", 90),
        (r"\b(?:ca|calif\.?|california)\b.{0,25}supply\s+chains?", 85),
        (r"supply\s+chains?\s+(?:disclosure|transparency|act|statement)", 80),
        (r"slavery(?:\s+and\s+human\s+trafficking)?\s+(?:statement|act|disclosure)", 80),
        (r"human\s+trafficking|anti[-\s]?slavery|modern\s+slavery", 70),
        (r"forced\s+labou?r|\bsb\s?-?657\b", 60),
        (r"supply\s+chains?", 40),
    )
)
_URL_HINT = re.compile(r"supply[-_]?chain|slavery|trafficking|sb[-_]?657|ctsca|transparency", re.I)
_UNDERSTANDABLE = re.compile(r"supply\s+chain|slavery|trafficking|forced\s+labou?r", re.I)
_HEADER_HINT = re.compile(r"(?:^|[\s_-])(header|masthead|nav|navbar|navigation|menu|topbar)(?=$|[\s_-])", re.I)
_FOOTER_HINT = re.compile(r"(?:^|[\s_-])(footer|colophon|bottom|legal)(?=$|[\s_-])", re.I)
_EDGE_BONUS = 5  # header and footer links are where people and the statute expect them


def find_disclosure_links(html: bytes, base_url: str) -> list[DisclosureLink]:
    """Links on a homepage that lead to a supply-chain disclosure, best first."""
    from disclosures.core.extraction import ExtractionError, parse_html  # lxml is only needed here

    try:
        root = parse_html(html)
    except ExtractionError:
        return []
    best: dict[str, DisclosureLink] = {}
    for anchor in root.iter("a"):
        link = _disclosure_link(anchor, base_url)
        if link is not None and (link.url not in best or link.score > best[link.url].score):
            best[link.url] = link
    return sorted(best.values(), key=lambda link: -link.score)


def _disclosure_link(anchor: Any, base_url: str) -> DisclosureLink | None:
    href = (anchor.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    label = " ".join(anchor.text_content().split()) or _alternative_label(anchor)
    score = next((points for pattern, points in _LABEL_SCORES if pattern.search(label)), 0)
    if score == 0 and _URL_HINT.search(href):
        score = 30  # a vague label ("CA", "Legal") over a telling URL: found, but not easily understood
    if score == 0:
        return None
    placement = _placement(anchor)
    return DisclosureLink(
        url=urljoin(base_url, href),
        label=label,
        placement=placement,
        understandable=_UNDERSTANDABLE.search(label) is not None,
        score=score + (_EDGE_BONUS if placement != "body" else 0),
    )


def _alternative_label(anchor: Any) -> str:
    for value in (anchor.get("aria-label"), anchor.get("title")):
        if value and value.strip():
            return " ".join(value.split())
    image = anchor.find(".//img")
    return " ".join((image.get("alt") or "").split()) if image is not None else ""


def _placement(anchor: Any) -> str:
    for element in anchor.iterancestors():
        tag = element.tag if isinstance(element.tag, str) else ""
        role = (element.get("role") or "").lower()
        hints = f"{element.get('id') or ''} {element.get('class') or ''}"
        if tag == "footer" or role == "contentinfo" or _FOOTER_HINT.search(hints):
            return "footer"
        if tag in ("header", "nav") or role in ("banner", "navigation") or _HEADER_HINT.search(hints):
            return "header"
    return "body"
