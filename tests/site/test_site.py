"""The tests' site (tests/fixtures/site), built with our plugins and theme."""

import re

import feedparser
import pytest
from conftest import FIXTURE_SITE
from seed_articles import seed_articles

from pressroom.content import frdates

SEEDS = seed_articles()


FRENCH_LONG_DATE = re.compile(
    r"^(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) (1er|\d{1,2}) "
    r"(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}$"
)


def test_the_tests_site_has_six_published_articles_and_a_draft():
    assert len(SEEDS) == 6
    assert len(list(FIXTURE_SITE.glob("articles/*/*.md"))) == 7


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s["slug"])
def test_article_page_has_title_and_french_date(built_site, seed):
    page = built_site.soup(seed["url"])
    assert page.html["lang"] == "fr"
    assert page.find("h1").get_text(strip=True) == seed["title"]
    published = page.select_one("article header time")
    assert published["datetime"].startswith(seed["date"].isoformat())
    assert FRENCH_LONG_DATE.match(published.get_text()), published.get_text()
    assert published.get_text() == frdates.long_date(seed["date"])


def test_known_french_date_of_the_cmss_article(built_site):
    page = built_site.soup("2024/10/cmss-untm-formation-relations-professionnelles/")
    assert page.select_one("article header time").get_text() == "mardi 8 octobre 2024"
    assert "du 8 au 10 octobre 2024" in page.select_one(".event").get_text()


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s["slug"])
def test_article_links_each_institution_to_its_page_with_full_name(built_site, seed):
    article = built_site.soup(seed["url"])
    links = article.select("article header .institutions a")
    assert [a.get_text(strip=True) for a in links] == seed["institutions"]
    for link in links:
        target = (built_site.output / seed["url"] / link["href"]).resolve()
        institution_page = built_site.soup(target)
        full_name = link.abbr["title"]
        assert full_name in institution_page.find("h1").get_text()
        listed = [a["href"] for a in institution_page.select(".card-title a")]
        assert any(href.rstrip("/").endswith(seed["slug"]) for href in listed)


def test_signature_shows_author_and_service(built_site):
    page = built_site.soup("2024/10/cmss-untm-formation-relations-professionnelles/")
    assert page.select_one(".signature").get_text(" ", strip=True) == "Aminata Bocar Sow , CCOM-RP/CMSS"


def test_no_cruft_in_article_pages(built_site):
    cruft = [
        "Commentaires via Facebook",
        "Content is protected",
        "Laisser un commentaire",
        "Comments are closed",
        "Flash Infos",
        "Essayez à nouveau",
        "Nombre de visites",
        "pipeau",
    ]
    for seed in SEEDS:
        text = built_site.soup(seed["url"]).get_text()
        for line in cruft:
            assert line not in text, (seed["slug"], line)


def test_institutions_index_lists_every_registered_institution(built_site):
    page = built_site.soup("institutions/")
    names = page.select(".index-list li")
    assert len(names) >= 11
    text = page.get_text()
    for acronym, name in [
        ("CMSS", "Caisse Malienne de Sécurité Sociale"),
        ("IPRES", "Institution de Prévoyance Retraite du Sénégal"),
    ]:
        assert acronym in text and name in text


def test_institution_page_shows_description_website_and_feed(built_site):
    page = built_site.soup("institutions/anacmu/")
    assert "Agence Nationale de la Couverture Maladie Universelle" in page.find("h1").get_text()
    assert page.find("a", href="https://www.agencecmu.sn")
    feed_link = page.find("link", type="application/atom+xml", href=re.compile("institutions/anacmu"))
    assert feed_link is not None


def test_institution_feeds_list_exactly_their_articles(published_site):
    expected = {}
    for seed in SEEDS:
        for acronym in seed["institutions"]:
            expected.setdefault(acronym.lower(), set()).add(seed["title"])
    feeds = sorted((published_site.output / "feeds" / "institutions").glob("*.atom.xml"))
    assert len(feeds) >= len(expected)
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path, feed.bozo_exception)
        titles = {entry.title for entry in feed.entries}
        assert titles == expected.get(path.name.split(".")[0], set()), path.name
        for entry in feed.entries:
            assert entry.link.startswith("https://presse.example.org/")


def test_global_feeds_parse_and_list_every_article(published_site):
    for name in ("tout.atom.xml", "tout.rss.xml"):
        feed = feedparser.parse((published_site.output / "feeds" / name).read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert {e.title for e in feed.entries} == {s["title"] for s in SEEDS}
        assert all(e.link.startswith("https://presse.example.org/20") for e in feed.entries)


def test_theme_feeds_exist_for_each_tag(published_site):
    feed = feedparser.parse((published_site.output / "feeds" / "themes" / "formation.atom.xml").read_bytes())
    expected = {s["title"] for s in SEEDS if "formation" in s["tags"].split(", ")}
    assert {e.title for e in feed.entries} == expected and expected


def test_feed_urls_do_not_collide(built_site):
    feeds = [p.relative_to(built_site.output) for p in built_site.output.rglob("*.xml") if p.name != "sitemap.xml"]
    assert len(feeds) == len(set(feeds))
    assert all(str(p).startswith("feeds/") for p in feeds)


@pytest.mark.parametrize(
    "path",
    [
        "",
        "institutions/",
        "themes/",
        "categories/",
        "auteurs/",
        "archives/",
        "archives/2019/",
        "404.html",
        "themes/formation/",
        "categories/reportage/",
        "auteurs/y-doumbia/",
    ],
)
def test_every_listing_page_exists_in_french(built_site, path):
    page = built_site.soup(path)
    assert page.html["lang"] == "fr"
    assert page.find("h1").get_text(strip=True)
    assert page.find("a", class_="skip-link").get_text() == "Aller au contenu"


def test_year_archive_lists_that_year_only(built_site):
    titles = {a.get_text() for a in built_site.soup("archives/2019/").select("main li a")}
    assert titles == {s["title"] for s in SEEDS if s["date"].year == 2019}


def test_no_english_interface_strings(built_site):
    english = re.compile(r"\b(Posted|Read more|Categories|Tags|Archives for|Next|Previous|Home)\b")
    for path in built_site.html_files():
        text = " ".join(
            t for t in built_site.soup(path).find_all(string=True) if t.parent.name not in ("script", "style")
        )
        assert not english.search(text), path


def test_pages_need_no_javascript(built_site):
    # Except the search page (Pagefind); without JavaScript it points to other ways in (test_search.py).
    # Article pages may load share.js, which only adds « Copier le texte SMS »: the text is on the page.
    # Every page may load offline.js, which only registers the offline reading worker (plugins/lite).
    search_page = built_site.output / "recherche" / "index.html"
    for path in built_site.html_files():
        if path != search_page:
            scripts = [s["src"] for s in built_site.soup(path).find_all("script", src=True)]
            assert all(src.endswith(("/theme/js/share.js", "/theme/js/offline.js")) for src in scripts), path
    page = built_site.soup("2024/10/cmss-untm-formation-relations-professionnelles/")
    assert page.select_one(".sms-text").get_text() and page.select_one("button.copy").has_attr("hidden")


def test_home_page_is_paginated_newest_first(content_copy, build):
    from conftest import write_article

    for day in range(1, 24):
        write_article(
            content_copy,
            f"2023/lot-{day:02d}.md",
            f"Title: Communiqué numéro {day}\nDate: 2023-05-{day:02d}\nAuthor: Awa Traoré\n"
            f"Institutions: INPS\nCategory: Communiqué de presse\nSummary: Résumé {day}.\n\nTexte {day}.\n",
        )
    built = build(content_copy)
    assert built.status == 0, built.messages
    first = built.soup("")
    titles = [a.get_text() for a in first.select(".card-title a")]
    assert titles[0] == SEEDS_BY_DATE[0]["title"] and len(titles) == 10
    assert "Page 1 sur 3" in first.select_one(".pagination").get_text()
    next_url = first.select_one(".pagination a[rel=next]")["href"]
    second = built.soup(next_url.lstrip("./") or "")
    assert "Page 2 sur 3" in second.select_one(".pagination").get_text()
    institution = built.soup("institutions/inps/")
    assert institution.select_one(".pagination a[rel=next]") is not None
    all_titles = set()
    for page in ["", "page/2/", "page/3/"]:
        all_titles |= {a.get_text() for a in built.soup(page).select(".card-title a")}
    assert len(all_titles) == 23 + len(SEEDS)


SEEDS_BY_DATE = sorted(SEEDS, key=lambda s: s["date"], reverse=True)


def test_the_404_page_keeps_its_style_and_links_at_any_depth(built_site, published_site):
    """Served in place of any missing page, however deep: its links must not depend on where it is."""
    page = built_site.soup("404.html")
    assert page.find("link", rel="stylesheet")["href"] == "/theme/css/site.css"
    assert {a["href"] for a in page.select("main a, .content a") or page.find_all("a")} >= {"/", "/archives/"}
    published = published_site.soup("404.html")
    assert published.find("link", rel="stylesheet")["href"] == "https://presse.example.org/theme/css/site.css"
