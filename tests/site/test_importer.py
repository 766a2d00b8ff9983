"""The importer: raw seeds and a saved WordPress page become clean Markdown articles;
what the text does not give is reported, never invented."""

import datetime
import difflib
import pathlib
import subprocess
import sys

import pytest
from conftest import FIXTURE_SITE, ROOT, SEEDS
from seed_articles import read_metadata

from pressroom.content import frdates
from pressroom.content.registry import Registry, normalize
from pressroom.tools.importer import import_file, import_paths

FIXTURES = ROOT / "tests" / "fixtures"
WORDPRESS_PAGE = FIXTURES / "wordpress-article.html"

# Each raw seed, the hand-checked article made from it, and the fields its text really gives
# (the others were written by a person and must come out empty and reported).
SEED_ARTICLES = {
    "000_23ae61bd8e370e4f.txt": (
        "2024/cmss-untm-formation-relations-professionnelles.md",
        # "Démarrée ce mardi 8 octobre 2024" is the session's first day: suggested, not taken as Date
        {"author", "author-service", "event-start", "event-end", "event-location"},
    ),
    "001_f199722963d6bb92.txt": (
        "2019/cares-mali-seminaire-national-formation-nouveaux-membres.md",
        {"title", "author", "event-start", "event-end", "event-location"},
    ),
    "002_0978a8626dbc1371.txt": (
        "2022/journee-porte-ouverte-services-protection-sociale.md",
        {"author", "author-service"},
    ),
    "003_49a81e4b0e5dc213.txt": (
        "2021/kaolack-reseau-oyofal-paj-atelier-gestion-ressources-humaines.md",
        {"event-start", "event-end", "event-location"},
    ),
    "004_9d34b2b12d24f209.txt": (
        "2019/rma-atelier-national-extension-protection-sociale.md",
        {"title", "author", "event-location"},
    ),
}
MISSING_NOTES = {
    "title": "titre absent",
    "date": "date de publication absente",
    "author": "auteur absent",
    "event-start": "date de début de l'événement absente",
    "event-end": "date de fin de l'événement absente",
    "event-location": "lieu de l'événement absent",
}
CRUFT = (
    "Flash Infos",
    "Accueil /",
    "Commentaires via Facebook",
    "Laisser un commentaire",
    "error: Content is protected",
    "Essayez à nouveau",
    "Nombre de visites",
    "Forêt classe",
    "Votre adresse de messagerie",
    "Bonsoir",
    "Comments are closed",
    "pipeau",
    "Y.Doumbia",
    "Aminata Bocar SOW",
    "Fatoumata Mah Thiam KONE",
)


@pytest.fixture(scope="module")
def registry():
    return Registry.load(FIXTURE_SITE / "institutions.yml")


def body_paragraphs(path):
    """The paragraphs of a Markdown article, spaces normalized."""
    body = pathlib.Path(path).read_text(encoding="utf-8").split("\n\n", 1)[1]
    return [" ".join(block.split()) for block in body.split("\n\n") if block.strip()]


def folded(text):
    return normalize(text.replace("’", "'"))


def same_name(found, expected):
    """A detected name is the expected one, or the start of it (the person completed it)."""
    found, expected = folded(found), folded(expected)
    return found in expected or difflib.SequenceMatcher(None, found, expected).ratio() > 0.95


@pytest.fixture(scope="module", params=sorted(SEED_ARTICLES))
def seed(request, registry):
    relative, in_text = SEED_ARTICLES[request.param]
    expected_path = FIXTURE_SITE / "articles" / relative
    return import_file(SEEDS / request.param, registry), read_metadata(expected_path), expected_path, in_text


def test_seed_fields_given_by_the_text_match_the_checked_article(seed):
    article, expected, _, in_text = seed
    exact = {"title", "date", "author-service", "event-start", "event-end"}
    for field in in_text & exact:
        assert article.value(field.title()) == expected[field], field
    if "author" in in_text:
        assert folded(article.value("Author")) == folded(expected["author"])
    if "event-location" in in_text:
        assert same_name(article.value("Event-Location"), expected["event-location"])
    assert same_name(article.value("Event"), expected["event"])
    assert set(article.value("Institutions").split(", ")) == set(expected["institutions"].split(", "))


def test_seed_fields_missing_from_the_text_are_reported_not_invented(seed):
    article, expected, _, in_text = seed
    report = article.report()
    for field, note in MISSING_NOTES.items():
        if field not in in_text and field in expected:
            if field == "title":  # never empty: a provisional title, reported to be rewritten
                assert article.value("Title") and article.known_title() == ""
            else:
                assert article.value(field.title()) == "", field
            assert note in report or (field == "date" and "date de publication incomplète" in report), field


def test_seed_keeps_every_paragraph_and_no_cruft(seed):
    article, _, expected_path, _ = seed
    assert article.paragraphs == body_paragraphs(expected_path)
    body = "\n\n".join(article.paragraphs)
    for cruft in CRUFT:
        assert cruft not in body


def test_month_only_date_is_reported_with_its_month(registry):
    article = import_file(SEEDS / "002_0978a8626dbc1371.txt", registry)
    assert article.value("Date") == ""
    assert "date de publication incomplète : décembre 2022, jour absent" in article.report()
    assert article.relative_path().parts[1] == "2022"
    assert not article.paragraphs[0].startswith("date")


def test_unknown_acronyms_are_registry_candidates(registry):
    article = import_file(SEEDS / "001_f199722963d6bb92.txt", registry)
    assert article.candidates == ["CFDT", "CSI-Afrique", "GSB"]
    assert (
        "Sigles inconnus, à ajouter au registre s'il s'agit d'institutions : CFDT, CSI-Afrique, GSB" in article.report()
    )
    names = import_file(SEEDS / "002_0978a8626dbc1371.txt", registry).candidates
    assert names == ["DNPSES"]  # not the names in capitals (TRAORE, COULIBALY) nor "Commune II"


RAW_TEXT = """Par Aminata Bocar SOW

Bamako, 8 octobre 2024 — La Canam et l’Agence Nationale d’Assistance Médicale ont signé une convention. \
Elle simplifie la prise en charge des assurés démunis dans les centres de santé du district.
PARTAGER : Facebook Twitter WhatsApp
A LIRE AUSSI
INPS : les pensions du troisième trimestre payées à temps
Photo : la signature à la Direction générale
Les deux directeurs généraux ont salué un pas vers la couverture maladie universelle.
Photo : la signature à la Direction générale
Un comité de suivi se réunira chaque trimestre.
Laisser un commentaire
Moussa : très bonne nouvelle pour les malades
"""


def test_text_with_dateline_byline_teaser_and_captions(tmp_path, registry):
    source = tmp_path / "convention.txt"
    source.write_text(RAW_TEXT, encoding="utf-8")
    article = import_file(source, registry)
    assert article.value("Date") == "2024-10-08"
    assert article.findings["Date"].confidence == "haute"
    assert article.value("Author") == "Aminata Bocar Sow"
    assert article.value("Institutions") == "CANAM, ANAM"
    assert article.known_title() == "" and "titre absent" in article.report()
    assert article.value("Title") == "La Canam et l’Agence Nationale d’Assistance Médicale ont signé une convention"
    assert "Title: La Canam et l’Agence Nationale" in article.markdown()
    assert [p[:20] for p in article.paragraphs] == [
        "Bamako, 8 octobre 20",
        "Les deux directeurs ",
        "Un comité de suivi s",
    ]
    body = "\n".join(article.paragraphs)
    for cruft in ("PARTAGER", "A LIRE AUSSI", "pensions", "Photo :", "commentaire", "Moussa"):
        assert cruft not in body


# --- A saved WordPress page ----------------------------------------------

WORDPRESS_PARAGRAPHS = [
    "La Caisse Nationale d’Assurance Maladie organise les 23 et 24 septembre",
    "Selon le directeur général de la Canam",
    "Pendant deux jours, les agents apprendront",
    "« Une mutuelle bien gérée",
]


@pytest.fixture(scope="module")
def wordpress(registry):
    return import_file(WORDPRESS_PAGE, registry)


def test_wordpress_page_metadata(wordpress):
    assert wordpress.value("Title") == "Assurance maladie : la Canam forme les agents des mutuelles"
    assert wordpress.value("Date") == "2023-09-20"
    assert (wordpress.value("Author"), wordpress.value("Author-Service")) == (
        "Moussa Traoré",
        "Cellule communication/CANAM",
    )
    assert wordpress.value("Institutions") == "CANAM, INPS"
    assert wordpress.value("Event") == "Atelier de formation sur la gestion des dossiers de prise en charge"
    # "les 23 et 24 septembre": the year is the year of publication
    assert (wordpress.value("Event-Start"), wordpress.value("Event-End")) == ("2023-09-23", "2023-09-24")
    assert wordpress.value("Event-Location") == "Hôtel Salam de Bamako"
    assert wordpress.value("Source").startswith("https://www.sante.example.ml/2023/09/20/")
    assert wordpress.relative_path() == pathlib.Path(
        "articles/2023/assurance-maladie-la-canam-forme-les-agents-des-mutuelles.md"
    )


def test_wordpress_page_keeps_the_article_only(wordpress):
    assert len(wordpress.paragraphs) == len(WORDPRESS_PARAGRAPHS)
    for paragraph, start in zip(wordpress.paragraphs, WORDPRESS_PARAGRAPHS):
        assert paragraph.startswith(start)
    markdown = wordpress.markdown()
    for cruft in (
        "Contactez-nous",
        "PARTAGER",
        "Facebook",
        "A LIRE AUSSI",
        "pensions du troisième trimestre",
        "Forêt classée",
        "Articles récents",
        "commentaires",
        "Kayes",
        "Laisser un commentaire",
        "Les participants à l’atelier de Bamako",
        "Content is protected",
        "Tous droits réservés",
        "admin",
        "Flash Infos",
    ):
        assert cruft not in markdown, cruft


# --- Writing: dry run, duplicates, building ------------------------------


def test_dry_run_prints_and_writes_nothing(tmp_path, registry, capsys):
    content = tmp_path / "content"
    content.mkdir()
    assert import_paths([WORDPRESS_PAGE], content, registry, dry_run=True) == 0
    printed = capsys.readouterr().out
    assert "essai : rien n'est écrit" in printed
    assert "Title: Assurance maladie : la Canam forme les agents des mutuelles" in printed
    assert "Sigles inconnus" in printed and "AMO" in printed
    assert list(content.iterdir()) == []


def test_an_article_is_not_written_twice(tmp_path, registry, capsys):
    content = tmp_path / "content"
    content.mkdir()
    seed = SEEDS / "000_23ae61bd8e370e4f.txt"
    import_paths([seed, WORDPRESS_PAGE], content, registry)
    assert import_paths([seed, WORDPRESS_PAGE], content, registry) == 0
    assert len(list(content.rglob("*.md"))) == 2
    assert capsys.readouterr().out.count("déjà importé") == 2


def test_seeds_already_in_content_are_not_imported_again(content_copy, registry, capsys):
    before = sorted(content_copy.rglob("*.md"))
    import_paths(sorted(SEEDS.glob("*.txt")), content_copy, registry)
    assert sorted(content_copy.rglob("*.md")) == before
    assert capsys.readouterr().out.count("déjà importé") == len(SEED_ARTICLES)


def test_imported_article_builds_with_the_site(content_copy, build, registry):
    assert import_paths([WORDPRESS_PAGE], content_copy, registry) == 0
    written = content_copy / "articles" / "2023" / "assurance-maladie-la-canam-forme-les-agents-des-mutuelles.md"
    assert written.exists()
    assert "\nStatus: draft\n" in written.read_text(encoding="utf-8")
    text = written.read_text(encoding="utf-8")  # the chapô is the officer's to write (the report says so)
    written.write_text(text.replace("Summary:", "Summary: La CANAM forme les agents des mutuelles.", 1), "utf-8")
    built = build(content_copy)
    assert built.status == 0, built.messages
    slug = "2023/09/assurance-maladie-la-canam-forme-les-agents-des-mutuelles/"
    assert not (built.output / slug).exists()  # a draft: not live until an officer removes the Status line
    built = build(content_copy, preview=True)
    assert built.status == 0, built.messages
    page = built.soup(slug)
    assert "la Canam forme les agents" in page.find("h1").get_text()
    assert "Pendant deux jours, les agents apprendront" in page.get_text()


def test_import_task_reports_unreadable_file_in_french(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "import", str(tmp_path / "absent.txt")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "absent.txt: fichier: introuvable — vérifiez le chemin" in result.stdout


# --- French periods (pressroom.content.frdates) -----------------------------------


@pytest.mark.parametrize(
    "text, year, expected",
    [
        ("du 13 au 15 novembre 2019", None, ((2019, 11, 13), (2019, 11, 15))),
        ("du 13 au 15 novembre", 2019, ((2019, 11, 13), (2019, 11, 15))),
        ("du mercredi 10 au vendredi 12 Novembre 2021", None, ((2021, 11, 10), (2021, 11, 12))),
        ("les 23 et 24 septembre", 2022, ((2022, 9, 23), (2022, 9, 24))),
        ("du 1er au 05 juillet 2019", None, ((2019, 7, 1), (2019, 7, 5))),
        ("du 30 novembre au 2 décembre 2019", None, ((2019, 11, 30), (2019, 12, 2))),
        ("du 30 décembre au 2 janvier 2020", None, ((2019, 12, 30), (2020, 1, 2))),
        ("du 30 décembre 2019 au 2 janvier 2020", None, ((2019, 12, 30), (2020, 1, 2))),
    ],
)
def test_parse_date_range(text, year, expected):
    start, end = expected
    assert frdates.parse_date_range(text, default_year=year) == (datetime.date(*start), datetime.date(*end))


@pytest.mark.parametrize(
    "text, message",
    [
        ("du 13 au 15 novembre", "année absente"),
        ("du 15 au 13 novembre 2019", "période à l'envers"),
        ("du 30 au 31 février 2024", "date impossible"),
        ("le 8 octobre 2024", "période illisible"),
    ],
)
def test_parse_date_range_refuses(text, message):
    with pytest.raises(ValueError, match=message):
        frdates.parse_date_range(text)


def test_find_periods_and_dates_in_running_text():
    assert (
        frdates.find_date_range("qui s’est tenu à Bamako du 1er au 05 juillet 2019 s’inscrit")
        == "du 1er au 05 juillet 2019"
    )
    assert frdates.find_date_range("aucune période ici, le 8 octobre 2024") is None
    assert frdates.find_dates("Démarrée ce mardi 8 octobre 2024, et le 31 octobre dernier") == [
        "mardi 8 octobre 2024",
        "31 octobre",
    ]
