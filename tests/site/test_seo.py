"""Sharing and news indexing (plugins/seo), journalists' tools (plugins/press)
and precompressed copies (plugins/gzip_copies), checked on built sites."""

import datetime
import gzip
import json
import re
import xml.etree.ElementTree as ElementTree
from urllib.parse import urlparse

import pytest
import yaml
from conftest import ROOT, build_site, copy_content, write_article
from seed_articles import seed_articles
from showcase import photo_bytes
from tools import validate_html

from plugins.typography.typography import typeset
from pressroom.content import frdates
from pressroom.settings import DEFAULTS

SEEDS = seed_articles()

NEXT_YEAR = datetime.date.today().year + 1  # embargoed, within the gate's window
SITE = "https://presse.example.org"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def meta(page, key):
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s["slug"])
def test_article_has_canonical_open_graph_and_twitter_tags(published_site, seed):
    page = published_site.soup(seed["url"])
    url = f"{SITE}/{seed['url']}"
    assert page.find("link", rel="canonical")["href"] == url
    assert meta(page, "og:url") == url
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:locale") == "fr_FR"
    assert meta(page, "og:site_name") == published_site.soup("").select_one(".site-name a").get_text()
    assert meta(page, "og:title") == meta(page, "twitter:title") == seed["title"]
    assert meta(page, "og:description") == meta(page, "twitter:description")
    assert meta(page, "og:description") == typeset(seed["summary"])
    assert meta(page, "twitter:card") == "summary_large_image"
    if "image" in seed:  # the photo's sharing variant
        assert re.fullmatch(rf"{SITE}/images/photos/[0-9a-f]{{20}}/partage\.jpg", meta(page, "og:image"))
    else:  # no photo: the site's
        assert meta(page, "og:image") == f"{SITE}/images/partage-site.jpg"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s["slug"])
def test_json_ld_news_article_matches_the_article(published_site, seed):
    page = published_site.soup(seed["url"])
    data = news_article(page)
    assert data["@context"] == "https://schema.org"
    assert page.h1.get_text(strip=True) == seed["title"]
    if len(seed["title"]) <= 110:
        assert data["headline"] == seed["title"]
    else:  # news indexers show at most 110 characters: cut between words
        assert len(data["headline"]) <= 110 and data["headline"].endswith("…")
        assert seed["title"].startswith(data["headline"][:-1] + " ")
    assert datetime.datetime.fromisoformat(data["datePublished"]).date() == seed["date"]
    assert datetime.datetime.fromisoformat(data["dateModified"]) >= datetime.datetime.fromisoformat(
        data["datePublished"]
    )
    assert data["inLanguage"] == "fr"
    assert data["url"] == data["mainEntityOfPage"]["@id"] == f"{SITE}/{seed['url']}"
    assert [a["name"] for a in data["author"]] == [seed["author"]]
    assert all(a["@type"] == "Person" for a in data["author"])
    assert data["publisher"]["@type"] == "Organization" and data["publisher"]["url"] == f"{SITE}/"
    assert [o["alternateName"] for o in data["about"]] == seed["institutions"]


COMMON = "Author: Awa Traoré\nInstitutions: INPS\nCategory: Communiqué de presse\nSummary: Résumé.\n"
EXTRA_ARTICLES = {
    "2024/piege.md": f"Title: Le piège </script><b>gras</b>\nDate: 2024-02-02\n{COMMON}Slug: piege\n\nTexte.\n",
    "2024/photo.md": f"Title: Photo\nDate: 2024-02-03\n{COMMON}Image: {{static}}/images/remise.jpg\n"
    "Image-Alt: La remise des attestations\nSlug: photo\n\nTexte.\n",
    "2024/brouillon.md": f"Title: Brouillon\nDate: 2024-03-01\n{COMMON}Status: draft\nSlug: brouillon\n\nTexte.\n",
    "2024/futur.md": f"Title: Futur\nDate: {NEXT_YEAR}-01-01\n{COMMON}Slug: futur\n\nTexte.\n",
}


@pytest.fixture(scope="module")
def extra_site(tmp_path_factory):
    """The seeds plus a tricky title, an image, a draft, an embargoed article and a page."""
    base = tmp_path_factory.mktemp("seo")
    content = copy_content(base / "content")
    for relative, text in EXTRA_ARTICLES.items():
        write_article(content, relative, text)
    (content / "images").mkdir(exist_ok=True)
    (content / "images" / "remise.jpg").write_bytes(photo_bytes(size=(900, 600), gps=False))
    (content / "pages").mkdir(exist_ok=True)
    (content / "pages" / "a-propos.md").write_text(
        "Title: À propos\nSlug: a-propos\n\nQui nous sommes.\n", encoding="utf-8"
    )
    built = build_site(content, base / "output", "publishconf.py", siteurl=SITE, feed_domain=SITE)
    assert built.status == 0, built.messages
    return built


def test_json_ld_cannot_be_closed_by_a_title(extra_site):
    page = extra_site.soup("2024/02/piege/")
    assert news_article(page)["headline"] == "Le piège </script><b>gras</b>"
    assert page.find("b") is None


def test_image_metadata_gives_og_image_and_large_card(extra_site):
    page = extra_site.soup("2024/02/photo/")
    image = meta(page, "og:image")
    assert image == meta(page, "twitter:image")
    assert image.startswith(f"{SITE}/images/photos/") and image.endswith("/partage.jpg")
    assert meta(page, "twitter:card") == "summary_large_image"
    assert news_article(page)["image"] == [image]


def news_article(page):
    """The one NewsArticle among the page's JSON-LD scripts."""
    found = [json.loads(script.string) for script in page.find_all("script", type="application/ld+json")]
    found = [data for data in found if data.get("@type") == "NewsArticle"]
    assert len(found) == 1
    return found[0]


def sitemap_urls(built):
    tree = ElementTree.parse(built.output / "sitemap.xml")
    return [loc.text for loc in tree.getroot().findall("s:url/s:loc", SITEMAP_NS)]


def test_sitemap_lists_every_published_article_and_institution_with_absolute_urls(published_site):
    urls = sitemap_urls(published_site)
    assert sorted(urls) == urls and len(set(urls)) == len(urls)
    institution_pages = {
        f"{SITE}/institutions/{path.name}/"
        for path in (published_site.output / "institutions").iterdir()
        if path.is_dir()
    }
    assert f"{SITE}/institutions/cmss/" in institution_pages
    assert set(urls) == {f"{SITE}/{seed['url']}" for seed in SEEDS} | institution_pages
    for url in urls:
        assert (published_site.output / urlparse(url).path.strip("/") / "index.html").exists(), url
    entries = ElementTree.parse(published_site.output / "sitemap.xml").getroot().findall("s:url", SITEMAP_NS)
    cmss = next(e for e in entries if e.findtext("s:loc", namespaces=SITEMAP_NS) == f"{SITE}/institutions/cmss/")
    assert cmss.findtext("s:lastmod", namespaces=SITEMAP_NS).startswith("2024-10-08")  # its latest article
    lastmods = [
        e.findtext("s:lastmod", namespaces=SITEMAP_NS)
        for e in entries
        if "/institutions/" not in e.findtext("s:loc", namespaces=SITEMAP_NS)
    ]
    assert len(lastmods) == len(SEEDS)
    assert all(datetime.datetime.fromisoformat(m).tzinfo for m in lastmods)


def test_sitemap_leaves_out_drafts_and_embargoed_articles_but_lists_pages(extra_site):
    urls = sitemap_urls(extra_site)
    assert f"{SITE}/a-propos/" in urls and f"{SITE}/2024/02/photo/" in urls
    assert not any("brouillon" in url or "futur" in url for url in urls)
    assert len([url for url in urls if "/institutions/" not in url]) == len(SEEDS) + 3


def test_robots_txt_points_to_the_sitemap(published_site):
    robots = (published_site.output / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in robots
    assert f"Sitemap: {SITE}/sitemap.xml" in robots
    assert not any(line.strip() == "Disallow: /" for line in robots)


TEXT_SUFFIXES = {".html", ".css", ".js", ".json", ".xml", ".ics", ".txt", ".svg"}


def test_gz_copies_decompress_to_the_same_bytes(published_site):
    copies = sorted(published_site.output.rglob("*.gz"))
    assert copies
    for copy in copies:
        original = copy.with_name(copy.name.removesuffix(".gz"))
        assert original.suffix in TEXT_SUFFIXES | {".atom", ".rss"}, copy
        data = copy.read_bytes()
        assert gzip.decompress(data) == original.read_bytes(), copy
        assert data[4:8] == b"\0\0\0\0", copy  # no timestamp: rebuilds give the same bytes


def test_every_sizeable_text_file_has_a_gz_copy(published_site):
    """Every file that is published: the build's manifest (plugins/manifest) stays on this machine."""
    manifest = DEFAULTS["OUTPUT_MANIFEST"]
    texts = [
        p
        for p in published_site.output.rglob("*")
        if p.suffix in TEXT_SUFFIXES and p.stat().st_size > 512 and p.name != manifest
    ]
    assert any(p.name == "sitemap.xml" for p in texts) and any(p.suffix == ".css" for p in texts)
    missing = [str(p.relative_to(published_site.output)) for p in texts if not p.with_name(p.name + ".gz").exists()]
    assert not missing


# --- Journalists -------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s["slug"])
def test_press_contact_of_each_institution_is_shown(built_site, seed):
    section = built_site.soup(seed["url"]).select_one("section.press-contact")
    assert section.h2.get_text() == "Contact presse"
    items = section.select("li")
    assert [li.abbr.get_text() for li in items] == seed["institutions"]
    for item in items:  # the registry has no published press contact yet: said, not invented
        assert "non renseigné" in item.get_text()
        assert not item.select('a[href^="tel:"], a[href^="mailto:"]')
        assert item.find("a", string="page de l’institution")


def test_press_contact_from_the_registry(content_copy, build):
    registry_path = content_copy / "institutions.yml"
    registry = yaml.safe_load(registry_path.read_text(encoding="utf-8"))
    registry["INPS"]["contact_presse"] = {
        "nom": "Service communication",
        "courriel": "presse@exemple.ml",
        "telephone": "+223 20 00 00 00",
    }
    registry_path.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    built = build(content_copy)
    assert built.status == 0, built.messages
    seed = next(s for s in SEEDS if "INPS" in s["institutions"])
    items = built.soup(seed["url"]).select("section.press-contact li")
    inps = next(li for li in items if li.abbr.get_text() == "INPS")
    assert "Service communication" in inps.get_text()
    assert inps.find("a", href="mailto:presse@exemple.ml").get_text() == "presse@exemple.ml"
    assert inps.find("a", href="tel:+22320000000").get_text() == "+223 20 00 00 00"
    assert "non renseigné" not in inps.get_text()
    canam = next(li for li in items if li.abbr.get_text() == "CANAM")
    assert "non renseigné" in canam.get_text() and canam.find("a", href="https://www.canam.gouv.ml")


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s["slug"])
def test_cite_and_share_block(published_site, seed):
    page = published_site.soup(seed["url"])
    block = page.select_one("section.cite")
    assert block.h2.get_text() == "Citer / partager"
    permalink = block.select_one("a.permalink")
    assert permalink["href"] == permalink.get_text() == page.find("link", rel="canonical")["href"]
    citation = block.select_one(".citation").get_text()
    assert citation == ", ".join(
        [f"«\u202f{seed['title']}\u202f»", *seed["institutions"], frdates.short_date(seed["date"]), permalink["href"]]
    )
    shares = [a["href"] for a in block.select(".share a")]
    assert shares[0].startswith("mailto:?subject=") and shares[1].startswith("https://wa.me/?text=")
    assert all("presse.example.org" in href for href in shares)


def test_article_pages_load_nothing_from_other_hosts(published_site):
    for seed in SEEDS:
        page = published_site.soup(seed["url"])
        loaded = [
            tag.get("src") or tag.get("href")
            for tag in page.find_all(["script", "img", "link", "iframe"])
            if tag.name != "link" or "stylesheet" in tag.get("rel", []) or "icon" in tag.get("rel", [])
        ]
        for url in filter(None, loaded):
            assert urlparse(url).netloc in ("", "presse.example.org"), (seed["slug"], url)


def test_print_stylesheet_hides_menus_and_shows_link_urls():
    css = (ROOT / "theme" / "static" / "css" / "site.css").read_text(encoding="utf-8")
    prints = " ".join(re.findall(r"@media print\s*{((?:[^{}]*{[^{}]*})*)[^{}]*}", css))
    assert re.search(r"\.site-header nav[^{]*{[^}]*display:\s*none", prints)
    assert re.search(r"\.site-footer[^{]*{[^}]*display:\s*none", prints)
    assert re.search(r"\.share[^{]*{[^}]*display:\s*none", prints)
    assert re.search(r"a\[href\]::after[^{]*{[^}]*attr\(href\)", prints)


def test_article_pages_with_sharing_blocks_are_valid_html(published_site):
    assert validate_html([published_site.output / seed["url"] / "index.html" for seed in SEEDS]) == []
