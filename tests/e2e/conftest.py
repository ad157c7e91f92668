"""Real-browser fixtures: one Debian Chromium for the package, a fresh context per test on a desktop and a phone.

Playwright cannot download its own browser on these machines, so it drives the system Chromium
(``CHROMIUM_PATH``). Tests skip (tests/conftest.py) only when that binary is absent outside CI.

Helpers every journey uses:

* ``axe_check(page)``: axe-core with the WCAG 2.1 A/AA rules, zero violations, a readable report otherwise;
* ``assert_clean_console(page)``: no console error, uncaught exception or Content-Security-Policy violation;
* ``snap(journey, step)``: a full-page screenshot ``<journey>-<viewport>-<step>.png`` under ``SCREENSHOT_DIR``;
* ``sign_in(page, username, password)``: the real sign-in form.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import pytest

from tests.conftest import CHROMIUM_PATH

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from such a thread
# unless told that the caller knows what it is doing (djangoproject.com's e2e tests do the same).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Bounded waits: a state that does not come within this is a failure, never a reason to wait longer.
TIMEOUT_MS = 15_000
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    is_mobile: bool = False

    def context_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {"viewport": {"width": self.width, "height": self.height}}
        if self.is_mobile:
            options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
        return options


DESKTOP = Viewport("desktop", 1280, 800)
PHONE = Viewport("phone", 360, 740, is_mobile=True)


@dataclass
class ConsoleLog:
    """What the page complained about: console errors, uncaught exceptions and CSP violations."""

    errors: list[str] = field(default_factory=list)

    def watch(self, page: Any) -> None:
        page.on("console", lambda message: self._console(message))
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console error: {message.text} ({message.location.get('url', '')})")


_LOGS: WeakKeyDictionary[Any, ConsoleLog] = WeakKeyDictionary()

# Runs before any page script; the CSP event is the only reliable signal for a blocked inline style or script.
_CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
    " at " + event.sourceFile + ":" + event.lineNumber);
});
"""


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One Chromium for all of tests/e2e. Package scope, not session: a running sync Playwright owns the thread's
    event loop, and browser tests elsewhere (tests/integration/test_search_browser.py) start their own."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        sync_api.expect.set_options(timeout=TIMEOUT_MS)
        yield launched
        launched.close()


@pytest.fixture(params=[DESKTOP, PHONE], ids=lambda viewport: viewport.name)
def viewport(request: pytest.FixtureRequest) -> Viewport:
    return request.param


@pytest.fixture
def page(browser: Any, live_server: Any, viewport: Viewport) -> Iterator[Any]:
    """A fresh context (no cookies, no storage) per test, pointed at the live server."""
    context = browser.new_context(base_url=live_server.url, locale="en-US", **viewport.context_options())
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(_CSP_LISTENER)
    new_page = context.new_page()
    log = ConsoleLog()
    log.watch(new_page)
    _LOGS[new_page] = log
    yield new_page
    context.close()


def screenshot_dir() -> Path:
    directory = Path(os.environ.get("SCREENSHOT_DIR", "artifacts/screenshots"))
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def snap(page: Any, viewport: Viewport) -> Callable[[str, str], Path]:
    """``snap("shopper", "company")`` saves ``shopper-phone-company.png``; returns the path."""

    def save(journey: str, step: str) -> Path:
        path = screenshot_dir() / f"{_slug(journey)}-{viewport.name}-{_slug(step)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def axe_check(page: Any) -> None:
    """Fail with a readable list when axe-core finds any WCAG 2.1 A/AA violation on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    violations = results.response["violations"]
    assert not violations, f"axe on {page.url}:\n" + "\n".join(_describe(violation) for violation in violations)


def _describe(violation: dict[str, Any]) -> str:
    nodes = "\n".join(
        f"      {', '.join(map(str, node['target']))}: {node.get('failureSummary', '').replace(chr(10), ' ')}"
        for node in violation["nodes"][:5]
    )
    return f"  - {violation['id']} ({violation['impact']}): {violation['help']}\n{nodes}"


def assert_clean_console(page: Any) -> None:
    """No console error, uncaught exception or CSP violation since the page was opened."""
    problems = list(_LOGS.get(page, ConsoleLog()).errors)
    problems += [f"CSP: {item}" for item in page.evaluate("window.__cspViolations || []")]
    assert not problems, f"the browser complained on {page.url}:\n" + "\n".join(problems)


def sign_in(page: Any, username: str, password: str) -> None:
    """Signs in through the real form (checked with axe on the way) and waits until the sign-in page has gone."""
    page.goto("/accounts/login/")
    axe_check(page)
    # By id, not by label: the same helper signs in on the Spanish pages.
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#login-submit").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def demo_password(username: str) -> str:
    from disclosures.services.demo import DEMO_USERS

    return next(user.password for user in DEMO_USERS if user.username == username)


def focus_is_visible(page: Any) -> bool:
    """The focused element draws a focus indicator (an outline that is not ``none`` and has a width)."""
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
        }"""
    )


def tab_until(page: Any, selector: str, limit: int = 40) -> list[str]:
    """Presses Tab until ``selector`` has focus; returns what got focus on the way (fails after ``limit``)."""
    visited = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        visited.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return visited
    raise AssertionError(f"{selector} never got focus in {limit} Tab presses; visited {visited}")
