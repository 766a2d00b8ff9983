"""The lite edition and offline reading in headless Chromium: axe-core finds nothing on the lite
pages, at phone and desktop widths (screenshots for a person to look at); the inline CSS is the one
nginx's policy allows by hash. Offline: a server the test stops and starts again on the same port;
the service worker, registered by the full pages, serves three pages read before, marked « Lu hors
ligne », then, once the site publishes a change, the new page and a new worker version."""

import base64
import hashlib
import io
import re
import socket

import pytest
from browser_tools import artifacts_folder, serve, visit
from conftest import ROOT, build_site, copy_content

from pressroom.settings import DEFAULTS
from pressroom.tools import reading

pytestmark = pytest.mark.browser

LITE = DEFAULTS["LITE_URL"]
ARTICLE = "2024/10/cmss-untm-formation-relations-professionnelles/"
LITE_PAGES = {
    "accueil": LITE,
    "article": LITE + ARTICLE,
    "institution": LITE + "institutions/cmss/",
    "agenda": LITE + "agenda/",
    "contacts": LITE + "contacts-presse/",
}
WIDTHS = (360, 1280)
OFFLINE_MARK = "Lu hors ligne — version du"
TIMEOUT_MS = 30_000


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", LITE_PAGES.values(), ids=LITE_PAGES.keys())
def test_no_accessibility_violation_on_lite_pages(browser, served_site, path, width):
    with visit(browser, served_site, path, width=width) as opened:
        assert opened.page.evaluate("document.scripts.length") == 0  # before axe adds its own
        assert opened.axe_violations() == []


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_a_lite_and_a_full_release(browser, served_site, width):
    for name, path in (("legere", LITE + ARTICLE), ("complete", ARTICLE)):
        with visit(browser, served_site, path, width=width) as opened:
            target = artifacts_folder() / f"article-{name}-{width}.png"
            opened.page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 1000


def test_the_inline_css_is_the_one_the_server_policy_allows(built_site):
    page = (built_site.output / LITE / "index.html").read_text(encoding="utf-8")
    css = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
    assert f"'sha256-{digest}'" in (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")


# --- Offline reading ---------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def worker_version(output):
    return re.search(r'const VERSION = "([0-9a-f]+)"', (output / "sw.js").read_text(encoding="utf-8")).group(1)


def wait_for_worker(page, version, seconds=30):
    """Wait until the worker of ``version`` controls the page, every other version's pages dropped
    (it activates only once it has kept its pages)."""
    check = """version => navigator.serviceWorker.ready.then(() => caches.keys()).then(names =>
        !!navigator.serviceWorker.controller && names.join() === `pressroom-${version}`)"""
    for _ in range(seconds * 5):
        if page.evaluate(check, version):
            return
        page.wait_for_timeout(200)
    pytest.fail(f"le service worker {version} ne s'est pas installé")


KEPT_URLS = "caches.keys().then(n => caches.open(n[0])).then(c => c.keys()).then(r => r.map(x => x.url))"


def read(page, url):
    page.goto(url, timeout=TIMEOUT_MS)
    return page.inner_text("h1"), page.inner_text("body")


def test_pages_read_before_are_served_offline_and_a_publication_updates_the_worker(browser, tmp_path):
    content = copy_content(tmp_path / "content")
    output = tmp_path / "output"
    assert build_site(content, output).status == 0
    first_version, port = worker_version(output), free_port()
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        with serve(output, port) as base:
            page.goto(base, timeout=TIMEOUT_MS)
            wait_for_worker(page, first_version)
            online = {path: read(page, base + path)[0] for path in ("", ARTICLE, LITE + ARTICLE)}
            page.goto(base + "recherche/?q=formation", timeout=TIMEOUT_MS)
            page.wait_for_selector(".pagefind-ui__result-link", timeout=TIMEOUT_MS)
            kept = page.evaluate("caches.keys().then(names => Promise.all(names.map(n => caches.open(n)"
                                 ".then(c => c.keys())))).then(lists => lists.flat().map(r => r.url))")  # fmt: skip
            assert not [url for url in kept if "/pagefind/" in url]  # the search index is never kept
        for path, title in online.items():  # the server is stopped
            heading, text = read(page, base + path)
            assert heading == title and OFFLINE_MARK in text, path
            page.screenshot(
                path=str(artifacts_folder() / f"hors-ligne-{path.strip('/').replace('/', '-')[:40] or 'accueil'}.png")
            )

        source = content / "articles" / "2024" / "cmss-untm-formation-relations-professionnelles.md"
        source.write_text(
            source.read_text(encoding="utf-8").replace("Title: CMSS :", "Title: CMSS (mis à jour) :", 1),
            encoding="utf-8",
        )
        assert build_site(content, output).status == 0
        second_version = worker_version(output)
        assert second_version != first_version
        with serve(output, port):
            heading, text = read(page, base + ARTICLE)
            assert "(mis à jour)" in heading and OFFLINE_MARK not in text  # network first
            page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
            wait_for_worker(page, second_version)
        heading, text = read(page, base + ARTICLE)  # stopped again: the new version was kept
        assert "(mis à jour)" in heading and OFFLINE_MARK in text
    finally:
        context.close()


def test_the_2g_reading_measure_prints_the_three_pages(browser, tmp_path):
    out = io.StringIO()
    readings = reading.reading_report(out=out, trials=1, workdir=tmp_path, browser=browser)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Lecture d'un communiqué en 2G (250 kbit/s, 300 ms de latence)")
    labels = ["Page complète (notre thème)", "Version légère", "Pelican seul (thème par défaut)"]
    assert [r.label for r in readings] == labels
    for label, line in zip(labels, lines[1:]):
        assert re.fullmatch(rf"  {re.escape(label)} : titre et chapô affichés en \d+,\d s, page entière en "
                            r"\d+,\d s \(\d+ Ko transférés\)", line), line  # fmt: skip
    lite, full = readings[1], readings[0]
    assert 0 < lite.transferred < full.transferred  # bytes, not time: the same on any machine


def test_pages_kept_as_they_are_read_are_bounded(browser, tmp_path):
    content = copy_content(tmp_path / "content")
    output = tmp_path / "output"
    assert build_site(content, output, offline_max_read=1).status == 0
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        with serve(output) as base:
            page.goto(base, timeout=TIMEOUT_MS)
            wait_for_worker(page, worker_version(output))
            for path in (LITE + "agenda/", LITE + "contacts-presse/"):
                read(page, base + path)
            first, last = base + LITE + "agenda/", base + LITE + "contacts-presse/"
            for _ in range(150):  # the worker keeps a page once it has sent it: 30 s at most
                kept = page.evaluate(KEPT_URLS)
                if last in kept and first not in kept:
                    break
                page.wait_for_timeout(200)
        assert last in kept and first not in kept  # the oldest page read went first
        assert base + ARTICLE in kept  # kept ahead, never dropped
    finally:
        context.close()
