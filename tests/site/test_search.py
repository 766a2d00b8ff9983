"""Search: the Pagefind index, one bundle per year, holds the bodies of published articles
only, with institution and year filters; a rebuild indexes again only the years whose
articles changed; the search page is French, merges the years' bundles and says how to
browse without JavaScript; Pagefind's files load on the search page only."""

import gzip
import io
import json
import logging
import os

from bs4 import BeautifulSoup
from conftest import build_site, tree_digest, write_article
from seed_articles import seed_articles

from pressroom.build import searchindex
from pressroom.preview import live as preview

SEED_URL = "/2024/10/cmss-untm-formation-relations-professionnelles/"
FRAGMENT_HEADER = b"pagefind_dcd"
# The years of the tests' site's published articles, newest first.
YEARS = sorted({f"{article['date']:%Y}" for article in seed_articles()}, reverse=True)


def indexed_pages(output, shard="*"):
    """The pages of the Pagefind bundles (all, or one shard's), read from their (gzip + JSON)
    fragment files, by URL."""
    pages = {}
    for path in (output / "pagefind").glob(f"{shard}/fragment/*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(FRAGMENT_HEADER), path
        page = json.loads(data[len(FRAGMENT_HEADER) :])
        assert page["url"] not in pages, "une page dans deux tranches"
        pages[page["url"]] = page
    return pages


def search_line(built):
    """The build's line about the search index (« recherche : 1 tranche indexée, … »)."""
    return next((line for line in built.messages.splitlines() if line.startswith("recherche : ")), built.messages)


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
    assert any(src.endswith("pagefind/2024/pagefind-ui.js") for src in scripts)
    assert (built_site.output / "pagefind" / "2024" / "pagefind-ui.js").exists()


def test_one_bundle_per_year_each_holding_its_years_articles(built_site):
    assert sorted(p.name for p in (built_site.output / "pagefind").iterdir()) == sorted(YEARS)
    for year in YEARS:
        pages = indexed_pages(built_site.output, year)
        assert pages, year
        assert all(url.startswith(f"/{year}/") for url in pages), year
        assert all(page["filters"]["Année"] == [year] for page in pages.values())


def test_search_page_loads_the_newest_bundle_and_merges_the_others(built_site):
    search = built_site.soup("recherche").find(id="recherche")
    assert search["data-bundles-url"].endswith("/pagefind/")
    assert search["data-merged-shards"].split() == YEARS[1:]
    assert search_line(built_site) == f"recherche : {len(YEARS)} tranches indexées, 0 reprise du cache"


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
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/nonexistent/pagefind")
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


def test_an_indexing_process_that_dies_fails_the_build_and_leaves_the_site(content_copy, tmp_path, monkeypatch, caplog):
    """The indexing runs in a process of its own: killed (out of memory, say), it answers nothing."""
    output = tmp_path / "output"
    assert build_site(content_copy, output).status == 0
    before = tree_digest(output)
    monkeypatch.setattr(searchindex.Indexing, "run", lambda self: os._exit(9))  # in the forked process
    with caplog.at_level(logging.ERROR):
        built = build_site(content_copy, output)
    assert built.status != 0
    assert "Recherche : l'indexation s'est arrêtée sans terminer" in caplog.text
    assert "Traceback" not in built.messages
    assert tree_digest(output) == before  # the previous site, its index with it


def test_a_rebuild_indexes_again_only_the_year_of_the_changed_article(content_copy, build):
    first = build(content_copy)
    assert first.status == 0, first.messages
    assert search_line(first) == f"recherche : {len(YEARS)} tranches indexées, 0 reprise du cache", first.messages
    unchanged = build(content_copy)
    assert search_line(unchanged) == f"recherche : 0 tranche indexée, {len(YEARS)} reprises du cache"
    assert indexed_pages(unchanged.output) == indexed_pages(first.output)

    source = next(p for p in (content_copy / "articles").rglob("*.md") if "\nDate: 2021-" in p.read_text("utf-8"))
    source.write_text(source.read_text("utf-8") + "\nLe mot ornithorynquesque figure désormais ici.\n", "utf-8")
    corrected = build(content_copy)
    assert corrected.status == 0, corrected.messages
    assert search_line(corrected) == f"recherche : 1 tranche indexée, {len(YEARS) - 1} reprises du cache"
    found = [url for url, page in indexed_pages(corrected.output).items() if "ornithorynquesque" in page["content"]]
    assert len(found) == 1 and found[0].startswith("/2021/")
    for year in (year for year in YEARS if year != "2021"):  # the other years' bundles, from the cache as they were
        assert indexed_pages(corrected.output, year) == indexed_pages(first.output, year)


def test_a_withdrawn_release_leaves_its_years_bundle(content_copy, build, tmp_path):
    assert build(content_copy).status == 0
    source = next(p for p in (content_copy / "articles").rglob("*.md") if "\nDate: 2022-" in p.read_text("utf-8"))
    header, _, body = source.read_text("utf-8").partition("\n\n")
    source.write_text(f"{header}\nWithdrawn: 2024-12-01 — publié par erreur\n\n{body}", "utf-8")
    withdrawn = build(content_copy)
    assert withdrawn.status == 0, withdrawn.messages
    assert search_line(withdrawn) == f"recherche : 0 tranche indexée, {len(YEARS) - 1} reprises du cache"
    left = sorted(year for year in YEARS if year != "2022")
    assert sorted(p.name for p in (withdrawn.output / "pagefind").iterdir()) == left
    assert sorted(p.name for p in (tmp_path / "cache" / "recherche").iterdir()) == left
    assert "2022" not in withdrawn.soup("recherche").find(id="recherche")["data-merged-shards"].split()


def test_slices_of_several_years_share_one_bundle(content_copy, build):
    built = build(content_copy, search_shard_years=5)
    assert built.status == 0, built.messages
    assert sorted(p.name for p in (built.output / "pagefind").iterdir()) == ["2015-2019", "2020-2024"]
    assert set(indexed_pages(built.output, "2020-2024")) >= {SEED_URL}
    assert built.soup("recherche").find(id="recherche")["data-merged-shards"] == "2015-2019"


def test_a_slice_of_no_year_is_refused_in_french(content_copy, build):
    built = build(content_copy, search_shard_years=0)
    assert built.status == 2
    assert "réglage SEARCH_SHARD_YEARS = 0 : au moins 1" in built.messages


def test_the_preview_indexes_a_new_years_release_and_the_search_page_merges_it(content_copy, tmp_path):
    places = {"output_path": str(tmp_path / "apercu"), "cache_path": str(tmp_path / "cache")}
    running = preview.Preview(out=io.StringIO(), path=str(content_copy), **places)
    assert running.build().status == 0, running.out.getvalue()
    running.finish()
    seed = next((content_copy / "articles" / "2024").glob("*.md"))
    new = write_article(
        content_copy,
        "2025/premier.md",
        seed.read_text("utf-8").replace("Date: 2024-10-08", "Date: 2025-01-02").replace("Slug: ", "Slug: an-neuf-"),
    )
    assert running.update([str(new)]).status == 0, running.out.getvalue()
    running.finish()
    page = BeautifulSoup((tmp_path / "apercu" / "recherche" / "index.html").read_text("utf-8"), "html.parser")
    assert any(s["src"].endswith("pagefind/2025/pagefind-ui.js") for s in page.find_all("script", src=True))
    assert page.find(id="recherche")["data-merged-shards"].split() == YEARS
    assert list(indexed_pages(tmp_path / "apercu", "2025")) == [
        "/2025/01/an-neuf-cmss-untm-formation-relations-professionnelles/"
    ]
    running.close()


def test_without_an_index_the_search_page_loads_no_script_and_says_so(content_copy, build):
    built = build(content_copy, search_index=False, gzip_copies=False)
    assert built.status == 0, built.messages
    page = built.soup("recherche")
    assert page.find_all("script", src=lambda src: src and "pagefind" in src) == []
    assert page.find(id="recherche") is None
    assert "la recherche n’a rien à parcourir" in page.find("main").get_text()
    assert not (built.output / "pagefind").exists()
