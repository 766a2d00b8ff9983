"""One harness for hostile content. A case is a change to a copy of the tests' site (tests/fixtures/site)
and the French line that `invoke lint` and the build must both print for it, with a non-zero exit, no
traceback and the previous site left as it was. Cases come from the folders of tests/broken/ (one file per
case, its line in a table below) or from a function that sets up a tree. The gate reports every problem in
one run, so the cases of one batch share one build; a case whose check comes after a stage that another
file of the batch stops is built alone."""

import dataclasses
import shutil
import typing

import hostile_files
from PIL import Image

from pressroom.settings import ROOT

BROKEN = ROOT / "tests" / "broken"


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    setup: typing.Callable  # (content folder, temporary folder) -> None
    expected: str  # the line, from its file name; "{tmp}" stands for the temporary folder
    batch: str  # the cases of one batch are built together


def copied(source, target, files=None):
    """A setup that copies ``source`` to ``target`` (relative to the content folder), with the files it names."""

    def setup(content, tmp):
        (content / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, content / target)
        for relative, maker in (files or {}).items():
            maker(content / relative)

    return setup


def folder_cases(folder, expected, place, batch, files=None, alone=()):
    """A case per file of tests/broken/``folder``: ``place`` gives where it goes in the content folder;
    ``expected`` maps its name to its line, after where it was placed."""
    cases = []
    for name, line in expected.items():
        target = place(name)
        shown = "content/institutions.yml" if target == "institutions.yml" else target
        case_batch = name if name in alone else batch
        setup = copied(BROKEN / folder / name, target, (files or {}).get(name))
        cases.append(Case(name, setup, shown + line, case_batch))
    return cases


def folder_names(folder, pattern):
    """The files of tests/broken/``folder`` that match ``pattern``, as the tables name them."""
    root = BROKEN / folder
    return sorted(path.relative_to(root).as_posix() for path in root.glob(pattern) if path.is_file())


# --- tests/broken/: one problem of the article header per file ---------------------------------------

BROKEN_ARTICLES = {
    "sans-titre.md": ":1: Title: champ obligatoire absent ou vide — ajoutez",
    "sans-date.md": ":1: Date: champ obligatoire absent ou vide",
    "sans-institutions.md": ":1: Institutions: champ obligatoire absent ou vide",
    "sans-auteur.md": ":1: Author: champ obligatoire absent ou vide",
    "date-illisible.md": ":2: Date: date illisible « le huit octobre » — écrivez",
    "date-impossible.md": ":2: Date: date impossible « 31 février 2024 »",
    "institution-inconnue.md": ":4: Institutions: institution inconnue « XYZA »",
    "statut-inconnu.md": ":5: Status: statut inconnu « brouillon »",
    "evenement-date-illisible.md": ":6: Event-Start: date illisible « le dix mars »",
    "theme-mal-orthographie.md": (
        ":5: Tags: thème « Formation » écrit « formation » "
        "dans articles/2019/cares-mali-seminaire-national-formation-nouveaux-membres.md"
    ),
    "meme-adresse.md": (
        ":5: Slug: même adresse (2024/10/cmss-untm-formation-relations-professionnelles/)"
        " que articles/2024/cmss-untm-formation-relations-professionnelles.md"
    ),
}


# --- tests/broken/gate/: the trust gate (an article; under pages/, a page; with the files it names) ---

RESERVED = "champ réservé : il déciderait où et comment la page est écrite — supprimez cette ligne"
TWICE = "champ écrit deux fois (déjà ligne {}) — gardez une seule ligne"
WINDOW = "date hors de la période admise"
ELEMENT = "texte: élément <{}> interdit dans le texte — le texte s'écrit en Markdown"
FOREIGN = "fichier: fichier refusé : seuls les textes Markdown (.md) sont lus dans le dossier des {}"
INVISIBLE = "fichier: caractère invisible de mise en forme (U+202E) — retapez cette ligne"
# Where each folder of tests/broken/gate/ goes in the content folder.
PLACES = {".": "articles/2024", "pages": "pages"}

GATE = {
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
GATE_FILES = {
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

# Checks of the files an article's text names come after the header's: another file of the batch with a
# header problem (the same title, so the same address) would stop the build before them.
GATE_ALONE = (
    "texte-image-svg.md",
    "texte-lien-html.md",
    "texte-lien-brouillon.md",
    "texte-photo-tronquee.md",
    "pages/page-fichier-svg.md",
)


def gate_place(name):
    folder, _, file_name = name.rpartition("/")
    return f"{PLACES[folder or '.']}/{file_name}"


# --- tests/broken/registre/: a hostile or careless registry, one per build --------------------------------

REGISTRY = {
    "sigle-en-double.yml": ":12: CMSS: sigle: sigle déjà présent ligne 2 — ",
    "sigle-variante-d-une-autre.yml": ":11: INPS: variantes: « Cmss » désigne déjà CMSS (sigle, ligne 2) — ",
    "variantes-texte.yml": ":6: AMAMUS: variantes: doit être une liste, pas « CMSS » — ",
    "liste.yml": ":2: registre: le registre doit être une liste de sigles suivis de deux-points (CMSS:, INPS: …)",
    "vide.yml": ":1: registre: registre vide — ",
    "champ-en-double.yml": ":6: CMSS: nom: champ écrit deux fois (déjà ligne 3) — ",
    "champ-inconnu.yml": ":6: CMSS: variante: champ inconnu — vouliez-vous dire « variantes » ?",
    # Issue 23: bounded work, and values that the pages can hold.
    "fusion-yaml.yml": ":2: syntaxe: ancre ou renvoi YAML (&nom, *nom) refusé — recopiez la valeur",
    "cle-de-fusion.yml": ":4: syntaxe: fusion YAML (<<:) refusée — écrivez chaque champ en toutes lettres",
    "courriel-sur-deux-lignes.yml": ":7: CMSS: contact_presse: courriel: retour à la ligne dans la valeur — ",
    "diffusion-compte.yml": ":7: CMSS: diffusion: telegram: compte « cmss_officiel » refusé — écrivez le nom public",
}


# --- Trees: what reaches output/ (one address table, no link, nothing undeclared) ----------------------

ARTICLE = """Title: {title}
Date: 2024-03-04
Author: Awa Traoré
Institutions: CMSS
Summary: Résumé.
{extra}
Corps de l'article.
"""


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


# Trees built together: each batch touches files of its own (one redirection.md, one adresses-publiees.txt), and
# a symbolic link stops the build before the addresses are checked, so links and addresses are not mixed.
TREE_BATCHES = {
    **dict.fromkeys(
        ["dossier-d-articles-lie", "lien-vers-une-cle", "lien-vers-passwd", "lien-vers-un-dossier"],
        "liens",
    ),
    **dict.fromkeys(["static-index", "image-de-partage", "variante-de-photo"], "adresses-du-site"),
    **dict.fromkeys(["redirection-recherche", "page-recherche", "liste-hors-du-site"], "recherche"),
    **dict.fromkeys(["redirection-agenda", "liste-absolue"], "agenda"),
    **dict.fromkeys(["redirection-institution", "liste-source-hors-du-contenu"], "institutions"),
}

# Each file of these folders has its line (tests/broken/registre/ also serves the registry's unit tests).
COVERED = {(".", "*.md"): BROKEN_ARTICLES, ("gate", "**/*"): GATE}

CASES = [
    *folder_cases(".", BROKEN_ARTICLES, lambda name: f"articles/2024/{name}", batch="articles"),
    *folder_cases("gate", GATE, gate_place, batch="gate", files=GATE_FILES, alone=GATE_ALONE),
    *folder_cases("registre", REGISTRY, lambda name: "institutions.yml", batch="registre", alone=tuple(REGISTRY)),
    *(Case(name, setup, expected, TREE_BATCHES.get(name, name)) for name, (setup, expected) in TREE_CASES.items()),
]
