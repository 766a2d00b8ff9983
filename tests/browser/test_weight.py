"""Page weight on a slow, costly phone connection, measured in Chromium: the home
page and an article each transfer at most 30 KB (gzip; HTML, CSS, JS and fonts,
images aside), and no page asks any other host for anything."""

import pytest
from browser_tools import visit

pytestmark = pytest.mark.browser

BUDGET_BYTES = 30 * 1024
PAGES = {"accueil": "", "article": "2024/10/cmss-untm-formation-relations-professionnelles/"}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_weight_within_budget(browser, served_site, path):
    with visit(browser, served_site, path, wait_until="networkidle") as opened:
        assert len(opened.requests) >= 2  # the page and its stylesheet, at least
        transferred = opened.transferred_bytes()
        assert transferred <= BUDGET_BYTES, f"{transferred} octets transférés (budget {BUDGET_BYTES})"


@pytest.mark.parametrize("path", [*PAGES.values(), "recherche/"], ids=[*PAGES.keys(), "recherche"])
def test_no_request_to_another_host(browser, served_site, path):
    with visit(browser, served_site, path, wait_until="networkidle") as opened:
        assert opened.foreign_requests() == []


def test_search_scripts_stay_off_the_article_page(browser, served_site):
    with visit(browser, served_site, PAGES["article"], wait_until="networkidle") as opened:
        assert not [r.url for r in opened.requests if "pagefind" in r.url]
