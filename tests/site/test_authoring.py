"""Authoring: `invoke new` writes a draft ready to fill; `invoke publish` builds
for production and copies the site by rsync to $PUBLISH_DEST."""

import datetime
import io
import os
import shutil
import subprocess
import sys

import pytest
from conftest import FIXTURE_SITE, LIVE_CONTENT, ROOT
from seed_articles import read_metadata
from tools import require

from pressroom.content import schema
from pressroom.publish import host as publish
from pressroom.tools import new

NOW = datetime.datetime(2025, 3, 4, 10, 30)
TITLE = "L’INPS forme ses agents à l’accueil des assurés"
FIELDS = [f.key for f in schema.FIELDS if f.in_new and f.group == "article"]
EVENT_FIELDS = [f.key for f in schema.FIELDS if f.in_new and f.group == "event"]
FILLED = {
    "Author-Service": "Service communication/INPS",
    "Tags": "formation, accueil",
    "Summary": "Trente agents de l’INPS formés à l’accueil.",
    "Status": "published",
    "Event": "Formation à l’accueil des assurés",
    "Event-Start": "2025-03-10",
    "Event-End": "2025-03-12",
    "Event-Location": "Direction régionale de Kayes",
    "Event-Organizers": "INPS",
}


def fill(path, values):
    """Fill the header fields as an officer would, leaving the notes in place."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines):
        name = line.partition(":")[0]
        if not line.strip():
            break
        if name in values:
            lines[number] = f"{name}: {values[name]}"
    path.write_text("\n".join(lines).replace("Écrivez ici le texte de l'article", "Le texte réel"), encoding="utf-8")


def test_new_article_has_every_field_and_a_french_note_for_each(content_copy):
    path = new.new_article(TITLE, "inps", event=True, content=content_copy, now=NOW)
    assert path == content_copy / "articles" / "2025" / "linps-forme-ses-agents-a-laccueil-des-assures.md"
    metadata = read_metadata(path)
    assert list(metadata) == FIELDS + EVENT_FIELDS
    assert metadata["title"] == TITLE
    assert metadata["date"] == "2025-03-04 10:30"
    assert metadata["institutions"] == "INPS"
    assert metadata["author"] == ""
    assert metadata["slug"] == path.stem
    assert metadata["status"] == "draft"
    notes = path.read_text(encoding="utf-8").split("<!--", 1)[1]
    for field in schema.FIELDS:
        if field.key in FIELDS + EVENT_FIELDS:
            assert f"\n{field.name} " in notes and field.help.replace("`", "") in notes, field.name


def test_new_article_without_event_has_no_event_field(content_copy):
    path = new.new_article("Communiqué du conseil", "CMSS", content=content_copy, now=NOW)
    metadata = read_metadata(path)
    assert list(metadata) == FIELDS
    assert "Event-Start" not in path.read_text(encoding="utf-8")


def test_new_article_refuses_to_overwrite(content_copy):
    path = new.new_article(TITLE, "INPS", content=content_copy, now=NOW)
    path.write_text("déjà écrit", encoding="utf-8")
    with pytest.raises(new.ArticleExists, match="existe déjà"):
        new.new_article(TITLE, "INPS", content=content_copy, now=NOW)
    assert path.read_text(encoding="utf-8") == "déjà écrit"


def test_fresh_draft_builds_and_filled_article_is_published(content_copy, build):
    path = new.new_article(TITLE, "INPS", author="Awa Traoré", event=True, content=content_copy, now=NOW)
    draft = build(content_copy)
    assert draft.status == 0, draft.messages
    url = f"2025/03/{path.stem}/"
    assert not (draft.output / url).exists()

    fill(path, FILLED)
    built = build(content_copy)
    assert built.status == 0, built.messages
    page = built.soup(url)
    assert page.find("h1").get_text(strip=True) == TITLE
    text = page.get_text()
    assert "Le texte réel" in text
    assert "Mode d'emploi" not in text and "Event-Location" not in text
    for written in (built.output / url / "index.html", built.output / "feeds" / "tout.atom.xml"):
        assert "Mode d'emploi" not in written.read_text(encoding="utf-8"), written  # not even as a comment
    assert "du 10 au 12 mars 2025" in page.select_one(".event").get_text()
    assert [a.get_text() for a in page.select("article header .institutions a")] == ["INPS"]


def test_invoke_new_with_unknown_institution_fails_in_french_and_writes_nothing():
    before = sorted(LIVE_CONTENT.rglob("*.md"))
    result = subprocess.run(
        [os.path.join(sys.prefix, "bin", "invoke"), "new", "Un titre", "--institution", "XYZA"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "institution inconnue « XYZA »" in result.stderr
    assert "content/institutions.yml" in result.stderr
    assert sorted(LIVE_CONTENT.rglob("*.md")) == before


def test_publish_without_destination_says_so_in_french():
    messages = io.StringIO()
    assert publish.publish(environ={}, out=messages) != 0
    assert "PUBLISH_DEST absente" in messages.getvalue()


@pytest.fixture
def production(tmp_path):
    require(shutil.which("rsync"), "rsync (apt-get install rsync)")
    www = tmp_path / "www"
    www.mkdir()
    (www / "ancien.html").write_text("page retirée", encoding="utf-8")
    overrides = {
        "path": str(shutil.copytree(FIXTURE_SITE, tmp_path / "content")),  # publishing records its addresses there
        "output_path": str(tmp_path / "output"),
        "cache_path": str(tmp_path / "cache"),
        "siteurl": "https://presse.example.org",
        "feed_domain": "https://presse.example.org",
    }
    return www, {"PUBLISH_DEST": f"{www}/"}, overrides


def test_publish_dry_run_sends_nothing(production):
    www, environ, overrides = production
    messages = io.StringIO()
    assert publish.publish(dry_run=True, init=True, force=True, environ=environ, out=messages, **overrides) == 0
    assert sorted(p.name for p in www.iterdir()) == ["ancien.html"]
    assert "Essai à blanc, rien n'a été envoyé" in messages.getvalue()


def test_publish_copies_the_production_site_and_deletes_stale_files(production):
    www, environ, overrides = production
    messages = io.StringIO()
    assert publish.publish(init=True, force=True, environ=environ, out=messages, **overrides) == 0, messages.getvalue()
    assert not (www / "ancien.html").exists()
    index = (www / "index.html").read_text(encoding="utf-8")
    assert 'href="https://presse.example.org/feeds/tout.atom.xml"' in index
    assert (www / "2024" / "10" / "cmss-untm-formation-relations-professionnelles" / "index.html").exists()


def test_guide_documents_every_field_the_message_format_and_the_commands():
    guide = (ROOT / "docs" / "guide-redaction.md").read_text(encoding="utf-8")
    for field in FIELDS + EVENT_FIELDS:
        assert f"`{field.title()}`" in guide, field
    assert "fichier:ligne: champ: problème — comment corriger" in guide
    for command in ("invoke new", "make serve", "make lint", "make publish", "PUBLISH_DEST", "--dry-run"):
        assert command in guide, command
