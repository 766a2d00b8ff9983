"""The press content model on the real build: release types (label, page, feed,
search filter, numbers), the journalist's header (chapô, byline, press
contact), institution and contacts pages, corrections, withdrawal and event
organisers. One site is built with the seeds plus a corrected, a withdrawn and
a numbered release."""

from urllib.parse import quote

import feedparser
import icalendar
import pytest
from conftest import build_site, copy_content, write_article
from pelican.contents import Article
from pelican.readers import Readers
from test_search import indexed_pages

from pressroom.build import lint, site
from pressroom.content import schema, sms

CMSS_URL = "2024/10/cmss-untm-formation-relations-professionnelles/"
RMA_URL = "2019/11/rma-atelier-national-extension-protection-sociale/"
CORRECTED_URL = "2025/03/cotisations-nouveau-bareme/"
WITHDRAWN_URL = "2025/04/atelier-reporte/"

CORRECTED = """\
Title: Nouveau barème des cotisations
Date: 2025-03-10 09:00
Modified: 2025-03-12 16:00
Author: Aminata Bocar Sow
Institutions: INPS
Category: Communiqué de presse
Number: 7/2025
Summary: L'INPS publie le barème des cotisations applicable au deuxième trimestre.
Corrections: 2025-03-11 — Taux de la branche famille corrigé
    2025-03-12 — Date d'entrée en vigueur précisée
Slug: cotisations-nouveau-bareme

Le barème s'applique dès avril.
"""

WITHDRAWN = """\
Title: Atelier reporté sur la mutualité
Date: 2025-04-02
Author: Y. Doumbia
Institutions: UTM
Category: Avis aux médias
Summary: L'UTM invite la presse à son atelier sur la mutualité sociale.
Withdrawn: 2025-04-05 — Atelier reporté à une date ultérieure
Event: Atelier sur la mutualité sociale
Event-Start: 2025-04-20
Event-Organizers: UTM
Slug: atelier-reporte

Rendez-vous au siège de l'UTM.
"""


def article(title, extra, slug="essai"):
    return (
        f"Title: {title}\nDate: 2025-05-02\nAuthor: Rédaction\nInstitutions: CMSS\n"
        f"Summary: Un résumé court.\n{extra}Slug: {slug}\n\nTexte.\n"
    )


@pytest.fixture(scope="module")
def model_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("model")
    content = copy_content(base / "content")
    write_article(content, "2025/cotisations.md", CORRECTED)
    write_article(content, "2025/atelier-reporte.md", WITHDRAWN)
    built = build_site(content, base / "output", events_today="2025-04-01")
    assert built.status == 0, built.messages
    return built


def feed_entries(built, path):
    return {
        entry.link.split("127.0.0.1:8000/", 1)[-1]: entry for entry in feedparser.parse(built.output / path).entries
    }


# --- 1. Release types -------------------------------------------------------------


def test_release_type_is_a_label_with_its_page_and_french_feed(model_site):
    label = model_site.soup(CMSS_URL).select_one(".release-type a")
    assert label.get_text() == "Communiqué de presse"
    assert label["href"].endswith("categories/communique-de-presse/")
    page = model_site.soup("categories/communique-de-presse")
    assert page.h1.get_text() == "Communiqué de presse"
    assert "Types de publication" in model_site.soup("categories").h1.get_text()
    feed = feedparser.parse(model_site.output / "feeds/categories/communique-de-presse.atom.xml")
    assert feed.feed.title.endswith("— Communiqué de presse")
    assert {e.title for e in feed.entries} >= {"Nouveau barème des cotisations"}


def test_release_number_is_shown(model_site):
    assert "7/2025" in model_site.soup(CORRECTED_URL).select_one(".release-number").get_text()


def test_search_filters_by_release_type(model_site):
    page = indexed_pages(model_site.output)["/" + CMSS_URL]
    assert page["filters"]["Type"] == ["Communiqué de presse"]


def test_release_type_outside_the_list_is_refused(content_copy, build):
    write_article(content_copy, "2025/essai.md", article("Essai", "Category: Communiqué\n"))
    built = build(content_copy)
    assert built.status != 0
    assert "essai.md:" in built.messages and "Category: valeur inconnue « Communiqué »" in built.messages
    assert "Avis aux médias" in built.messages


def test_release_type_is_read_whatever_its_case(content_copy, build):
    write_article(content_copy, "2025/essai.md", article("Essai", "Category: démenti\n"))
    built = build(content_copy)
    assert built.status == 0, built.messages
    assert built.soup("2025/05/essai").select_one(".release-type a").get_text() == "Démenti"


def test_a_number_given_twice_for_one_institution_and_year_is_refused(content_copy, build):
    write_article(content_copy, "2025/un.md", article("Un", "Number: 3/2025\n", "un"))
    write_article(content_copy, "2025/deux.md", article("Deux", "Number: 3/2025\n", "deux"))
    write_article(content_copy, "2025/trois.md", article("Trois", "Number: 3/2024\n", "trois"))
    built = build(content_copy)
    assert built.status != 0
    lines = [line for line in built.messages.splitlines() if "Number:" in line]
    assert len(lines) == 1 and "un.md" in lines[0] and "numéro 3/2025 de CMSS déjà donné dans" in lines[0]


# --- 2. Journalists first --------------------------------------------------------------


def test_chapo_byline_and_contact_link_come_right_under_the_title(model_site):
    header = model_site.soup(CMSS_URL).find("article").header
    assert header.h1.find_next_sibling("p")["class"] == ["chapo"]
    assert header.select_one(".chapo").get_text().startswith("Le comité syndical UNTM de la CMSS")
    byline = header.select_one(".byline").get_text(" ", strip=True)
    assert "Publié le" in byline and "Aminata Bocar Sow" in byline and "CCOM-RP/CMSS" in byline
    assert header.select_one('.byline a[href="#contact-presse"]').get_text() == "Contact presse"
    assert model_site.soup(CMSS_URL).find(id="contact-presse")


def test_about_the_institution_comes_from_the_registry(model_site):
    about = model_site.soup(CORRECTED_URL).select_one(".about")
    assert about.h2.get_text() == "À propos de l’institution"
    assert "Organisme de sécurité sociale des travailleurs du secteur privé" in about.get_text()


def test_institution_page_shows_website_and_press_contact(model_site):
    text = model_site.soup("institutions/inps").find("dl").get_text(" ", strip=True)
    assert "https://www.inps.ml" in text and "Contact presse" in text


def test_unknown_contact_is_never_a_dead_end(model_site):
    contact = model_site.soup(CMSS_URL).select_one(".press-contact").get_text(" ", strip=True)
    assert "non renseigné" in contact
    assert model_site.soup(CMSS_URL).select_one('.press-contact a[href$="contacts-presse/"]')


def test_contacts_page_lists_every_institution(model_site):
    page = model_site.soup("contacts-presse")
    assert page.h1.get_text() == "Contacts presse"
    listed = {dt.abbr.get_text() for dt in page.select("dl.contacts dt")}
    assert {"CMSS", "INPS", "ANACMU", "IPRES", "UTM"} <= listed
    footer_links = [a["href"] for a in model_site.soup("").select(".site-footer a")]
    assert any(href.endswith("contacts-presse/") for href in footer_links)


def test_site_contact_fills_in_for_unknown_ones(content_copy, build):
    site = {"nom": "Rédaction", "courriel": "redaction@example.org", "telephone": ""}
    built = build(content_copy, press_contact_default=site)
    assert built.status == 0, built.messages
    contact = built.soup(CMSS_URL).select_one(".press-contact")
    assert contact.select_one('a[href="mailto:redaction@example.org"]')


@pytest.mark.parametrize(
    "extra, message",
    [("", "Summary: champ obligatoire absent ou vide"), ("Summary: " + "x" * 301 + "\n", "chapô de 301 caractères")],
)
def test_published_article_needs_a_short_summary(content_copy, build, extra, message):
    text = f"Title: Essai\nDate: 2025-05-02\nAuthor: Rédaction\nInstitutions: CMSS\n{extra}Slug: essai\n\nTexte.\n"
    write_article(content_copy, "2025/essai.md", text)
    built = build(content_copy)
    assert built.status != 0 and message in built.messages, built.messages


# --- 3. Corrections and withdrawal ------------------------------------------------------


def test_corrected_article_shows_update_and_history(model_site):
    page = model_site.soup(CORRECTED_URL)
    assert "Mis à jour le mercredi 12 mars 2025" in page.select_one(".byline").get_text(" ", strip=True).replace(
        "\u202f", " "
    )
    history = [li.get_text(" ", strip=True) for li in page.select(".corrections li")]
    assert len(history) == 2
    assert "Taux de la branche famille corrigé" in history[0] and "mardi 11 mars 2025" in history[0]


def test_feeds_keep_the_publication_date_and_say_updated(model_site):
    entry = feed_entries(model_site, "feeds/tout.atom.xml")[CORRECTED_URL]
    assert entry.published.startswith("2025-03-10")
    assert entry.updated.startswith("2025-03-12")


def test_withdrawn_release_stays_online_under_a_banner(model_site):
    banner = model_site.soup(WITHDRAWN_URL).select_one(".withdrawn")
    assert "Retiré le samedi 5 avril 2025" in banner.get_text(" ", strip=True)
    assert "Atelier reporté à une date ultérieure" in banner.get_text()


def test_withdrawn_release_leaves_listings_feeds_calendar_sitemap_and_search(model_site):
    out = model_site.output
    slug = "atelier-reporte"
    for listing in ("index.html", "archives/index.html", "institutions/utm/index.html", "agenda/index.html"):
        assert slug not in (out / listing).read_text(encoding="utf-8"), listing
    for feed in ("feeds/tout.atom.xml", "feeds/tout.rss.xml", "feeds/institutions/utm.atom.xml"):
        assert slug not in (out / feed).read_text(encoding="utf-8"), feed
    assert not (out / "feeds/categories/avis-aux-medias.atom.xml").exists()
    assert slug not in (out / "sitemap.xml").read_text(encoding="utf-8")
    calendar = icalendar.Calendar.from_ical((out / "calendrier/tout.ics").read_bytes())
    assert all(slug not in str(event.get("url")) for event in calendar.walk("VEVENT"))
    assert "/" + WITHDRAWN_URL not in indexed_pages(out)


@pytest.mark.parametrize(
    "field, message",
    [
        ("Withdrawn: demain — raison\n", "Withdrawn:"),
        ("Withdrawn: 2025-05-03\n", "date et texte non séparés"),
        ("Corrections: 2025-05-03 — Lieu corrigé\n    hier — ajout\n", "Corrections:"),
    ],
)
def test_dated_lines_that_do_not_read_are_refused(content_copy, build, field, message):
    write_article(content_copy, "2025/essai.md", article("Essai", field))
    built = build(content_copy)
    assert built.status != 0 and message in built.messages, built.messages


def test_a_bad_correction_is_reported_at_its_own_line(content_copy, build):
    write_article(content_copy, "2025/essai.md", article("Essai", "Corrections: 2025-05-03 — Lieu\n    hier — ajout\n"))
    built = build(content_copy)
    assert "essai.md:7: Corrections:" in built.messages, built.messages


# --- The reader reads every field through the schema's kind -----------------------------


def test_authors_separated_by_commas_each_have_their_page(content_copy, build):
    text = article("Essai", "").replace("Author: Rédaction", "Author: Aminata Sow, Moussa Traoré")
    write_article(content_copy, "2025/essai.md", text)
    built = build(content_copy)
    assert built.status == 0, built.messages
    signature = built.soup("2025/05/essai").select_one(".signature")
    assert [a.get_text() for a in signature.select("a")] == ["Aminata Sow", "Moussa Traoré"]
    assert (built.output / "auteurs" / "aminata-sow" / "index.html").is_file()
    assert (built.output / "auteurs" / "moussa-traore" / "index.html").is_file()
    assert not (built.output / "auteurs" / "aminata-sow-moussa-traore").exists()


def test_tags_are_separated_by_commas(content_copy, build):
    write_article(content_copy, "2025/essai.md", article("Essai", "Tags: retraite, santé\n"))
    built = build(content_copy)
    assert built.status == 0, built.messages
    assert (built.output / "themes" / "retraite" / "index.html").is_file()
    assert (built.output / "themes" / "sante" / "index.html").is_file()


@pytest.mark.parametrize(
    "written, line",
    [("Author: Rédaction", "Tags: retraite; santé"), ("Author: Sow, Aminata; Traoré, Moussa", "Tags: retraite")],
)
def test_a_semicolon_in_a_list_of_names_is_refused(content_copy, build, written, line):
    """Pelican would split on the semicolons; the schema's one separator is the comma."""
    write_article(content_copy, "2025/essai.md", article("Essai", line + "\n").replace("Author: Rédaction", written))
    built = build(content_copy)
    name = "Tags" if ";" in line else "Author"
    assert built.status != 0
    assert f"{name}: point-virgule dans la liste" in built.messages and "essai.md:" in built.messages, built.messages
    assert "Traceback" not in built.messages


# --- 4. Organisers ------------------------------------------------------------------------


def test_organisers_are_those_of_event_organizers_not_the_host(model_site):
    event = model_site.soup(RMA_URL).select_one(".event dl")
    organisers = [dd for dt, dd in zip(event.find_all("dt"), event.find_all("dd")) if dt.get_text() == "Organisateurs"]
    names = [a.get_text() for a in organisers[0].find_all("a")]
    assert names == ["Réseau Multi-Acteurs de protection sociale", "Solidarité Mondiale (We Social Movements)"]
    assert "Union Technique de la Mutualité" not in organisers[0].get_text()


def test_no_organiser_is_shown_without_event_organizers(content_copy, build):
    extra = "Event: Atelier\nEvent-Start: 2025-05-10\n"
    write_article(content_copy, "2025/essai.md", article("Essai", extra))
    built = build(content_copy)
    assert built.status == 0, built.messages
    assert "Organisateurs" not in built.soup("2025/05/essai").select_one(".event").get_text()


def test_unknown_organiser_is_refused(content_copy, build):
    extra = "Event: Atelier\nEvent-Start: 2025-05-10\nEvent-Organizers: XYZ\n"
    write_article(content_copy, "2025/essai.md", article("Essai", extra))
    built = build(content_copy)
    assert built.status != 0 and "Event-Organizers: institution inconnue « XYZ »" in built.messages


# --- 7. Text to share ---------------------------------------------------------------------


def test_sms_text_is_derived_from_title_and_permalink_in_the_gsm_alphabet(model_site):
    text = model_site.soup(CMSS_URL).select_one(".sms-text").get_text()
    assert text.startswith("CMSS : une centaine de syndicalistes de l'UNTM")  # no narrow space, no ’
    assert text.endswith("/" + CMSS_URL) and len(text) <= 160
    assert not sms.outside_gsm(text)
    links = {a.get_text(): a["href"] for a in model_site.soup(CMSS_URL).select(".share a")}
    assert links["Partager sur WhatsApp"] == "https://wa.me/?text=" + quote(text)
    button = model_site.soup(CMSS_URL).select_one("button.copy")
    assert button.get_text() == "Copier le texte SMS" and button.has_attr("hidden")  # shown by JavaScript only


def test_written_sms_is_used_as_it_is(content_copy, build):
    write_article(content_copy, "2025/essai.md", article("Essai", "SMS: La CMSS forme ses agents, voir le site\n"))
    built = build(content_copy)
    assert built.status == 0, built.messages
    assert built.soup("2025/05/essai").select_one(".sms-text").get_text() == "La CMSS forme ses agents, voir le site"


@pytest.mark.parametrize(
    "text, message",
    [
        ("L’INPS forme ses agents", "caractères hors de l'alphabet des SMS : « ’ »"),
        ("Fête de la mutualité à Kayes", "« ê »"),
        ("x" * 161, "161 caractères, 160 au plus"),
        ("€" * 81, "162 caractères, 160 au plus"),
    ],
)
def test_sms_outside_the_alphabet_or_too_long_is_refused(content_copy, build, text, message):
    write_article(content_copy, "2025/essai.md", article("Essai", f"SMS: {text}\n"))
    built = build(content_copy)
    assert built.status != 0 and "SMS: " in built.messages and message in built.messages, built.messages


def test_long_titles_are_shortened_to_fit_an_sms():
    url = "https://presse.example.org/2025/05/un-titre-tres-long/"
    text = sms.derived_sms("Très long titre « avec » des mots " * 8, url)
    assert sms.gsm_length(text) <= 160 and text.endswith("... " + url) and not sms.outside_gsm(text)


# --- 8. Home and pages -------------------------------------------------------------------


def test_home_shows_the_next_three_events(content_copy, build):
    for day in (5, 6, 7, 8):
        extra = f"Event: Atelier {day}\nEvent-Start: 2025-06-0{day}\nEvent-Organizers: CMSS\n"
        write_article(content_copy, f"2025/atelier-{day}.md", article(f"Atelier {day}", extra, f"atelier-{day}"))
    built = build(content_copy, events_today="2025-06-01")
    assert built.status == 0, built.messages
    names = [p.get_text(strip=True) for p in built.soup("").select(".next-events .event-name")]
    assert names == ["Atelier 5", "Atelier 6", "Atelier 7"]


def test_search_records_carry_date_and_institutions(model_site):
    page = indexed_pages(model_site.output)["/" + CMSS_URL]
    assert page["meta"]["date"] == "mardi 8 octobre 2024"
    assert page["meta"]["institutions"] == "CMSS, UNTM"


def test_accessibility_statement_is_linked_from_every_footer(model_site):
    page = model_site.soup("accessibilite")
    assert page.h1.get_text() in ("Déclaration d’accessibilité", "Déclaration d'accessibilité")
    headings = [h.get_text() for h in page.find_all("h2")]
    assert "État de conformité" in headings and "Résultats de nos vérifications" in headings
    assert "axe-core" in page.get_text()
    for path in ("", CMSS_URL, "contacts-presse"):
        assert model_site.soup(path).select_one('.site-footer a[href$="accessibilite/"]'), path


# --- 9. Typography everywhere -----------------------------------------------------------------


def test_institution_names_take_french_elision(model_site):
    links = [a.get_text() for a in model_site.soup("institutions/inps").select("header.institution a")]
    assert "S’abonner au flux des articles de l’INPS" in links
    assert "S’abonner au flux des articles de la CMSS" in [
        a.get_text() for a in model_site.soup("institutions/cmss").select("header.institution a")
    ]
    assert "du RMA" in model_site.soup("institutions/rma").select_one("header.institution").get_text()


def test_registry_strings_and_templates_are_typeset(model_site):
    assert (
        "l’assurance maladie obligatoire"
        in model_site.soup("institutions/cmss").select_one("header.institution").get_text()
    )
    assert "Tout l’agenda" in model_site.soup("agenda/2019/11").get_text()
    assert "Agenda\u202f:" in model_site.soup("agenda/2019/11").h1.get_text()
    chapo = model_site.soup(CORRECTED_URL).select_one(".chapo").get_text()
    assert chapo.startswith("L’INPS publie")  # the apostrophe of a summary is curled too


def test_ordinals_are_raised_in_bodies(model_site):
    body = model_site.soup("2019/07/cares-mali-seminaire-national-formation-nouveaux-membres").select_one(".body")
    assert {"e", "er"} <= {sup.get_text() for sup in body.find_all("sup")}
    assert "3ème" not in body.get_text()


@pytest.mark.parametrize("name", ["tout.atom.xml", "tout.rss.xml", "categories/actualite.atom.xml"])
def test_feeds_say_they_are_french(model_site, name):
    text = (model_site.output / "feeds" / name).read_text(encoding="utf-8")
    assert 'xml:lang="fr"' in text or "<language>fr</language>" in text


@pytest.mark.parametrize(
    "header, authors",
    [("Author: Aminata Sow, Moussa Traoré\n", ["Aminata Sow", "Moussa Traoré"]), ("", ["Rédaction du site"])],
)
def test_the_reader_gives_pelican_its_own_author_objects(tmp_path, header, authors):
    """From the file's Author line, or from Pelican's AUTHOR setting for a file without one."""
    path = tmp_path / "essai.md"
    path.write_text(f"Title: Essai\nDate: 2025-05-02\n{header}Tags: retraite, santé\n\nTexte.\n", encoding="utf-8")
    settings = site.load_settings("pelicanconf.py", path=str(tmp_path), author="Rédaction du site")
    readers = Readers(settings)
    lint.use_french_metadata(readers)
    read = readers.read_file(str(tmp_path), "essai.md", content_class=Article, context={})
    assert [author.name for author in read.authors] == authors and read.author.name == authors[0]
    assert [tag.slug for tag in read.tags] == ["retraite", "sante"]
    assert [str(author) for author in schema.fields_of(read).author] == (authors if header else [])
