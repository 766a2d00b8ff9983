"""Search: the Pagefind index holds the bodies of published articles only, with
institution and year filters; the search page is French and says how to browse
without JavaScript; Pagefind's files load on the search page only."""

import gzip
import json
import logging
import sys

from conftest import write_article

SEED_URL = "/2024/10/cmss-untm-formation-relations-professionnelles/"
FRAGMENT_HEADER = b"pagefind_dcd"


def indexed_pages(output):
    """The pages of a Pagefind index, read from its (gzip + JSON) fragment files, by URL."""
    pages = {}
    for path in (output / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(FRAGMENT_HEADER), path
        page = json.loads(data[len(FRAGMENT_HEADER) :])
        pages[page["url"]] = page
    return pages


def article_urls(built):
    """URLs of the article pages written, found by their <article class="article">."""
    urls = set()
    for path in built.html_files():
        if 'class="article"' in path.read_text(encoding="utf-8"):
            urls.add("/" + str(path.parent.relative_to(built.output)).replace("\\", "/") + "/")
    return urls


def test_index_holds_every_published_article_and_nothing_else(built_site):
    urls = article_urls(built_site)
    assert SEED_URL in urls
    assert set(indexed_pages(built_site.output)) == urls


def test_index_has_body_text_title_and_filters(built_site):
    page = indexed_pages(built_site.output)[SEED_URL]
    assert page["meta"]["title"] == built_site.soup(SEED_URL.strip("/")).h1.get_text(strip=True)
    assert "session de formation" in page["content"]
    assert "Accueil" not in page["content"]  # the menu is outside the article body
    assert sorted(page["filters"]["Institution"]) == ["CMSS", "UNTM"]
    assert page["filters"]["Année"] == ["2024"]


def test_search_page_is_french_and_says_how_to_browse_without_javascript(built_site):
    soup = built_site.soup("recherche")
    assert soup.html["lang"] == "fr"
    assert soup.h1.get_text(strip=True) == "Recherche"
    fallback = soup.find("noscript")
    assert "JavaScript" in fallback.get_text()
    links = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in fallback.find_all("a")}
    assert links == {"archives", "themes", "institutions"}
    scripts = [s["src"] for s in soup.find_all("script")]
    assert any(src.endswith("pagefind/pagefind-ui.js") for src in scripts)
    assert (built_site.output / "pagefind" / "pagefind-ui.js").exists()


def test_menu_links_to_search_page(built_site):
    menu = built_site.soup("index.html").find("nav")
    links = [a for a in menu.find_all("a") if a.get_text() == "Recherche"]
    assert len(links) == 1 and links[0]["href"].endswith("recherche/")


def test_pagefind_files_load_on_search_page_only(built_site):
    loading = [
        p.relative_to(built_site.output).as_posix()
        for p in built_site.html_files()
        if "pagefind-ui" in p.read_text(encoding="utf-8")
    ]
    assert loading == ["recherche/index.html"]


def test_draft_is_not_indexed(content_copy, build):
    write_article(
        content_copy,
        "2024/brouillon.md",
        (
            "Title: Brouillon confidentiel\nDate: 2024-11-02\nAuthor: Aminata Bocar Sow\nInstitutions: CMSS\n"
            "Tags: formation\nCategory: Actualité\nSummary: Un brouillon.\nStatus: draft\n"
            "Slug: brouillon-confidentiel\nLang: fr\n\nLe mot zanzibarique ne doit pas être trouvé.\n"
        ),
    )
    built = build(content_copy)
    assert built.status == 0, built.messages
    pages = indexed_pages(built.output)
    assert SEED_URL in pages
    assert not any("zanzibarique" in page["content"] for page in pages.values())


def test_pagefind_failure_fails_the_build_with_a_french_message(content_copy, build, monkeypatch, caplog):
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    with caplog.at_level(logging.ERROR):
        built = build(content_copy)
    assert built.status != 0
    assert "Recherche : Pagefind n'a pas pu être lancé" in caplog.text
    assert "échoué" in built.messages


def test_article_pages_carry_no_search_markup(built_site):
    """Pagefind reads the search records, not the pages: readers download none of its markup."""
    article = built_site.soup(SEED_URL.strip("/"))
    assert not article.select("[data-pagefind-body], [data-pagefind-meta], [data-pagefind-filter]")


def test_search_records_are_not_published_and_their_folder_is_removed(content_copy, build, tmp_path, monkeypatch):
    staging_root = tmp_path / "tmp"
    staging_root.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(staging_root))
    built = build(content_copy)
    assert built.status == 0, built.messages
    assert list(staging_root.iterdir()) == []
    assert SEED_URL in indexed_pages(built.output)
    records = [p for p in built.html_files() if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert records == []


def test_search_record_failure_fails_the_build_with_a_french_message(content_copy, build, caplog):
    with caplog.at_level(logging.ERROR):
        built = build(content_copy, search_record_template="fiche_absente")
    assert built.status != 0
    assert "Recherche : les fiches de recherche n'ont pas pu être écrites" in caplog.text
    assert "fiche_absente" in caplog.text


def test_without_fork_the_build_writes_the_records_itself(content_copy, build, monkeypatch):
    """Where processes cannot be forked (Windows), the build process writes the records."""
    monkeypatch.setattr("multiprocessing.get_all_start_methods", lambda: ["spawn"])
    built = build(content_copy)
    assert built.status == 0, built.messages
    page = indexed_pages(built.output)[SEED_URL]
    assert "session de formation" in page["content"]
    assert sorted(page["filters"]["Institution"]) == ["CMSS", "UNTM"]
