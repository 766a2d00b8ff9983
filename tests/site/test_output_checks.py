"""Checks of the whole built site: valid HTML, no internal link to nowhere,
well-formed feeds listing the right articles, no article lost on the way."""

import posixpath
import re
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURE_SITE
from seed_articles import read_metadata
from tools import validate_html

from pressroom.content.registry import Registry

ARTICLE_PAGE = re.compile(r"^\d{4}/\d{2}/[^/]+/index\.html$")
SITES = ["built_site", "published_site"]
LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src", "iframe": "src"}


def plain(text):
    """Text without the typographic no-break spaces of the pages (« CMSS : » with U+202F)."""
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def published_sources():
    """Metadata of every article of content/ that is meant to be published."""
    sources = [read_metadata(path) for path in sorted((FIXTURE_SITE / "articles").rglob("*.md"))]
    return [meta for meta in sources if meta.get("status", "published").lower() != "draft"]


def site_url_of(built):
    """The absolute address of the site, as the main feed gives it (pages may use relative URLs)."""
    return feedparser.parse((built.output / "feeds" / "tout.atom.xml").read_bytes()).feed.link.rstrip("/")


def output_target(built, page, url, site_url):
    """The output file an internal URL points to (None for an external one)."""
    if site_url and url.startswith(site_url):
        url = "/" + url[len(site_url) :].lstrip("/")
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return page  # a fragment of the same page
    base = "/" + posixpath.dirname(page.relative_to(built.output).as_posix())
    target = built.output / posixpath.normpath(posixpath.join(base, unquote(parts.path))).lstrip("/")
    return target / "index.html" if url.split("#")[0].endswith("/") or target.is_dir() else target


def internal_links(built, site_url):
    for page in built.html_files():
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in LINK_ATTRIBUTES.items():
            for element in soup.find_all(tag, attrs={attribute: True}):
                url = element[attribute]
                if url.startswith(("mailto:", "tel:", "data:")):
                    continue
                target = output_target(built, page, url, site_url)
                if target is not None:
                    yield page, url, target


def test_every_html_page_is_valid(built_site):
    assert validate_html(built_site.html_files()) == []


@pytest.mark.parametrize("site", SITES)
def test_no_internal_link_or_image_points_nowhere(request, site):
    built = request.getfixturevalue(site)
    links = list(internal_links(built, site_url_of(built)))
    assert len(links) > 100  # the checker did find the site's links
    broken = [f"{page.relative_to(built.output)}: {url}" for page, url, target in links if not target.is_file()]
    assert broken == []


@pytest.mark.parametrize("site", SITES)
def test_every_feed_is_well_formed_and_its_entries_exist(request, site):
    built = request.getfixturevalue(site)
    site_url = site_url_of(built)
    feeds = sorted((built.output / "feeds").rglob("*.xml"))
    assert len(feeds) > 5
    home = built.output / "index.html"
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert feed.bozo == 0, (path, feed.get("bozo_exception"))
        assert feed.feed.title, path
        for entry in feed.entries:
            assert output_target(built, home, entry.link, site_url).is_file(), (path, entry.link)


@pytest.mark.parametrize("name", ["tout.atom.xml", "tout.rss.xml"])
def test_main_feeds_list_every_published_article(built_site, name):
    feed = feedparser.parse((built_site.output / "feeds" / name).read_bytes())
    assert sorted(plain(e.title) for e in feed.entries) == sorted(plain(m["title"]) for m in published_sources())


def test_institution_feeds_list_the_articles_of_their_institution(built_site):
    registry = Registry.load(FIXTURE_SITE / "institutions.yml")
    expected = {}
    for meta in published_sources():
        for name in meta["institutions"].split(","):
            expected.setdefault(registry.find(name).slug, set()).add(plain(meta["title"]))
    for slug, titles in expected.items():
        feed = feedparser.parse((built_site.output / f"feeds/institutions/{slug}.atom.xml").read_bytes())
        assert {plain(entry.title) for entry in feed.entries} == titles, slug


def test_every_published_article_has_its_page(built_site):
    pages = [p for p in built_site.html_files() if ARTICLE_PAGE.match(p.relative_to(built_site.output).as_posix())]
    assert len(pages) == len(published_sources())
    titles = {plain(BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").h1.get_text()) for p in pages}
    assert titles == {plain(meta["title"]) for meta in published_sources()}
