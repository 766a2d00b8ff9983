"""Bad content fails the build with a French message naming file and field."""

from conftest import write_article

from plugins.typography.typography import typeset

ARTICLE = """Title: {title}
Date: 2024-03-04
Author: Awa Traoré
Institutions: {institutions}
Category: Communiqué de presse
Summary: {summary}

Corps de l'article.
"""


def test_unknown_institution_fails_with_file_and_acronym(content_copy, build):
    write_article(
        content_copy, "2024/inconnue.md", ARTICLE.format(title="Essai", institutions="CMSS, XYZA", summary="Résumé")
    )
    built = build(content_copy)
    assert built.status != 0
    assert "articles/2024/inconnue.md:4: Institutions: institution inconnue « XYZA »" in built.messages
    assert "content/institutions.yml" in built.messages


def test_institution_named_in_any_case_or_by_full_name_is_known(content_copy, build):
    write_article(
        content_copy,
        "2024/casse.md",
        ARTICLE.format(title="Casse", institutions="Cmss, caisse nationale d'assurance maladie", summary="Résumé"),
    )
    built = build(content_copy)
    assert built.status == 0, built.messages
    links = built.soup("2024/03/casse/").select("article header .institutions a")
    assert [a.get_text() for a in links] == ["CMSS", "CANAM"]


def test_event_end_before_start_fails(content_copy, build):
    write_article(
        content_copy,
        "2024/evenement.md",
        ARTICLE.format(title="Événement", institutions="CMSS", summary="Résumé").replace(
            "Summary:", "Event: Atelier\nEvent-Start: 2024-03-10\nEvent-End: 2024-03-08\nSummary:"
        ),
    )
    built = build(content_copy)
    assert built.status != 0
    assert "evenement.md:8: Event-End: la fin de l'événement précède son début" in built.messages


def test_hostile_metadata_renders_as_text(content_copy, build):
    title = 'Le <script>alert("x")</script> & l\'"audit" <b>'
    write_article(
        content_copy,
        "2024/hostile.md",
        ARTICLE.format(title=title, institutions="CMSS", summary="Résumé").replace("Title:", "Slug: hostile\nTitle:"),
    )
    built = build(content_copy)
    assert built.status == 0, built.messages
    page = built.soup("2024/03/hostile/")
    shown = typeset(title)  # French typography (plugins/typography): l’« audit »
    assert shown == 'Le <script>alert("x")</script> & l’«\u202faudit\u202f» <b>'
    assert page.find("h1").get_text() == shown
    executable = [  # JSON-LD is data; share.js is our copy button, offline.js registers the offline worker
        s
        for s in page.find_all("script")
        if s.get("type") != "application/ld+json" and not s.get("src", "").endswith(("/share.js", "/offline.js"))
    ]
    assert not executable and page.find("b") is None
    lite = built.soup("lite/2024/03/hostile/")  # plugins/lite
    assert lite.find("h1").get_text() == shown and not lite.find("script") and lite.find("b") is None
    assert page.title.get_text().startswith(shown)
