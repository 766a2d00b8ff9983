"""The trust gate beyond the hostile cases of tests/hostile_cases.py (checked by test_hostile_cases.py):
what a hostile or unusual article that passes the gate becomes on the site, and a rename that keeps its
old address."""

import io

import icalendar
from conftest import run_lint, write_article
from hostile_cases import ARTICLE, NEW

from pressroom.build import site


def event_of(output, slug):
    (path,) = (output / "calendrier" / "evenements").rglob(f"{slug}.ics")
    return icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]


def test_a_date_only_end_after_a_timed_start_ends_that_day(content_copy, build):
    write_article(
        content_copy,
        "2024/atelier.md",
        ARTICLE.format(
            title="Atelier de trois jours",
            extra="Slug: atelier\nEvent: Atelier\nEvent-Start: 8 octobre 2024 à 9h30\nEvent-End: 10 octobre 2024\n",
        ),
    )
    write_article(
        content_copy,
        "2024/journee.md",
        ARTICLE.format(
            title="Journée d'un jour",
            extra="Slug: journee\nEvent: Journée\nEvent-Start: 2024-11-05 09:00\nEvent-End: 2024-11-05\n",
        ),
    )
    built = build(content_copy)
    assert built.status == 0, built.messages
    three_days = event_of(built.output, "atelier")
    assert (three_days.end.date().isoformat(), three_days.end.hour, three_days.end.minute) == ("2024-10-10", 23, 59)
    one_day = event_of(built.output, "journee")
    assert one_day.start.hour == 9 and one_day.end.date() == one_day.start.date() and one_day.end.hour == 23


def test_hidden_article_builds_and_stays_out_of_listings_and_search(content_copy, build):
    write_article(
        content_copy, "2024/cache.md", ARTICLE.format(title="Article caché", extra="Slug: cache\nStatus: hidden\n")
    )
    built = build(content_copy)
    assert built.status == 0, built.messages
    assert (built.output / "2024" / "03" / "cache" / "index.html").exists()
    assert "Article caché" not in (built.output / "index.html").read_text(encoding="utf-8")
    assert (built.output / "pagefind").is_dir()


def test_a_draft_with_problems_is_left_out_of_the_build_and_a_warning_of_lint(content_copy, build):
    write_article(
        content_copy,
        "2024/brouillon.md",
        "Title: Brouillon sans auteur\nDate: 2024-03-04\nAuthor:\nInstitutions: XYZA\nStatus: draft\n\nTexte.\n",
    )
    built = build(content_copy)
    assert built.status == 0, built.messages
    status, messages = run_lint(content_copy)
    assert status == 0, messages  # the publication job's `make lint` is not stopped by a draft
    assert messages.splitlines() == [
        "Avertissement, brouillons laissés de côté : 1 problème(s) à corriger avant de les publier.",
        "articles/2024/brouillon.md:4: Institutions: institution inconnue « XYZA » — corrigez le sigle ou ajoutez "
        "l'institution au registre content/institutions.yml",
        "Contenu vérifié : aucun problème qui empêche la publication.",
    ]


def test_a_published_article_s_problems_still_fail_lint_beside_a_draft_s(content_copy):
    write_article(
        content_copy, "2024/brouillon.md", "Title: B\nDate: 2024-03-04\nInstitutions: XYZA\nStatus: draft\n\nT.\n"
    )
    write_article(
        content_copy, "2024/publie.md", "Title: P\nDate: 2024-03-04\nAuthor: A. Sow\nInstitutions: XYZA\n\nT.\n"
    )
    status, messages = run_lint(content_copy)
    assert status == 2
    assert "Contenu refusé : 2 problème(s) dans le contenu." in messages  # its Summary too
    assert "articles/2024/publie.md:4: Institutions: institution inconnue « XYZA »" in messages


def test_an_unforeseen_error_is_a_french_message_and_a_log(content_copy, tmp_path, monkeypatch):
    from pressroom.build import pipeline

    def broken(generators):
        raise KeyError("inattendu")

    monkeypatch.setattr(pipeline, "declare", lambda content: broken(content))
    out = io.StringIO()
    status = site.build(
        out=out, path=str(content_copy), output_path=str(tmp_path / "output"), cache_path=str(tmp_path / "cache")
    )
    assert status != 0
    message = out.getvalue()
    assert "La construction a échoué : erreur inattendue en traitant articles/" in message
    assert "Traceback" not in message
    log = tmp_path / "cache" / "erreur-construction.log"
    assert "KeyError" in log.read_text(encoding="utf-8")


def test_a_150_kb_paragraph_of_no_break_spaces_builds_typeset(content_copy, build):
    """Typography once took minutes on such a paragraph (its time grew with the square of the run)."""
    paragraph = ("Mot" + "\u00a0" * 1000 + ";") * 150
    write_article(content_copy, "2024/espaces.md", ARTICLE.format(title="Espaces", extra="Slug: espaces\n") + paragraph)
    built = build(content_copy)
    assert built.status == 0, built.messages
    text = built.soup("2024/03/espaces").select_one("div.body").get_text()
    assert "Mot\u202f;" * 150 in text


def test_code_and_site_links_of_a_body_are_kept_as_written(content_copy, build):
    """What looks like markup in code is text; links to the site's pages and photos pass the allow-list."""
    extra = "Slug: liens\n"
    text = (
        "Écrivez `<script>` dans le code.\n\n"
        "Voir [l'accessibilité]({filename}/pages/accessibilite.md) et [la CMSS](https://cmss.example.ml/).\n"
    )
    write_article(content_copy, "2024/liens.md", ARTICLE.format(title="Liens", extra=extra) + text)
    built = build(content_copy)
    assert built.status == 0, built.messages
    body = built.soup("2024/03/liens").select_one("div.body")
    assert body.find("code").get_text() == "<script>" and body.find("script") is None
    hrefs = [a["href"] for a in body.find_all("a")]
    assert any(href.rstrip("/").endswith("accessibilite") for href in hrefs), hrefs
    assert "https://cmss.example.ml/" in hrefs


def test_a_renamed_article_keeps_its_old_address_for_itself(content_copy, build):
    """The takeover refused above is not a rename: the old address leads to the renamed article."""
    (content_copy / "adresses-publiees.txt").write_text("2024/03/ancien-nom/\tarticles/2024/inps.md\n")
    inps = NEW.format(title="Communiqué de l'INPS", extra="", slug="nouveau-nom").replace("CMSS", "INPS")
    (content_copy / "articles" / "2024" / "inps.md").write_text(inps + "Corps.\n", encoding="utf-8")
    assert run_lint(content_copy)[0] == 0
    built = build(content_copy)
    assert built.status == 0, built.messages
    assert "2024/03/nouveau-nom/" in built.soup("2024/03/ancien-nom").find("link", rel="canonical")["href"]
