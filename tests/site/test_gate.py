"""The content gate: every article builds or the build says why (in French),
`invoke lint` reports every problem at once, drafts and embargoed articles
never reach the output, a preview shows them marked."""

import datetime
import gzip
import io
import json
import pathlib
import shutil

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURE_SITE, run_lint, write_article
from seed_articles import read_metadata

from plugins.typography.typography import typeset
from pressroom.build import site
from pressroom.content import frdates

ARTICLE = """Title: {title}
Date: {date}
Author: Awa Traoré
Institutions: CMSS
Category: Communiqué de presse
Summary: Résumé de « {title} ».
{extra}
Corps de l'article.
"""


def readable_bytes(path):
    """A file's bytes, gunzipped when compressed (precompressed copies, Pagefind's index)."""
    data = path.read_bytes()
    return gzip.decompress(data) if data.startswith(b"\x1f\x8b") else data


def output_files_containing(output, text):
    needle = text.encode("utf-8")
    return [path for path in pathlib.Path(output).rglob("*") if path.is_file() and needle in readable_bytes(path)]


def test_a_file_with_an_odd_tag_spelling_is_still_checked_for_collisions(content_copy):
    write_article(
        content_copy,
        "2024/aa-meme-adresse.md",
        "Title: Même adresse\nDate: 2024-10-09\nAuthor: Awa Traoré\nInstitutions: CMSS\n"
        "Tags: Formation\nSummary: Résumé.\nSlug: cmss-untm-formation-relations-professionnelles\n\nTexte.\n",
    )
    status, messages = run_lint(content_copy)
    assert status != 0
    assert "aa-meme-adresse.md:5: Tags: thème « Formation »" in messages
    assert "Slug: même adresse (2024/10/cmss-untm-formation-relations-professionnelles/)" in messages


def test_the_tests_site_passes_lint():
    status, messages = run_lint(FIXTURE_SITE)
    assert status == 0, messages
    assert messages.strip() == "Contenu vérifié : aucun problème."


@pytest.mark.parametrize(
    "written, expected",
    [
        ("8 octobre 2024", "2024-10-08T00:00:00+00:00"),
        ("1er novembre 2019", "2019-11-01T00:00:00+00:00"),
        ("mardi 8 octobre 2024 à 10h30", "2024-10-08T10:30:00+00:00"),
        ("2024-10-08 10:30", "2024-10-08T10:30:00+00:00"),
    ],
)
def test_french_dates_are_read_in_the_site_time_zone(content_copy, build, written, expected):
    write_article(
        content_copy,
        "2024/date-francaise.md",
        ARTICLE.format(title="Date en français", date=written, extra="Slug: date-francaise\n"),
    )
    built = build(content_copy)
    assert built.status == 0, built.messages
    year, month = expected[:4], expected[5:7]
    published = built.soup(f"{year}/{month}/date-francaise/").select_one("article header time")
    assert published["datetime"] == expected


def test_tag_spellings_differing_by_accents_name_both_files(content_copy, build):
    write_article(
        content_copy, "2024/senegal-1.md", ARTICLE.format(title="Premier", date="2024-03-04", extra="Tags: Sénégal\n")
    )
    write_article(
        content_copy, "2024/senegal-2.md", ARTICLE.format(title="Second", date="2024-03-05", extra="Tags: senegal\n")
    )
    built = build(content_copy)
    assert built.status != 0
    assert (
        "articles/2024/senegal-2.md:7: Tags: thème « senegal » écrit « Sénégal » dans articles/2024/senegal-1.md"
        in built.messages
    )


def test_same_title_on_different_days_is_kept_apart(content_copy, build):
    write_article(content_copy, "2024/a.md", ARTICLE.format(title="Même titre", date="2024-03-04", extra=""))
    write_article(content_copy, "2024/b.md", ARTICLE.format(title="Même titre", date="2024-04-04", extra=""))
    built = build(content_copy)
    assert built.status == 0, built.messages
    assert (built.output / "2024/03/meme-titre/index.html").exists()
    assert (built.output / "2024/04/meme-titre/index.html").exists()


# --- Embargo and drafts ----------------------------------------------------

DRAFT_TITLE = "Brouillon confidentiel Zorglub"
EMBARGO_TITLE = "Communiqué sous embargo Quetzal"
NEXT_YEAR = datetime.date.today().year + 1
EVENT = "Event: Atelier {0}\nEvent-Start: {1}-05-06\nEvent-Location: Bamako\n"


def write_unpublished(content):
    write_article(
        content,
        "2024/brouillon.md",
        ARTICLE.format(
            title=DRAFT_TITLE,
            date="2024-03-04",
            extra="Status: draft\nTags: secret-zorglub\n" + EVENT.format(DRAFT_TITLE, 2024),
        ),
    )
    write_article(
        content,
        f"{NEXT_YEAR}/embargo.md",
        ARTICLE.format(
            title=EMBARGO_TITLE,
            date=f"5 mai {NEXT_YEAR} à 10h30",
            extra="Tags: secret-quetzal\n" + EVENT.format(EMBARGO_TITLE, NEXT_YEAR),
        ),
    )


@pytest.fixture(scope="module")
def unpublished_content(tmp_path_factory):
    content = tmp_path_factory.mktemp("embargo") / "content"
    shutil.copytree(FIXTURE_SITE, content)
    write_unpublished(content)
    return content


def build_once(content, output, **overrides):
    messages = io.StringIO()
    status = site.build(
        out=messages, path=str(content), output_path=str(output), cache_path=str(output.parent / "cache"), **overrides
    )
    assert status == 0, messages.getvalue()
    return output


@pytest.mark.parametrize("settings_file", ["pelicanconf.py", "publishconf.py"])
def test_draft_and_embargoed_articles_appear_in_no_output_file(unpublished_content, tmp_path, settings_file):
    output = build_once(unpublished_content, tmp_path / "output", settings_file=settings_file)
    assert len(list(output.rglob("*.html"))) > 10  # the site itself was written
    for text in (DRAFT_TITLE, EMBARGO_TITLE, "Zorglub", "Quetzal", "zorglub", "quetzal"):
        assert output_files_containing(output, text) == [], text
    assert not (output / "drafts").exists()


def test_preview_shows_draft_and_embargo_with_french_notices(unpublished_content, tmp_path):
    output = build_once(unpublished_content, tmp_path / "output", preview=True)
    draft = BeautifulSoup((output / "2024/03/brouillon-confidentiel-zorglub/index.html").read_text(), "html.parser")
    embargo = BeautifulSoup(
        (output / f"{NEXT_YEAR}/05/communique-sous-embargo-quetzal/index.html").read_text(), "html.parser"
    )
    assert draft.select_one("article .preview-notice strong").get_text() == "Brouillon"
    release = frdates.long_date(datetime.date(NEXT_YEAR, 5, 5))
    assert embargo.select_one("article .preview-notice strong").get_text() == (
        f"Sous embargo jusqu'au {release} à 10 h 30"
    )
    home = BeautifulSoup((output / "index.html").read_text(), "html.parser")
    marked = {
        card.select_one(".card-title").get_text(strip=True)
        for card in home.select(".card")
        if card.select_one(".preview-notice")
    }
    fixture_draft = read_metadata(FIXTURE_SITE / "articles" / "2025" / "cmss-projet-de-communique.md")["title"]
    assert marked == {DRAFT_TITLE, EMBARGO_TITLE, typeset(fixture_draft)}  # the tests' site has a draft too


def test_embargo_notice_gives_the_french_date_and_time():
    from plugins.content_gate.content_gate import preview_notice

    class Embargoed:
        metadata = {}
        date = datetime.datetime(2099, 10, 6, 10, 30, tzinfo=datetime.UTC)

    assert preview_notice(Embargoed()) == "Sous embargo jusqu'au mardi 6 octobre 2099 à 10 h 30"
    Embargoed.metadata = {"status": "draft"}
    assert preview_notice(Embargoed()) == "Brouillon"


def test_production_settings_force_preview_off():
    assert site.load_settings("pelicanconf.py")["PREVIEW"] is False
    assert site.load_settings("publishconf.py")["PREVIEW"] is False
    assert site.load_settings("publishconf.py")["WITH_FUTURE_DATES"] is False


# --- Hostile input ---------------------------------------------------------

HOSTILE = '<script>alert(1)</script> "guillemets" & Cie'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    content = tmp_path_factory.mktemp("hostile") / "content"
    shutil.copytree(FIXTURE_SITE, content)
    with open(content / "institutions.yml", "a", encoding="utf-8") as registry:
        registry.write(f"\nXSS:\n  nom: {json.dumps('Caisse ' + HOSTILE)}\n  pays: Mali\n")
    write_article(
        content,
        "2024/hostile.md",
        f"""Title: Titre {HOSTILE}
Date: 2024-03-04
Author: Auteur {HOSTILE}
Institutions: CMSS, XSS
Category: Communiqué de presse
Summary: Résumé {HOSTILE}
Slug: hostile
Event: Atelier {HOSTILE}
Event-Start: 2024-03-10
Event-Location: Salle {HOSTILE}

Corps de l'article.
""",
    )
    return build_once(content, tmp_path_factory.mktemp("hostile-output") / "output")


def text_of(element):
    return " ".join(element.get_text().replace("\u202f", " ").replace("\xa0", " ").split())


def test_hostile_text_is_never_markup(hostile_site):
    assert (hostile_site / "2024/03/hostile/index.html").exists()
    written = [path for path in hostile_site.rglob("*") if path.suffix in (".html", ".xml") and path.is_file()]
    assert len(written) > 10
    assert [path for path in written if b"<script>alert" in path.read_bytes()] == []


def test_hostile_text_shows_as_text_on_the_article_page(hostile_site):
    page = BeautifulSoup((hostile_site / "2024/03/hostile/index.html").read_text(encoding="utf-8"), "html.parser")
    article = page.find("article")
    for shown in (page.find("h1"), article.select_one(".event"), article.select_one(".signature")):
        assert "<script>alert(1)</script>" in text_of(shown) and "& Cie" in text_of(shown)
    assert "Caisse <script>alert(1)</script>" in text_of(page) or "XSS" in text_of(article)
    assert not [
        s for s in page.find_all("script") if "alert(1)" in s.get_text() and s.get("type") != "application/ld+json"
    ]
    home = BeautifulSoup((hostile_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    card = next(c for c in home.select(".card") if "hostile" in c.a["href"])
    assert "Résumé <script>alert(1)</script>" in text_of(card.select_one(".summary"))


@pytest.mark.parametrize("name", ["tout.atom.xml", "tout.rss.xml"])
def test_hostile_title_is_text_in_feeds(hostile_site, name):
    feed = feedparser.parse((hostile_site / "feeds" / name).read_bytes())
    assert feed.bozo == 0
    entry = next(e for e in feed.entries if "hostile" in e.link)
    title = " ".join(entry.title.replace("\u202f", " ").split())
    assert title == "Titre <script>alert(1)</script> « guillemets » & Cie"  # French quotes, as text


def test_feed_title_is_text_even_without_the_typography_plugin(content_copy, build):
    write_article(
        content_copy,
        "2024/hostile.md",
        ARTICLE.format(title=f"Titre {HOSTILE}", date="2024-03-04", extra="Slug: hostile\n"),
    )
    plugins = [name for name in site.load_settings()["PLUGINS"] if name != "typography"]
    built = build(content_copy, plugins=plugins)
    assert built.status == 0, built.messages
    feed = feedparser.parse((built.output / "feeds/tout.atom.xml").read_bytes())
    # Each build connects only its own plugins to Pelican's signals: the quotes stay as written.
    titles = [" ".join(e.title.replace("\u202f", " ").split()) for e in feed.entries if "hostile" in e.link]
    assert titles == [f"Titre {HOSTILE}"]


def test_json_ld_parses_and_keeps_hostile_text(hostile_site):
    blocks = [
        json.loads(script.string)
        for path in hostile_site.rglob("*.html")
        for script in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find_all(
            "script", type="application/ld+json"
        )
    ]
    texts = json.dumps(blocks, ensure_ascii=False)
    if not blocks:
        pytest.skip("aucun JSON-LD dans le site (greffon seo absent)")
    assert "<script>alert(1)</script>" in texts


def test_hostile_event_is_text_in_calendar_files(hostile_site):
    icalendar = pytest.importorskip("icalendar")
    calendars = sorted(hostile_site.rglob("*.ics"))
    if not calendars:
        pytest.skip("aucun fichier .ics écrit (greffon events)")
    summaries = [
        str(event.get("summary"))
        for path in calendars
        for event in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    ]
    french = "Atelier <script>alert(1)</script> «\u202fguillemets\u202f» & Cie"  # typeset like the title
    assert french in summaries
