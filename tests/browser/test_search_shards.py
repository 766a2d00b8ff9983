"""In headless Chromium: the search index in one bundle per year, merged by the search page.
Releases of past years, whose bundles are not the one the page loads, are found, and the
year and institution filters count and narrow the results of every bundle."""

import pytest
from browser_tools import serve, visit
from conftest import build_site, copy_content, write_article

pytestmark = pytest.mark.browser

WORD = "baobabesque"  # in two old releases only, each in a year of its own
OLD_RELEASES = {  # year -> (institution, slug)
    "2016": ("CMSS", "cmss-assemblee-baobab"),
    "2020": ("INPS", "inps-journee-baobab"),
}


RELEASE = """Title: Rencontre annuelle {year} de la {institution}
Date: {year}-03-15
Author: Service communication
Institutions: {institution}
Tags: rencontre
Category: Communiqué de presse
Summary: Une rencontre.
Slug: {slug}
Lang: fr

Les participants ont parlé de la politique {word} de l'institution.
"""


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("tranches")
    content = copy_content(base / "content")
    for year, (institution, slug) in OLD_RELEASES.items():
        text = RELEASE.format(year=year, institution=institution, slug=slug, word=WORD)
        write_article(content, f"{year}/{slug}.md", text)
    built = build_site(content, base / "output", gzip_copies=False)
    assert built.status == 0, built.messages
    shards = sorted(p.name for p in (built.output / "pagefind").iterdir())
    assert {"2016", "2020"} <= set(shards) and max(shards) not in OLD_RELEASES, shards
    with serve(built.output) as base_url:
        yield base_url


def results(page, count):
    page.wait_for_function(f"document.querySelectorAll('.pagefind-ui__result-link').length === {count}")
    return sorted(link.get_attribute("href") for link in page.query_selector_all(".pagefind-ui__result-link"))


def test_a_word_of_old_releases_only_is_found_in_their_years_bundles(browser, sharded_site):
    with visit(browser, sharded_site, "recherche/") as opened:
        opened.page.fill(".pagefind-ui__search-input", WORD)
        found = results(opened.page, 2)
    assert [href.split("/")[-4:-1] for href in found] == [
        ["2016", "03", "cmss-assemblee-baobab"],
        ["2020", "03", "inps-journee-baobab"],
    ]


@pytest.mark.parametrize(("name", "value", "year"), [("Année", "2016", "2016"), ("Institution", "INPS", "2020")])
def test_filters_count_and_narrow_the_results_of_every_bundle(browser, sharded_site, name, value, year):
    with visit(browser, sharded_site, "recherche/") as opened:
        page = opened.page
        page.fill(".pagefind-ui__search-input", WORD)
        results(page, 2)
        page.locator(".pagefind-ui__filter-name", has_text=name).click()
        option = page.locator(".pagefind-ui__filter-value", has_text=value).first
        assert option.inner_text().strip() == f"{value} (1)"  # counted from the bundle that holds it
        option.locator("input").check()
        (only,) = results(page, 1)
    assert f"/{year}/03/{OLD_RELEASES[year][1]}/" in only
