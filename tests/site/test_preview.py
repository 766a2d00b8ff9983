"""The preview server keeps the site in memory and rewrites only what an edit
changes: after each edit of a sequence, its output folder must be the output
of a fresh full build of the same content, byte for byte (the search index and
the status file aside), and a file with problems must leave the page as it was."""

import datetime
import io
import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURE_SITE, ROOT
from preview_tools import SETTINGS, assert_same_as_full_build

from pressroom.build import site as site_build
from pressroom.preview import live as preview
from pressroom.tools import bench

SEED = "articles/2024/cmss-untm-formation-relations-professionnelles.md"
EVENT_SEED = "articles/2019/cares-mali-seminaire-national-formation-nouveaux-membres.md"


@pytest.fixture
def site(tmp_path):
    """The seed articles and 25 synthetic ones (three pages of home page), with a preview of them."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    bench.generate_archive(content, 25)
    running = preview.Preview(
        out=io.StringIO(),
        path=str(content),
        output_path=str(tmp_path / "apercu"),
        cache_path=str(tmp_path / "cache"),
        **SETTINGS,
    )
    assert running.build().status == 0, running.out.getvalue()
    return running


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def new_article(model):
    """A new article, the newest of all: it goes first on the home page."""
    dates = [
        re.search(r"^Date: (.*)$", p.read_text(encoding="utf-8"), re.M)[1] for p in model.parent.parent.rglob("*.md")
    ]
    newest = datetime.datetime.fromisoformat(max(dates)) + datetime.timedelta(minutes=1)
    text = model.read_text(encoding="utf-8").replace("Title: ", "Title: Nouveau ", 1)
    text = re.sub(r"Date: .*", f"Date: {newest:%Y-%m-%d %H:%M}", text)
    text = re.sub(r"Slug: .*", "Slug: nouvel-article-apercu", text)
    path = model.with_name("nouvel-article.md")
    path.write_text(text, encoding="utf-8")
    return path


def test_preview_equals_a_full_build_after_each_edit(site, tmp_path):
    content = tmp_path / "content"
    seed, event_seed = content / SEED, content / EVENT_SEED
    (other,) = (content / "articles").rglob("*-25.md")  # a synthetic article
    steps = {
        "title": lambda: edit(seed, "Title: CMSS : une centaine", "Title: CMSS : cent vingt"),
        "date": lambda: edit(seed, "Date: 2024-10-08", "Date: 2016-03-02"),
        "institutions": lambda: edit(event_seed, "Institutions: CARES-Mali, UNTM", "Institutions: INPS, UNTM"),
        "draft": lambda: edit(other, "Lang: fr", "Lang: fr\nStatus: draft"),
        "delete": lambda: event_seed.unlink() or event_seed,
        "add": lambda: new_article(seed),
    }
    for step, change in steps.items():
        changed = change()
        update = site.update([str(changed)])
        assert not update.full and not update.refused, (step, site.out.getvalue())
        assert update.articles == [str(changed)]
        assert_same_as_full_build(tmp_path / "apercu", content, tmp_path, step)

    first_card = BeautifulSoup((tmp_path / "apercu" / "index.html").read_bytes(), "html.parser").select_one(".card")
    assert first_card.h2.get_text().startswith("Nouveau ")
    assert not (tmp_path / "apercu" / "2024" / "10" / "cmss-untm-formation-relations-professionnelles").exists()


def test_the_preview_keeps_the_list_of_published_addresses(site, tmp_path):
    listing = tmp_path / "apercu" / "adresses-publiees.txt"
    assert SEED.split("/", 1)[1] in listing.read_text(encoding="utf-8")
    site.update([str(edit(tmp_path / "content" / SEED, "Title: CMSS : une centaine", "Title: CMSS : cent vingt"))])
    assert SEED.split("/", 1)[1] in listing.read_text(encoding="utf-8")


def test_a_save_that_comes_before_the_rest_is_written(site, tmp_path):
    """A new article shifts every page of the home page listing: the pages after the first are
    left for later, and a second save comes first. Nothing is lost."""
    content = tmp_path / "content"
    first = site.update([str(new_article(content / SEED))], finish=False)
    assert first.pending > 0
    second = site.update([str(edit(content / SEED, "Title: CMSS : une centaine", "Title: CMSS : cent vingt"))])
    assert not second.full
    site.finish()
    assert_same_as_full_build(tmp_path / "apercu", content, tmp_path, "two-saves")


def test_the_page_keeps_its_last_good_version_when_a_file_has_a_problem(site, tmp_path):
    seed = tmp_path / "content" / SEED
    page = tmp_path / "apercu" / "2024" / "10" / "cmss-untm-formation-relations-professionnelles" / "index.html"
    before = page.read_bytes()
    edit(seed, "Institutions: CMSS", "Institutions: XYZW")

    update = site.update([str(seed)])

    assert update.refused and page.read_bytes() == before
    messages = site.out.getvalue()
    assert "XYZW" in str(update.refused[0][1]) and "Traceback" not in messages


def test_only_what_an_edit_changes_is_written(site, tmp_path):
    seed = tmp_path / "content" / SEED
    edit(seed, "Title: CMSS : une centaine", "Title: CMSS : cent vingt")

    update = site.update([str(seed)])

    # The article, the listing pages that show it, its feeds, the archives, the pages of the few
    # articles that show it among their related releases… not the other articles.
    assert 0 < update.written < 50, update


def test_a_template_change_rebuilds_everything_in_place(tmp_path):
    theme = shutil.copytree(ROOT / "theme", tmp_path / "theme")
    running = preview.Preview(
        out=io.StringIO(),
        path=str(FIXTURE_SITE),
        output_path=str(tmp_path / "apercu"),
        cache_path=str(tmp_path / "cache"),
        theme=str(theme),
        **SETTINGS,
    )
    left_over = tmp_path / "apercu" / "ancienne-page" / "index.html"
    left_over.parent.mkdir(parents=True)
    left_over.write_text("ancienne")
    assert running.build().status == 0, running.out.getvalue()
    assert not left_over.exists()  # what the build did not write is removed
    edit(theme / "templates" / "base.html", "Suivre les publications", "Suivre nos publications")

    update = running.update([str(theme / "templates" / "base.html")])

    assert update.full and update.status == 0
    assert "Suivre nos publications" in (tmp_path / "apercu" / "index.html").read_text(encoding="utf-8")


def test_search_status_says_when_the_index_is_being_updated(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    running = preview.Preview(
        out=io.StringIO(), path=str(content), output_path=str(tmp_path / "apercu"), cache_path=str(tmp_path / "cache")
    )
    status = tmp_path / "apercu" / preview.PREVIEW_SETTINGS["SEARCH_STATUS_SAVE_AS"]
    assert running.build().status == 0, running.out.getvalue()
    assert json.loads(status.read_text()) == {"mise_a_jour_en_cours": True}
    running.finish()
    assert json.loads(status.read_text()) == {"mise_a_jour_en_cours": False}
    assert (tmp_path / "apercu" / "pagefind" / "2024" / "pagefind.js").exists()
    search_page = (tmp_path / "apercu" / "recherche" / "index.html").read_text(encoding="utf-8")
    assert "etat-index.json" in search_page


# What a preview legitimately leaves out of a full build: the .gz copies (the preview server does
# not send them), the lite edition and its offline worker (made from the finished site, redone on
# every save otherwise), the manifest (files are replaced one by one) and the search index (built
# in the background, off in these tests).
PREVIEW_OMITS = re.compile(r".*\.gz|lite/.*|sw\.js|\.manifeste\.json|pagefind/.*|recherche/pagefind/.*")


def test_the_preview_keeps_every_file_a_full_build_writes(site, tmp_path):
    site.update([str(edit(tmp_path / "content" / SEED, "Title: CMSS : une centaine", "Title: CMSS : cent vingt"))])
    messages = io.StringIO()
    status = site_build.build(
        out=messages,
        path=str(tmp_path / "content"),
        output_path=str(tmp_path / "complet"),
        cache_path=str(tmp_path / "cache-complet"),
        **SETTINGS,
    )
    assert status == 0, messages.getvalue()

    def files(folder):
        return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}

    full = {name for name in files(tmp_path / "complet") if not PREVIEW_OMITS.fullmatch(name)}
    assert "adresses-publiees.txt" in full and "sitemap.xml" in full
    assert full - files(tmp_path / "apercu") == set()
