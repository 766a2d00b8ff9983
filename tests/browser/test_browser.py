"""In headless Chromium: accessibility (axe-core, WCAG 2.1 AA), the search page
finding the seed article, the skip link and visible focus, the page without
JavaScript, and screenshots at phone and desktop widths for a person to look at."""

import struct

import pytest
from browser_tools import Visit, artifacts_folder, visit

pytestmark = pytest.mark.browser

HOME = ""
ARTICLE = "2024/10/cmss-untm-formation-relations-professionnelles/"
INSTITUTION = "institutions/cmss/"
SEARCH = "recherche/"
AGENDA = "agenda/"
MONTH = "agenda/2019/11/"
SCREENSHOT_WIDTHS = (360, 1280)


def search_for(page, words):
    page.fill(".pagefind-ui__search-input", words)
    page.wait_for_selector(".pagefind-ui__result-link")
    links = page.query_selector_all(".pagefind-ui__result-link")
    return [(link.inner_text(), link.get_attribute("href")) for link in links]


@pytest.mark.parametrize("path", [HOME, ARTICLE, INSTITUTION, AGENDA, MONTH, SEARCH])
def test_no_accessibility_violation(browser, served_site, path):
    with visit(browser, served_site, path) as opened:
        assert opened.axe_violations() == []


def test_search_for_formation_finds_the_training_session(browser, served_site):
    with visit(browser, served_site, SEARCH) as opened:
        results = search_for(opened.page, "formation")
        assert any("relations professionnelles" in title and href.endswith("/" + ARTICLE) for title, href in results), (
            results
        )
        assert opened.axe_violations() == []  # the results and filters drawn by Pagefind


def test_search_ui_speaks_french_and_filters_by_institution_and_year(browser, served_site):
    with visit(browser, served_site, SEARCH) as opened:
        page = opened.page
        assert page.get_attribute(".pagefind-ui__search-input", "placeholder") == "Rechercher"
        search_for(page, "formation")
        # Pagefind draws each filter on its own, in no fixed order, after the results: wait for each
        # (a filter that never comes fails the wait).
        for name in ("Institution", "Année", "Type"):
            page.locator(".pagefind-ui__filter-name", has_text=name).wait_for()
        filter_names = page.locator(".pagefind-ui__filter-name").all_inner_texts()
        assert {"Institution", "Année", "Type"} <= {name.strip() for name in filter_names}, filter_names
        assert "résultat" in page.inner_text(".pagefind-ui__message")


def test_institution_filter_narrows_the_results(browser, served_site):
    with visit(browser, served_site, SEARCH) as opened:
        page = opened.page
        assert len(search_for(page, "formation")) > 1
        page.locator(".pagefind-ui__filter-name", has_text="Institution").click()
        page.get_by_label("CMSS", exact=False).first.check()
        page.wait_for_function("document.querySelectorAll('.pagefind-ui__result-link').length === 1")
        assert page.get_attribute(".pagefind-ui__result-link", "href").endswith("/" + ARTICLE)


def test_search_runs_the_query_given_in_the_address(browser, served_site):
    with visit(browser, served_site, SEARCH + "?q=formation") as opened:
        opened.page.wait_for_selector(".pagefind-ui__result-link")
        assert opened.page.input_value(".pagefind-ui__search-input") == "formation"


def test_search_page_without_javascript_says_how_to_browse(browser, served_site):
    with visit(browser, served_site, SEARCH, javascript=False) as opened:
        text = opened.page.inner_text("main")
        assert "JavaScript" in text
        for name in ("archives", "thèmes", "institutions"):
            assert opened.page.get_by_role("link", name=name, exact=True).is_visible()


def test_skip_link_appears_on_first_tab_and_moves_focus_to_content(browser, served_site):
    with visit(browser, served_site, HOME) as opened:
        page = opened.page
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        assert focused == "skip-link"
        box = page.locator(".skip-link").bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0
        page.screenshot(path=str(artifacts_folder() / "accueil-lien-evitement.png"))
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "contenu"


def test_focused_link_has_a_visible_outline(browser, served_site):
    with visit(browser, served_site, ARTICLE) as opened:
        page = opened.page
        for _ in range(3):  # skip link, site name, first menu item
            page.keyboard.press("Tab")
        style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                                 return {tag: document.activeElement.tagName, style: s.outlineStyle,
                                         width: parseFloat(s.outlineWidth)}; }""")
        assert style["tag"] == "A" and style["style"] != "none" and style["width"] >= 2, style


def png_size(path):
    with open(path, "rb") as image:
        header = image.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("width", SCREENSHOT_WIDTHS)
@pytest.mark.parametrize("name, path", [("accueil", HOME), ("article", ARTICLE)])
def test_screenshot_fits_the_width(browser, served_site, name, path, width):
    opened = Visit(browser, served_site, width=width)
    try:
        page = opened.open(path)
        target = artifacts_folder() / f"{name}-{width}px.png"
        page.screenshot(path=str(target), full_page=True)
        assert png_size(target)[0] == width
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "défilement horizontal"
    finally:
        opened.close()
