"""Writing imported articles: nothing lost (a taken name gets "-2"), « déjà importé » only for
the same article, every article a draft with a title, one summary for a batch."""

import io
import pathlib

import pytest
from conftest import FIXTURE_SITE

from pressroom.content.registry import Registry
from pressroom.tools.importer import import_file, import_paths
from pressroom.tools.importer.bench import bench

ROOT = pathlib.Path(__file__).resolve().parents[2]

RELEASE = """Par Aminata Bocar SOW

Bamako, 8 octobre 2024 — {opening}

Un comité de suivi se réunira chaque trimestre.
"""
PAGE = """<html><head><title>{title}</title><link rel="canonical" href="{url}">
<meta property="article:published_time" content="{date}"></head>
<body><article><h1>{title}</h1><div class="entry-content"><p>Par Moussa TRAORE</p><p>{opening}</p>
<p>La Canam remercie ses partenaires.</p></div></article></body></html>
"""


@pytest.fixture(scope="module")
def registry():
    return Registry.load(FIXTURE_SITE / "institutions.yml")


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    (folder / "articles").mkdir(parents=True)
    return folder


def write_page(folder, name, title, opening, url="", date="2024-10-08T10:00:00"):
    path = folder / name
    path.write_text(PAGE.format(title=title, opening=opening, url=url, date=date), encoding="utf-8")
    return path


def run(paths, content, registry):
    out = io.StringIO()
    status = import_paths(paths, content, registry, out=out, progress=False)
    return status, out.getvalue()


def test_two_different_releases_with_the_same_title_are_both_written(tmp_path, content, registry):
    first = write_page(tmp_path, "a.html", "Convention CANAM", "La Canam a signé une convention avec l’ANAM.")
    second = write_page(tmp_path, "b.html", "Convention CANAM", "La Canam a signé une convention avec l’INPS.")
    status, printed = run([first, second], content, registry)
    assert status == 0
    names = sorted(p.name for p in content.rglob("*.md"))
    assert names == ["convention-canam-2.md", "convention-canam.md"]
    assert "déjà importé" not in printed
    assert "nom déjà pris par un autre article (content/articles/2024/convention-canam.md)" in printed
    second_file = content / "articles" / "2024" / "convention-canam-2.md"
    assert "\nSlug: convention-canam-2\n" in second_file.read_text(encoding="utf-8")
    assert "1 renommé(s)" in printed


def test_the_same_article_again_is_a_duplicate(tmp_path, content, registry):
    page = write_page(tmp_path, "a.html", "Convention CANAM", "La Canam a signé une convention avec l’ANAM.")
    run([page], content, registry)
    status, printed = run([page], content, registry)
    assert status == 0 and printed.count("déjà importé") == 1
    assert len(list(content.rglob("*.md"))) == 1


def test_same_source_address_is_a_duplicate_even_when_edited(tmp_path, content, registry):
    url = "https://www.canam.example.ml/2024/10/08/convention/"
    page = write_page(tmp_path, "a.html", "Convention CANAM", "La Canam a signé une convention.", url=url)
    run([page], content, registry)
    written = next(content.rglob("*.md"))
    written.write_text(written.read_text(encoding="utf-8").replace("Convention CANAM", "Titre réécrit"), "utf-8")
    again = write_page(tmp_path, "b.html", "Autre titre", "Un autre premier paragraphe.", url=url)
    _, printed = run([again], content, registry)
    assert "déjà importé" in printed and len(list(content.rglob("*.md"))) == 1


def test_same_first_paragraph_but_another_date_is_another_article(tmp_path, content, registry):
    opening = "La Canam paie les prestations du trimestre."
    first = write_page(tmp_path, "a.html", "Paiement", opening, date="2024-01-08T10:00:00")
    second = write_page(tmp_path, "b.html", "Paiement", opening, date="2024-04-08T10:00:00")
    _, printed = run([first, second], content, registry)
    assert "déjà importé" not in printed
    assert len(list(content.rglob("*.md"))) == 2


def test_text_release_without_title_is_a_draft_with_a_provisional_title(tmp_path, content, registry):
    source = tmp_path / "sans-titre.txt"
    source.write_text(RELEASE.format(opening="La Canam et l’ANAM ont signé une convention. Elle aide."), "utf-8")
    run([source], content, registry)
    text = next(content.rglob("*.md")).read_text(encoding="utf-8")
    assert "\nStatus: draft\n" in text
    assert text.startswith("Title: La Canam et l’ANAM ont signé une convention\n")


def test_report_quotes_the_source_with_its_accents(tmp_path, registry):
    source = tmp_path / "accents.txt"
    source.write_text(
        "Une session de formation des agents de la CMSS.\n\n"
        "Démarrée ce mardi 8 octobre 2024 à Ségou, la session réunit les agents.\n",
        encoding="utf-8",
    )
    report = import_file(source, registry).report()
    assert "« Démarrée ce mardi 8 octobre 2024 »" in report
    assert "demarree" not in report


def test_batch_of_many_files_has_one_summary(tmp_path, content, registry):
    folder = tmp_path / "lot"
    folder.mkdir()
    for number in range(30):
        opening = f"La Canam a tenu sa réunion numéro {number} avec l’INPS."
        write_page(folder, f"{number:03}.html", f"Réunion {number}", opening)
    (folder / "casse.html").write_bytes(b"")
    (folder / "vide.txt").write_text("", encoding="utf-8")
    out = io.StringIO()
    status = import_paths(sorted(folder.iterdir()), content, registry, out=out, progress=True)
    printed = out.getvalue()
    assert status == 2
    assert printed.count("Bilan :") == 1
    assert "Bilan : 32 fichier(s) lu(s) — 30 écrits, 0 doublon(s) non écrit(s), 2 en échec" in printed
    assert "vide.txt: fichier: aucun texte d'article trouvé" in printed


def test_unreadable_file_in_a_batch_is_reported_and_the_batch_goes_on(tmp_path, content, registry):
    good = write_page(tmp_path, "a.html", "Convention CANAM", "La Canam a signé une convention.")
    status, printed = run([tmp_path / "absent.html", good], content, registry)
    assert status == 2
    assert "absent.html: fichier: introuvable — vérifiez le chemin" in printed
    assert "1 écrits" in printed and "1 en échec" in printed


def test_bench_prints_a_size_time_table():
    out = io.StringIO()
    rows = bench(sizes=(0.01, 0.02), registry_path=FIXTURE_SITE / "institutions.yml", out=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split()[:7] == ["Taille", "(Mo)", "Durée", "(s)", "s", "par", "Mo"]
    assert "Processeur (s)" in lines[0]
    assert len(lines) == 3 and len(rows) == 2
