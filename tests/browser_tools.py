"""Headless Chromium on the built site: a local HTTP server that gzips text as a
real web server does, one Playwright browser (the system Chromium, no download),
and page visits that record every request the page makes."""

import contextlib
import os
import pathlib

from tools import AXE_JS, CHROMIUM_FLAGS, ROOT, chromium, require

from pressroom.tools.localserver import GzipRequestHandler, serve  # noqa: F401 (the tests import them from here)

WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def artifacts_folder():
    """Where screenshots go: $TEST_ARTIFACTS, or test-artifacts/ (ignored by git)."""
    folder = pathlib.Path(os.environ.get("TEST_ARTIFACTS", ROOT / "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextlib.contextmanager
def headless_chromium():
    """One Playwright browser on the system Chromium."""
    executable = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright (pip install -r requirements.txt)")
    flags = [flag for flag in CHROMIUM_FLAGS if flag != "--headless"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=flags)
        try:
            yield browser
        finally:
            browser.close()


class Visit:
    """A page opened in a fresh browser context, with every request it made.
    Requests to any other host are recorded and blocked, so a test never leaves the machine."""

    def __init__(self, browser, base_url, width=1280, javascript=True, wait_until="load"):
        self.base_url, self.wait_until = base_url, wait_until
        # No service worker: what it keeps for offline reading, in the background after the page has
        # loaded, is not the page's weight (tests/browser/test_lite_browser.py tests the worker).
        self.context = browser.new_context(
            viewport={"width": width, "height": 800}, java_script_enabled=javascript, service_workers="block"
        )
        self.requests = []
        self.context.on("request", lambda request: self.requests.append(request))
        self.context.route(lambda url: not url.startswith(base_url), lambda route: route.abort())
        self.page = self.context.new_page()

    def open(self, path):
        response = self.page.goto(self.base_url + path, wait_until=self.wait_until)
        assert response.ok, f"{path} : HTTP {response.status}"
        return self.page

    def close(self):
        self.context.close()

    def foreign_requests(self):
        return [r.url for r in self.requests if not r.url.startswith((self.base_url, "data:", "blob:"))]

    def transferred_bytes(self, skip_types=("image",)):
        """Bytes received (headers + compressed body) for every request, images aside."""
        total = 0
        for request in self.requests:
            if request.resource_type in skip_types or request.url.endswith("/favicon.ico"):
                continue
            sizes = request.sizes()
            total += sizes["responseHeadersSize"] + sizes["responseBodySize"]
        return total

    def axe_violations(self, tags=WCAG_AA_TAGS):
        """axe-core violations at the given WCAG tags, as readable strings."""
        require(AXE_JS.exists(), "axe-core (npm ci)")
        self.page.add_script_tag(path=str(AXE_JS))
        violations = self.page.evaluate(
            """tags => axe.run(document, {runOnly: {type: "tag", values: tags}}).then(result =>
                 result.violations.map(v => `${v.id} (${v.impact}) : ${v.help} — ` +
                   v.nodes.map(n => n.target.join(" ")).join(", ")))""",
            tags,
        )
        return violations


@contextlib.contextmanager
def visit(browser, base_url, path="", **options):
    """Open a page, yield the Visit, close its context."""
    opened = Visit(browser, base_url, **options)
    try:
        opened.open(path)
        yield opened
    finally:
        opened.close()
