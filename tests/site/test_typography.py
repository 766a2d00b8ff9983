"""French typography (plugins/typography): rules on tricky French text and
HTML, idempotence, institution acronyms, and the result in the built site."""

import pathlib

import pytest
from bs4 import BeautifulSoup
from conftest import write_article

from plugins.typography.typography import mark_acronyms, typeset

N = "\u202f"  # the one no-break space the plugin uses
CMSS_URL = "2024/10/cmss-untm-formation-relations-professionnelles/"


@pytest.mark.parametrize(
    "source, expected",
    [
        ("Le thème : les aspects", f"Le thème{N}: les aspects"),
        ("Note: voir plus bas", f"Note{N}: voir plus bas"),
        ("Pourquoi ? Parce que ! Voilà ; fin", f"Pourquoi{N}? Parce que{N}! Voilà{N}; fin"),
        ("Vraiment?!", f"Vraiment{N}?!"),
        ("« Un pour tous »", f"«{N}Un pour tous{N}»"),
        ("«Un pour tous»", f"«{N}Un pour tous{N}»"),
        ('Il a dit "Un pour tous" hier.', f"Il a dit «{N}Un pour tous{N}» hier."),
        ('"Bonjour !"', f"«{N}Bonjour{N}!{N}»"),
        ("l'UNTM, aujourd'hui", "l’UNTM, aujourd’hui"),
        ("12% des assurés, 12 %", f"12{N}% des assurés, 12{N}%"),
        ("1 500 FCFA et 2 000 F CFA", f"1{N}500{N}FCFA et 2{N}000{N}F{N}CFA"),
        ("3 jours, 5 ans, 2 mois, 10 km, 25 kg", f"3{N}jours, 5{N}ans, 2{N}mois, 10{N}km, 25{N}kg"),
        ("le n° 0740 et le N°12", f"le n°{N}0740 et le N°{N}12"),
        ("le 1er juillet, le 3e séminaire", f"le 1er{N}juillet, le 3e{N}séminaire"),
        ("à 15 h 30 ou 15h30, vers 9h", f"à 15{N}h{N}30 ou 15{N}h{N}30, vers 9{N}h"),
        ("rendez-vous à 10:30", "rendez-vous à 10:30"),
        ("en 2019 l'atelier", "en 2019 l’atelier"),
    ],
)
def test_french_rules(source, expected):
    assert typeset(source) == expected


@pytest.mark.parametrize(
    "html",
    [
        '<pre>a : b "c" l\'x 12%</pre>',
        '<pre><code class="language-python">print("x: y") # l\'a ?</code></pre>',
        '<code>x: y "z"</code>',
        "<kbd>Ctrl+C ; Ctrl+V !</kbd>",
        '<script>if (a<b) { x = "y: z"; }</script>',
        '<style>a::after { content: " : "; }</style>',
        '<img alt="l\'image : « test »" src="a.png">',
        '<a href="http://example.org/a?b=1&amp;c=2" title="Voir : ici">http://example.org/a?b=1</a>',
        "<!-- note : à revoir ! -->",
    ],
)
def test_code_attributes_urls_and_comments_are_left_alone(html):
    assert typeset(html) == html


def test_text_around_code_and_links_is_typeset_but_urls_are_kept():
    html = (
        '<p>Voir <a href="https://www.inps.ml/a?x=1">le site : https://www.inps.ml/a?x=1</a> '
        "ou écrire à presse@cmss.ml ; la commande <code>make : build</code> suffit !</p>"
    )
    assert typeset(html) == (
        f'<p>Voir <a href="https://www.inps.ml/a?x=1">le site{N}: https://www.inps.ml/a?x=1</a> '
        f"ou écrire à presse@cmss.ml{N}; la commande <code>make : build</code> suffit{N}!</p>"
    )


def test_quotes_spanning_tags_open_and_close_correctly():
    assert (
        typeset('<p><em>"</em>Un pour tous<em>"</em> : fin</p>')
        == f"<p><em>«{N}</em>Un pour tous<em>{N}»</em>{N}: fin</p>"
    )


TRICKY = [
    '<p>Le thème : "les aspects" ! l\'UNTM, 1 500 FCFA, n° 0740, le 1er juillet à 15h30, 12%.</p>',
    '<h2>Pourquoi ?</h2><pre>x : "y"</pre><p>« déjà »\u00a0; <a href="http://x">http://x</a></p>',
    '<p>Un "<em>mot</em>" ; www.cmss.ml ; a.b@c.org !</p>',
]


@pytest.mark.parametrize("html", TRICKY)
def test_typography_is_idempotent(html):
    once = typeset(html)
    assert once != html
    assert typeset(once) == once


NAMES = {
    "CMSS": "Caisse Malienne de Sécurité Sociale",
    "INPS": "Institut National de Prévoyance Sociale",
    "CARES-Mali": "Comité d'Analyse et de Recherche Syndicale du Mali",
}
LINKS = {acronym: f"/institutions/{acronym.lower()}/" for acronym in NAMES}


def test_acronyms_become_abbr_and_only_the_first_is_linked():
    html = mark_acronyms("<p>La CMSS et l’INPS. La CMSS encore, le CARES-Mali.</p>", NAMES, LINKS)
    soup = BeautifulSoup(html, "html.parser")
    assert [a["title"] for a in soup.find_all("abbr")] == [
        NAMES["CMSS"],
        NAMES["INPS"],
        NAMES["CMSS"],
        NAMES["CARES-Mali"],
    ]
    assert [a["href"] for a in soup.find_all("a")] == [
        "/institutions/cmss/",
        "/institutions/inps/",
        "/institutions/cares-mali/",
    ]
    assert soup.find_all("abbr")[2].parent.name == "p"


def test_acronyms_not_linked_in_links_or_headings_and_untouched_in_code_and_attributes():
    html = (
        '<h2>La CMSS</h2><p><a href="/x/">CMSS</a> <code>CMSS</code> '
        '<img alt="CMSS" src="cmss.png"> CMSSX XCMSS CMSS</p>'
    )
    soup = BeautifulSoup(mark_acronyms(html, NAMES, LINKS), "html.parser")
    assert soup.h2.abbr and not soup.h2.a
    assert soup.find("a", href="/x/").abbr["title"] == NAMES["CMSS"]
    assert soup.code.string == "CMSS" and soup.img["alt"] == "CMSS"
    assert soup.find("a", href="/institutions/cmss/").get_text() == "CMSS"
    assert "CMSSX XCMSS" in soup.p.get_text()
    assert len(soup.find_all("abbr")) == 3


def test_acronym_markup_is_idempotent():
    once = mark_acronyms("<p>La CMSS et l’INPS.</p>", NAMES, LINKS)
    assert mark_acronyms(once, NAMES, LINKS) == once


# --- In the built site -------------------------------------------------------


def test_titles_and_summaries_are_typeset(built_site):
    page = built_site.soup(CMSS_URL)
    assert page.h1.get_text(strip=True).startswith(f"CMSS{N}: une centaine")
    home_titles = [a.get_text() for a in built_site.soup("").select(".card-title a")]
    assert f"CMSS{N}: une centaine de syndicalistes de l’UNTM formés aux relations professionnelles" in home_titles


def test_article_body_is_typeset(built_site):
    body = built_site.soup(CMSS_URL).select_one(".body").get_text()
    assert f"thème{N}: «{N}les aspects" in body
    assert " : " not in body and "« " not in body and " »" not in body


def test_first_acronym_links_to_the_institution_page(built_site):
    page = built_site.soup(CMSS_URL)
    links = [a for a in page.select(".body a") if a.abbr]
    assert [a.get_text() for a in links] == ["UNTM", "CMSS"]
    for link in links:
        assert not link["href"].startswith(("http", "/", "{")), link["href"]  # RELATIVE_URLS
        target = (built_site.output / CMSS_URL / link["href"]).resolve()
        institution = built_site.soup(target)
        assert link.abbr["title"] in institution.h1.get_text()
    abbrs = page.select(".body abbr")
    assert len(abbrs) > len(links)
    assert all(a["title"] == "Caisse Malienne de Sécurité Sociale" for a in abbrs if a.get_text() == "CMSS")


def test_acronym_links_are_absolute_in_published_feeds(published_site):
    feed = (published_site.output / "feeds" / "tout.atom.xml").read_text(encoding="utf-8")
    assert 'href="https://presse.example.org/institutions/cmss/"' in feed
    assert "{filename}" not in feed


ARTICLE_WITH_CODE = """Title: Guide : "bien" écrire
Date: 2024-02-01
Author: Awa Traoré
Institutions: INPS
Category: Communiqué de presse
Summary: Un résumé : court.
Slug: guide-ecrire

Voir "le site" : <https://www.inps.ml/a?b=1> ou écrire à presse@inps.ml !

    make build : "rien" l'INPS

La commande `pelican : go` et l'INPS à 15h30.
"""


def test_built_article_keeps_code_and_urls(content_copy, build):
    write_article(content_copy, "2024/guide.md", ARTICLE_WITH_CODE)
    built = build(content_copy)
    assert built.status == 0, built.messages
    page = built.soup("2024/02/guide-ecrire/")
    assert page.h1.get_text() == f"Guide{N}: «{N}bien{N}» écrire"
    assert page.pre.get_text() == 'make build : "rien" l\'INPS\n'
    assert page.select_one("p code").get_text() == "pelican : go"
    link = page.select_one('.body a[href^="https://www.inps.ml"]')
    assert link["href"] == link.get_text() == "https://www.inps.ml/a?b=1"
    text = page.select_one(".body").get_text()
    assert f"«{N}le site{N}»{N}: " in text and f"presse@inps.ml{N}!" in text and f"15{N}h{N}30" in text
    assert page.pre.find("abbr") is None and page.select_one("p code").find("abbr") is None


def test_content_cache_keeps_typography_exactly_once(content_copy, tmp_path):
    """The reader cache (Pelican's default layer; the generator layer conflicts
    with WITH_FUTURE_DATES = False) gives the same pages on a rebuild."""
    from conftest import build_site

    output = tmp_path / "cached" / "output"
    results = []
    for _ in range(2):
        built = build_site(content_copy, output, load_content_cache=True, cache_content=True)
        assert built.status == 0, built.messages
        results.append((output / CMSS_URL / "index.html").read_text(encoding="utf-8"))
    assert results[0] == results[1]
    assert pathlib.Path(tmp_path / "cached" / "cache").exists()
    page = BeautifulSoup(results[1], "html.parser")
    assert page.h1.get_text(strip=True).startswith(f"CMSS{N}: une")
    assert len([a for a in page.select(".body a") if a.abbr]) == 2
