"""How long a reader on 2G waits for a release: the same article of a synthetic archive, in our
full page, our lite page and plain Pelican's default theme, opened by Chromium with the network
slowed down by the DevTools Protocol (``Network.emulateNetworkConditions``: 250 kbit/s, 300 ms
of latency), on a 360 px screen, with an empty cache. ``invoke bench`` prints the times; no test
asserts them (they depend on the machine)."""

import contextlib
import dataclasses
import pathlib
import shutil
import statistics
import sys
import tempfile

from babel.numbers import format_decimal

from pressroom.settings import DEFAULTS
from pressroom.tools import bench
from pressroom.tools.localserver import serve

NETWORK_2G = {"offline": False, "latency": 300, "downloadThroughput": 250_000 / 8, "uploadThroughput": 50_000 / 8}
ARCHIVE_ARTICLES = 30
TIMEOUT_MS = 300_000  # a whole page over 2G may take long; the measure waits for it


@dataclasses.dataclass
class Reading:
    """One page: seconds to its first text on screen (title and chapô), to its last byte, and bytes."""

    label: str
    first_text: float
    loaded: float
    transferred: int

    def line(self):
        def seconds(value):
            return format_decimal(value, format="0.0", locale=DEFAULTS["BABEL_LOCALE"])

        kilobytes = format_decimal(self.transferred / 1024, format="0", locale=DEFAULTS["BABEL_LOCALE"])
        return (
            f"{self.label} : titre et chapô affichés en {seconds(self.first_text)} s, "
            f"page entière en {seconds(self.loaded)} s ({kilobytes} Ko transférés)"
        )


TIMINGS = """() => {
    const navigation = performance.getEntriesByType("navigation")[0];
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    const resources = performance.getEntriesByType("resource");
    return [paint ? paint.startTime : navigation.loadEventEnd, navigation.loadEventEnd,
            resources.reduce((sum, r) => sum + r.transferSize, navigation.transferSize)];
}"""


def open_on_2g(browser, base_url, path):
    """[first text ms, load ms, bytes] of one visit with an empty cache and no service worker."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, service_workers="block")
    context.route(lambda url: not url.startswith(base_url), lambda route: route.abort())  # nothing leaves
    try:
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        devtools.send("Network.enable")
        devtools.send("Network.emulateNetworkConditions", NETWORK_2G)
        page.goto(base_url + path, wait_until="load", timeout=TIMEOUT_MS)
        return page.evaluate(TIMINGS)
    finally:
        context.close()


def measure(browser, label, folder, path, trials):
    with serve(folder) as base_url:
        visits = [open_on_2g(browser, base_url, path) for _ in range(trials)]
    first, loaded, transferred = (statistics.median(values) for values in zip(*visits))
    return Reading(label, first / 1000, loaded / 1000, int(transferred))


def built_sites(folder):
    """Our site and plain Pelican's, built from one synthetic archive; the newest article's paths."""
    content = folder / "content"
    paths = bench.generate_archive(content, ARCHIVE_ARTICLES)
    newest = max(paths, key=lambda path: path.read_text(encoding="utf-8").split("\nDate: ")[1][:16])
    slug = newest.read_text(encoding="utf-8").split("\nSlug: ")[1].split("\n")[0]
    bench.measure("full", content, folder / "full", folder / "full-cache")
    bench.measure("plain", content, folder / "plain", folder / "plain-cache")
    ours = next((folder / "full").glob(f"[0-9]*/[0-9]*/{slug}/index.html")).parent.relative_to(folder / "full")
    return ours.as_posix() + "/", f"{slug}.html"


@contextlib.contextmanager
def started_chromium():
    """The system Chromium, driven by Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise bench.BuildFailed("Playwright est introuvable (pip install -r requirements.txt)") from None
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise bench.BuildFailed("Chromium est introuvable (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield browser
        finally:
            browser.close()


def reading_report(out=sys.stdout, trials=3, workdir=None, browser=None):
    """Measure and print the 2G reading times; return the Readings. Without ``browser``, the
    system Chromium is started for the measure."""
    with tempfile.TemporaryDirectory(prefix="lecture-2g-", dir=workdir) as folder:
        folder = pathlib.Path(folder)
        ours, plain = built_sites(folder)
        pages = [
            ("Page complète (notre thème)", folder / "full", ours),
            ("Version légère", folder / "full", DEFAULTS["LITE_URL"] + ours),
            ("Pelican seul (thème par défaut)", folder / "plain", plain),
        ]
        if browser is not None:
            readings = [measure(browser, *page, trials) for page in pages]
        else:
            with started_chromium() as started:
                readings = [measure(started, *page, trials) for page in pages]
    print(
        f"Lecture d'un communiqué en 2G (250 kbit/s, 300 ms de latence), écran de 360 px, "
        f"cache vide, médiane de {trials} essais :",
        file=out,
    )
    for reading in readings:
        print(f"  {reading.line()}", file=out, flush=True)
    return readings
