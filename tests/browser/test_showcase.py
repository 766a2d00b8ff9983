"""The press content model in headless Chromium: an article with a photo,
attachments and corrections, a withdrawn release, a press invitation and the
contacts page — axe at phone and desktop widths, the Nu validator, screenshots
for a person to look at, the photo budget at 360 px, and the compact header."""

import pytest
from browser_tools import Visit, artifacts_folder, serve
from showcase import INVITATION_URL, PHOTO_URL, WITHDRAWN_URL, build_showcase
from tools import validate_html

pytestmark = pytest.mark.browser

PHOTO_BUDGET_BYTES = 100 * 1024
PAGES = {
    "communique-photo": PHOTO_URL,
    "communique-retire": WITHDRAWN_URL,
    "invitation-presse": INVITATION_URL,
    "contacts-presse": "contacts-presse/",
    "accessibilite": "accessibilite/",
}
WIDTHS = (360, 1280)


@pytest.fixture(scope="module")
def showcase_built(tmp_path_factory):
    return build_showcase(tmp_path_factory.mktemp("vitrine"))


@pytest.fixture(scope="module")
def showcase_url(showcase_built):
    with serve(showcase_built.output) as base_url:
        yield base_url


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_no_accessibility_violation_and_a_screenshot(browser, showcase_url, name, width):
    opened = Visit(browser, showcase_url, width=width, wait_until="networkidle")
    try:
        page = opened.open(PAGES[name])
        page.screenshot(path=str(artifacts_folder() / f"{name}-{width}px.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "défilement horizontal"
        assert opened.axe_violations() == []
    finally:
        opened.close()


def test_pages_are_valid_html(showcase_built):
    paths = [showcase_built.output / url / "index.html" for url in PAGES.values()]
    assert validate_html(paths) == []


def test_article_with_its_photo_within_budget_at_360px(browser, showcase_url):
    opened = Visit(browser, showcase_url, width=360, wait_until="networkidle")
    try:
        opened.open(PHOTO_URL)
        photos = [r.url for r in opened.requests if r.resource_type == "image"]
        assert len(photos) == 1 and photos[0].endswith("/360.webp"), photos
        transferred = opened.transferred_bytes(skip_types=())
        assert transferred <= PHOTO_BUDGET_BYTES, f"{transferred} octets transférés (budget {PHOTO_BUDGET_BYTES})"
    finally:
        opened.close()


def test_title_and_first_lines_fit_the_first_phone_screen(browser, showcase_url):
    opened = Visit(browser, showcase_url, width=360)
    try:
        page = opened.open("2024/10/cmss-untm-formation-relations-professionnelles/")
        header = page.locator(".site-header").bounding_box()
        chapo = page.locator(".chapo").bounding_box()
        assert header["height"] <= 110, header
        assert chapo["y"] + 40 <= 800, chapo  # the chapô starts on the first screen (800 px high)
    finally:
        opened.close()


def test_search_results_show_date_institutions_and_a_type_filter(browser, showcase_url):
    opened = Visit(browser, showcase_url, width=360)
    try:
        page = opened.open("recherche/")
        page.fill(".pagefind-ui__search-input", "barème")
        page.wait_for_selector(".pagefind-ui__result-link")
        meta = page.locator(".pagefind-ui__result .result-meta").first.inner_text()
        assert meta == "lundi 10 mars 2025 · INPS", meta
        filters = {name.strip() for name in page.locator(".pagefind-ui__filter-name").all_inner_texts()}
        assert "Type" in filters, filters
        assert opened.axe_violations() == []
    finally:
        opened.close()
