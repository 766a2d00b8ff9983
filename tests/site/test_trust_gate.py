"""The trust gate: no article or page can overwrite a page, publish an unchecked
value, a script or a file outside the allow-list, crash the build or run away
with the output. Each hostile file in tests/broken/gate/ (an article; under
pages/, a page; with the files it names, made by ``FILES``) gets, from
`invoke lint` and from the build alike, one French line « fichier:ligne: champ:
problème — comment corriger », a non-zero exit, no traceback, and the previous
site left as it was."""

import hashlib
import io
import pathlib
import shutil

import hostile_files
import icalendar
import pytest
from conftest import ROOT, build_site, write_article
from PIL import Image

from pressroom.build import lint, site

GATE = ROOT / "tests" / "broken" / "gate"
RESERVED = "champ réservé : il déciderait où et comment la page est écrite — supprimez cette ligne"
TWICE = "champ écrit deux fois (déjà ligne {}) — gardez une seule ligne"
WINDOW = "date hors de la période admise"
ELEMENT = "texte: élément <{}> interdit dans le texte — le texte s'écrit en Markdown"
FOREIGN = "fichier: fichier refusé : seuls les textes Markdown (.md) sont lus dans le dossier des {}"
INVISIBLE = "fichier: caractère invisible de mise en forme (U+202E) — retapez cette ligne"
# Where each folder of tests/broken/gate/ goes in the content folder.
PLACES = {".": "articles/2024", "pages": "pages"}

EXPECTED = {
    "save-as-accueil.md": f":5: Save_as: {RESERVED}",
    "save-as-robots.md": f":5: Save_as: {RESERVED}",
    "url-dans-un-article.md": f":5: Url: {RESERVED}",
    "gabarit-hors-theme.md": f":5: Template: {RESERVED}",
    "slug-hors-du-site.md": ":5: Slug: adresse invalide « ../../etc/evil » — utilisez seulement des lettres minuscules",
    "slug-dossiers.md": ":5: Slug: adresse invalide « a/b/c »",
    "slug-accents.md": ":5: Slug: adresse invalide « communiqué-été »",
    "resume-deux-fois.md": f":6: Summary: {TWICE.format(5)}",
    "evenement-deux-fois.md": f":7: Event: {TWICE.format(5)}",
    "lieu-deux-fois.md": f":8: Event-Location: {TWICE.format(7)}",
    "titre-deux-fois.md": f":2: Title: {TWICE.format(1)}",
    "source-javascript.md": ":5: Source: adresse refusée « javascript:alert(10) » — écrivez une adresse complète",
    "evenement-an-un.md": f":6: Event-Start: {WINDOW} « 0001-01-01 » — écrivez une date entre 1960 et",
    "evenement-an-9999.md": f":6: Event-Start: {WINDOW} « 9999-12-31 »",
    "date-an-un.md": f":2: Date: {WINDOW} « 0001-01-01 »",
    "evenement-trop-long.md": ":7: Event-End: événement de plus de 366 jours",
    "deux-mille-themes.md": ":5: Tags: 2000 valeurs, 20 au plus",
    "fichier-vide.md": ":1: fichier: fichier vide",
    "caractere-de-controle.md": ":1: fichier: caractère de contrôle invisible (code 27) — retapez cette ligne",
    "encodage-latin1.md": ":3: fichier: caractère illisible : le fichier n'est pas enregistré en UTF-8",
    "champ-titre-en-francais.md": ":1: Titre: champ inconnu — vouliez-vous écrire « Title: » ?",
    "champ-institution-au-singulier.md": ":4: Institution: champ inconnu — vouliez-vous écrire « Institutions: » ?",
    # Issue 23: the text, the other readers, the pages, bounded work, invisible characters.
    "corps-script.md": ":9: " + ELEMENT.format("script"),
    "corps-script-local.md": ":9: " + ELEMENT.format("script"),
    "corps-svg.md": ":9: " + ELEMENT.format("svg"),
    "corps-iframe.md": ":9: " + ELEMENT.format("iframe"),
    "corps-object.md": ":9: " + ELEMENT.format("object"),
    "corps-meta-refresh.md": ":9: " + ELEMENT.format("meta"),
    "corps-formulaire.md": ":9: " + ELEMENT.format("form"),
    "corps-img-onerror.md": ":9: texte: attribut onerror interdit dans <img> — supprimez cet attribut",
    "corps-attributs-markdown.md": ":10: texte: attribut onmouseover interdit dans <p>",
    "corps-style.md": ":9: texte: attribut style interdit dans <p>",
    "corps-lien-javascript.md": ":9: texte: adresse javascript: interdite dans un lien « javascript:alert(1) » — ",
    "liste-300-niveaux.md": ":306: texte: texte imbriqué sur plus de 20 niveaux — simplifiez les listes",
    "crochets-par-milliers.md": ":9: texte: paragraphe de 20000 crochets « [ » ou « < », 100 au plus — un paragraphe",
    "liens-automatiques-ouverts.md": ":9: texte: paragraphe de 8000 crochets « [ » ou « < », 100 au plus",
    "corps-bidi.md": ":9: " + INVISIBLE,
    "titre-bidi.md": ":1: " + INVISIBLE,
    "inclusion.rst": ": " + FOREIGN.format("articles"),
    "communique.html": ": " + FOREIGN.format("articles"),
    "pages/page-accueil.md": f":2: Save_as: {RESERVED}",
    "pages/page-flux.md": f":2: Save_as: {RESERVED}",
    "pages/page-gabarit.md": f":2: Template: {RESERVED}",
    "pages/page-sans-titre.md": ":1: Title: champ obligatoire absent ou vide",
    "pages/page-institutions.md": ":2: Institutions: champ d'article, sans place dans une page — supprimez cette ligne",
    "pages/page-script.md": ":3: " + ELEMENT.format("script"),
    # Files named by an article (header or body): two folders, an allow-list of types checked by content.
    "piece-jointe-svg.md": ":5: Attachments: type de fichier refusé (.svg) « fichiers/schema.svg » — documents admis",
    "piece-jointe-html.md": ":6: Attachments: type de fichier refusé (.html) « fichiers/page.html »",
    "piece-jointe-deguisee.md": ":5: Attachments: le contenu n'est pas celui d'un fichier PDF « fichiers/rapport.pdf »",
    "pages/page-fichier-svg.md": ":3: texte: type de fichier refusé (.svg) « fichiers/schema.svg »",
    "texte-image-svg.md": ":9: texte: type de fichier refusé (.svg) « images/schema.svg » — enregistrez la photo en",
    "texte-lien-html.md": ":9: texte: type de fichier refusé (.html) « fichiers/page.html »",
    "texte-lien-brouillon.md": ":9: texte: fichier hors de content/images/ et content/fichiers/ « articles/2024/",
    "photo-bombe.md": ":5: Image: image de plus de 50 millions de pixels « images/bombe.png » — réduisez",
    "photo-tronquee.md": ":5: Image: image tronquée ou abîmée « images/tronquee.jpg »",
    "photo-png-abime.md": ":5: Image: image tronquée ou abîmée « images/abimee.png »",
    "texte-photo-tronquee.md": ":9: texte: image tronquée ou abîmée « images/tronquee.jpg »",
}
# The files that a hostile article names, made by the test (content folder -> maker).
FILES = {
    "piece-jointe-svg.md": {"fichiers/schema.svg": hostile_files.svg},
    "piece-jointe-html.md": {
        "fichiers/programme.pdf": hostile_files.pdf,
        "fichiers/page.html": hostile_files.html_page,
    },
    "piece-jointe-deguisee.md": {"fichiers/rapport.pdf": hostile_files.html_page},
    "texte-image-svg.md": {"images/schema.svg": hostile_files.svg},
    "pages/page-fichier-svg.md": {"fichiers/schema.svg": hostile_files.svg},
    "texte-lien-html.md": {"fichiers/page.html": hostile_files.html_page},
    "texte-lien-brouillon.md": {"articles/2024/brouillon-lie.md": hostile_files.draft_source},
    "photo-bombe.md": {"images/bombe.png": hostile_files.bomb_png},
    "photo-tronquee.md": {"images/tronquee.jpg": hostile_files.truncated_jpeg},
    "photo-png-abime.md": {"images/abimee.png": hostile_files.corrupt_png},
    "texte-photo-tronquee.md": {"images/tronquee.jpg": hostile_files.truncated_jpeg},
}


def placed(content, name):
    """Where the hostile file ``name`` (relative to tests/broken/gate) goes, and how lint names it."""
    source = GATE / name
    shown = f"{PLACES[str(source.parent.relative_to(GATE))]}/{source.name}"
    return content / shown, shown


def tree_digest(folder):
    digest = hashlib.sha256()
    for path in sorted(pathlib.Path(folder).rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def make_files(content, name):
    """The files that hostile article ``name`` names, written into ``content``; their paths."""
    made = []
    for relative, maker in FILES.get(name, {}).items():
        maker(content / relative)
        made.append(content / relative)
    return made


def run_lint(content):
    out = io.StringIO()
    return lint.run(out=out, path=str(content)), out.getvalue()


@pytest.fixture(scope="module")
def good_site(tmp_path_factory):
    """A content copy and its good build, which every hostile build must leave as it was."""
    base = tmp_path_factory.mktemp("gate")
    content = base / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "site", content)
    built = build_site(content, base / "output")
    assert built.status == 0, built.messages
    return content, built.output, tree_digest(built.output)


def test_every_hostile_file_has_an_expected_message():
    assert sorted(p.relative_to(GATE).as_posix() for p in GATE.rglob("*") if p.is_file()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_article_is_refused_by_lint_and_build_alike(good_site, name):
    content, output, digest = good_site
    target, shown = placed(content, name)
    shutil.copy(GATE / name, target)
    made = make_files(content, name)
    try:
        built = build_site(content, output)
        status, messages = run_lint(content)
    finally:
        for path in [target, *made]:
            path.unlink()
    expected = f"{shown}{EXPECTED[name]}"
    assert built.status != 0 and status != 0
    assert expected in built.messages, built.messages
    assert expected in messages, messages
    assert "Traceback" not in built.messages + messages
    assert tree_digest(output) == digest  # nothing overwritten, nothing removed


def test_all_hostile_files_are_reported_at_once(good_site, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(good_site[0], content)
    for name in EXPECTED:
        shutil.copy(GATE / name, placed(content, name)[0])
        make_files(content, name)
    status, messages = run_lint(content)
    assert status != 0
    for name, expected in EXPECTED.items():
        assert f"{placed(content, name)[1]}{expected}" in messages


ARTICLE = """Title: {title}
Date: 2024-03-04
Author: Awa Traoré
Institutions: CMSS
Summary: Résumé.
{extra}
Corps de l'article.
"""


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


def test_a_draft_with_problems_is_left_out_of_the_build_but_fails_lint(content_copy, build):
    write_article(
        content_copy,
        "2024/brouillon.md",
        "Title: Brouillon sans auteur\nDate: 2024-03-04\nAuthor:\nInstitutions: XYZA\nStatus: draft\n\nTexte.\n",
    )
    built = build(content_copy)
    assert built.status == 0, built.messages
    status, messages = run_lint(content_copy)
    assert status != 0
    assert "articles/2024/brouillon.md:4: Institutions: institution inconnue « XYZA »" in messages


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


# --- What reaches output/: one address table, no link, nothing undeclared -------------------------
# Each case changes a copy of the content tree; lint and the build must both refuse it with the line
# given, and leave the previous site as it was.

NEW = ARTICLE.replace("Date: 2024-03-04", "Date: 2024-03-04\nSlug: {slug}")
RESERVED_ADDRESS = "réservée au site : "
LINK = ": fichier: lien symbolique refusé (vers « {} »)"


def article(content, name, title="Article ordinaire", extra="", body="Corps.\n", slug="article-ordinaire"):
    path = content / "articles" / "2024" / name
    path.write_text(NEW.format(title=title, extra=extra, slug=slug) + body, encoding="utf-8")
    return path


def static_index(content, tmp_path):
    (content / "index.html").write_text("<p>Page de remplacement</p>", encoding="utf-8")
    article(content, "lien-static.md", body="[voir]({static}/index.html)\n")


def site_share_image(content, tmp_path):
    Image.new("RGB", (60, 30), "red").save(content / "images" / "partage-site.jpg", "JPEG")


def photo_variant(content, tmp_path):
    folder = content / "images" / "photos" / "0123456789abcdef0123"
    folder.mkdir(parents=True)
    (folder / "400.jpg").write_bytes(b"\xff\xd8\xff\xe0 pas une photo")


def linked_articles_folder(content, tmp_path):
    outside = tmp_path / "ailleurs" / "2024"
    outside.mkdir(parents=True)
    (outside / "accueil.md").write_text(
        NEW.format(title="Accueil remplacé", extra="", slug="accueil-remplace") + "Corps.\n", encoding="utf-8"
    )
    (content / "articles" / "lien").symlink_to(tmp_path / "ailleurs")


def linked_key_file(content, tmp_path):
    key = tmp_path / "cle-deploiement"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n", encoding="utf-8")
    (content / "fichiers").mkdir(exist_ok=True)
    (content / "fichiers" / "rapport.pdf").symlink_to(key)


def linked_passwd(content, tmp_path):
    (content / "fichiers").mkdir(exist_ok=True)
    (content / "fichiers" / "annexe.txt").symlink_to("/etc/passwd")


def linked_folder(content, tmp_path):
    (content / "images" / "systeme").symlink_to("/etc")


def redirect_onto(address):
    def setup(content, tmp_path):
        article(content, "redirection.md", extra=f"Redirect-From: {address}\n")

    return setup


def page_titled_search(content, tmp_path):
    page = content / "pages" / "recherche.md"
    page.write_text("Title: Recherche\n\nNotre moteur de recherche.\n", encoding="utf-8")


def listing_line(line):
    def setup(content, tmp_path):
        (content / "adresses-publiees.txt").write_text(line, encoding="utf-8")

    return setup


def takeover_of_another_institution(content, tmp_path):
    """An INPS article renamed (its old address listed as published), whose old address a CMSS
    article claims with Redirect-From."""
    (content / "adresses-publiees.txt").write_text("2024/03/ancien-nom/\tarticles/2024/inps.md\n", encoding="utf-8")
    inps = NEW.format(title="Communiqué de l'INPS", extra="", slug="nouveau-nom").replace("CMSS", "INPS")
    (content / "articles" / "2024" / "inps.md").write_text(inps + "Corps.\n", encoding="utf-8")
    article(content, "cmss.md", extra="Redirect-From: 2024/03/ancien-nom/\n")


def slug_onto_an_old_address(content, tmp_path):
    """The same INPS article renamed; a CMSS article takes its old address as its own Slug."""
    (content / "adresses-publiees.txt").write_text("2024/03/ancien-nom/\tarticles/2024/inps.md\n", encoding="utf-8")
    inps = NEW.format(title="Communiqué de l'INPS", extra="", slug="nouveau-nom").replace("CMSS", "INPS")
    (content / "articles" / "2024" / "inps.md").write_text(inps + "Corps.\n", encoding="utf-8")
    article(content, "cmss.md", slug="ancien-nom")


KNOWN = "articles/2024/cmss-untm-formation-relations-professionnelles.md"
TREE_CASES = {
    "static-index": (static_index, f"index.html: fichier: adresse index.html {RESERVED_ADDRESS}la page d'accueil"),
    "image-de-partage": (
        site_share_image,
        f"images/partage-site.jpg: fichier: adresse images/partage-site.jpg {RESERVED_ADDRESS}l'image de partage",
    ),
    "variante-de-photo": (
        photo_variant,
        "images/photos/0123456789abcdef0123/400.jpg: fichier: adresse images/photos/0123456789abcdef0123/400.jpg "
        f"{RESERVED_ADDRESS}les variantes des photos (dossier images/photos/)",
    ),
    "dossier-d-articles-lie": (linked_articles_folder, "articles/lien" + LINK.format("{tmp}/ailleurs")),
    "lien-vers-une-cle": (linked_key_file, "fichiers/rapport.pdf" + LINK.format("{tmp}/cle-deploiement")),
    "lien-vers-passwd": (linked_passwd, "fichiers/annexe.txt" + LINK.format("/etc/passwd")),
    "lien-vers-un-dossier": (linked_folder, "images/systeme" + LINK.format("/etc")),
    "redirection-recherche": (
        redirect_onto("recherche/"),
        f"articles/2024/redirection.md:7: Redirect-From: adresse recherche/ {RESERVED_ADDRESS}la page de recherche",
    ),
    "redirection-agenda": (
        redirect_onto("agenda/"),
        f"articles/2024/redirection.md:7: Redirect-From: adresse agenda/ {RESERVED_ADDRESS}l'agenda",
    ),
    "redirection-institution": (
        redirect_onto("institutions/cmss/"),
        f"articles/2024/redirection.md:7: Redirect-From: adresse institutions/cmss/ {RESERVED_ADDRESS}les pages des "
        "institutions (dossier institutions/)",
    ),
    "page-recherche": (
        page_titled_search,
        f"pages/recherche.md:1: Title: adresse recherche/ {RESERVED_ADDRESS}la page de recherche",
    ),
    "liste-recherche": (
        listing_line(f"recherche/\t{KNOWN}\n"),
        f"adresses-publiees.txt:1: Adresse: adresse recherche/ {RESERVED_ADDRESS}la page de recherche",
    ),
    "liste-hors-du-site": (
        listing_line(f"../../etc/\t{KNOWN}\n"),
        "adresses-publiees.txt:1: Adresse: adresse invalide « ../../etc/ » : seules les adresses du site",
    ),
    "liste-absolue": (
        listing_line(f"/etc/\t{KNOWN}\n"),
        "adresses-publiees.txt:1: Adresse: adresse invalide « /etc/ »",
    ),
    "liste-source-hors-du-contenu": (
        listing_line("2024/03/x/\t../../secret.md\n"),
        "adresses-publiees.txt:1: Adresse: fichier source invalide « ../../secret.md »",
    ),
    "reprise-d-une-autre-institution": (
        takeover_of_another_institution,
        "articles/2024/cmss.md:7: Redirect-From: adresse 2024/03/ancien-nom/ déjà publiée : c'est l'ancienne adresse "
        "de articles/2024/inps.md (INPS)",
    ),
    "slug-sur-une-adresse-publiee": (
        slug_onto_an_old_address,
        "articles/2024/cmss.md:3: Slug: adresse 2024/03/ancien-nom/ déjà publiée : c'est l'ancienne adresse de "
        "articles/2024/inps.md (INPS)",
    ),
}


@pytest.mark.parametrize("name", sorted(TREE_CASES))
def test_hostile_tree_is_refused_by_lint_and_build_alike(good_site, tmp_path, name):
    setup, expected = TREE_CASES[name]
    _, output, digest = good_site
    content = tmp_path / "content"
    shutil.copytree(good_site[0], content, symlinks=True)
    setup(content, tmp_path)
    built = build_site(content, output)
    status, messages = run_lint(content)
    expected = expected.format(tmp=tmp_path)
    assert built.status != 0 and status != 0
    assert expected in built.messages, built.messages
    assert expected in messages, messages
    assert "Traceback" not in built.messages + messages
    assert "erreur inattendue" not in built.messages
    assert tree_digest(output) == digest  # nothing overwritten, nothing removed


def test_a_renamed_article_keeps_its_old_address_for_itself(content_copy, build):
    """The takeover refused above is not a rename: the old address leads to the renamed article."""
    (content_copy / "adresses-publiees.txt").write_text("2024/03/ancien-nom/\tarticles/2024/inps.md\n")
    inps = NEW.format(title="Communiqué de l'INPS", extra="", slug="nouveau-nom").replace("CMSS", "INPS")
    (content_copy / "articles" / "2024" / "inps.md").write_text(inps + "Corps.\n", encoding="utf-8")
    assert run_lint(content_copy)[0] == 0
    built = build(content_copy)
    assert built.status == 0, built.messages
    assert "2024/03/nouveau-nom/" in built.soup("2024/03/ancien-nom").find("link", rel="canonical")["href"]
